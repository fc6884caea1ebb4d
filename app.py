"""The web app: builds every object once (settings, assistant, feedback log, documents, evaluation) and
serves the Gradio page from `ui/` on http://127.0.0.1:7860, offline and with analytics off.

The server shows only what the page means to: Gradio's file routes refuse the data folder, the plans and
the code (`blocked_paths`), and error responses say what went wrong in general words, never echoing the
request (it may hold a parent's question) or naming a path. `make run` and `send-assistant serve [--host]
[--port]` call `serve`.
"""

from __future__ import annotations

from assistant.engine import Assistant
from core import offline as _offline  # noqa: F401  (sets offline env before any library import)
from core.settings import PROJECT_ROOT, Settings, load_settings

FEEDBACK_FILE = "feedback.jsonl"
PLAIN_ERRORS = {  # by status; other errors keep the server's own fixed wording
    403: "That is not available.",
    404: "Not found.",
    422: "The request was not in the form this address expects; see /gradio_api/info for the API.",
}


def build(assistant: Assistant, host: str = "127.0.0.1"):
    """The page for `assistant` served on `host`; its settings' data folder holds feedback.jsonl and uploads/.
    Who may change the documents depends on the staff password and on whether `host` is this computer only."""
    from ui import page
    from ui.chat import Chat
    from ui.documents import DocumentLibrary
    from ui.evaluation import Evaluation
    from ui.feedback import FeedbackLog
    from ui.live import LiveAssistant
    from ui.staff import HourlyLimit, StaffGate

    settings = assistant.settings
    live = LiveAssistant(assistant)
    gate = StaffGate(settings.staff_password, host, settings.staff_attempts_per_hour)
    feedback = FeedbackLog(settings.data_dir / FEEDBACK_FILE, settings.feedback_comment_chars,
                           settings.feedback_max_bytes)
    return page.build(Chat(live), DocumentLibrary(live), feedback, Evaluation(live), gate,
                      HourlyLimit(settings.uploads_per_hour))


def server_guards(settings: Settings) -> dict:
    """Launch options that keep private files and request contents out of what the server sends."""
    from fastapi.exception_handlers import http_exception_handler
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException

    async def plain_error(request, exc):
        status = getattr(exc, "status_code", 422)
        if status not in PLAIN_ERRORS:
            return await http_exception_handler(request, exc)
        return JSONResponse({"detail": PLAIN_ERRORS[status]}, status_code=status)

    return {"blocked_paths": [str(settings.data_dir), str(settings.corpus_dir), str(PROJECT_ROOT)],
            "app_kwargs": {"exception_handlers": {HTTPException: plain_error, RequestValidationError: plain_error}}}


def serve(host: str = "127.0.0.1", port: int = 7860, settings: Settings | None = None) -> None:
    from ui.page import launch

    settings = settings or load_settings()
    launch(build(Assistant.from_settings(settings), host), host, port, concurrency=settings.web_concurrency,
           **server_guards(settings))


if __name__ == "__main__":
    serve()
