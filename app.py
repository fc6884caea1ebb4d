"""The web app: builds every object once (settings, assistant, feedback log, documents, evaluation) and
serves the Gradio page from `ui/` on http://127.0.0.1:7860, offline and with analytics off.

`make run` and `send-assistant serve [--host] [--port]` call `serve`.
"""

from __future__ import annotations

from assistant.engine import Assistant
from core import offline as _offline  # noqa: F401  (sets offline env before any library import)
from core.settings import Settings, load_settings

FEEDBACK_FILE = "feedback.jsonl"


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


def serve(host: str = "127.0.0.1", port: int = 7860, settings: Settings | None = None) -> None:
    from ui.page import launch

    launch(build(Assistant.from_settings(settings or load_settings()), host), host, port)


if __name__ == "__main__":
    serve()
