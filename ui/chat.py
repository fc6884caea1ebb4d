"""The chat: the conversation on the page becomes history for `Assistant.ask_stream`, and the reply is streamed.

With an LLM backend the model's raw text is shown as it arrives, marked as a draft, and replaced by
the verified answer and its source cards when checking is done. With the extractive backend (or when
the model wrote nothing before the answer was settled) the final answer streams a few words at a time.

Gradio 6 hands messages over with `content` as a list of parts ({"type": "text", "text": ...}); an
API client may send plain strings. Either way the history `ask` sees is plain text: the user's
questions and the assistant's answers without their source cards.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from core.errors import SendAssistantError
from ui import render, wording
from ui.feedback import AnswerRef
from ui.live import LiveAssistant
from ui.passages import Passages

STEP_PAUSE = 0.03  # seconds between streamed word groups: visible as typing, still under a second per answer


@dataclass(frozen=True)
class Reply:
    messages: list[dict]
    announcement: str
    answer: AnswerRef | None


def content_text(content: object) -> str:
    """The text of one message's content, whether a string, a part, or a list of parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("value") or "") if content.get("type", "text") == "text" else ""
    if isinstance(content, (list, tuple)):
        return "\n".join(part for part in (content_text(item) for item in content) if part)
    return ""


def history_for_ask(messages: Sequence[dict] | None) -> list[dict]:
    history = []
    for message in messages or ():
        role = message.get("role") if isinstance(message, dict) else None
        if role not in ("user", "assistant"):
            continue
        raw = content_text(message.get("content"))
        plain = html.unescape(raw).strip() if role == "user" else render.plain_text(raw)
        if plain:
            history.append({"role": role, "content": plain})
    return history


def council_of(choice: str | None) -> str | None:
    return None if not choice or choice == wording.ALL_COUNCILS else choice


class Chat:
    def __init__(self, live: LiveAssistant, pause: float = STEP_PAUSE) -> None:
        self.live = live
        self.pause = pause

    def reply(self, question: str, messages: Sequence[dict] | None, council_choice: str | None,
              backend: str | None = None) -> Iterator[Reply]:
        """The conversation with the question added, then the draft (LLM backends) or the answer growing word
        group by word group, then the finished answer with its source cards. `backend` is this visitor's choice
        (None: the operator's)."""
        question = question if isinstance(question, str) else ""
        shown = list(messages or [])
        history = history_for_ask(shown)
        if question.strip():
            shown.append({"role": "user", "content": html.escape(question.strip())})
        yield Reply(shown, "", None)
        assistant = self.live.for_backend(backend) if backend else self.live.current
        draft, shown_at, answer = "", 0.0, None
        try:
            for item in assistant.ask_stream(question, history, council_of(council_choice)):
                if not isinstance(item, str):
                    answer = item
                    continue
                draft += item
                if draft.strip() and time.monotonic() - shown_at >= self.pause:
                    shown_at = time.monotonic()
                    yield Reply(shown + [{"role": "assistant", "content": render.draft_message(draft)}], "", None)
        except SendAssistantError as exc:
            error = wording.ERROR_PREFIX.format(error=exc)
            yield Reply(shown + [{"role": "assistant", "content": render.status(error, ok=False)}],
                        html.escape(error), None)
            return
        assert answer is not None, "ask_stream always ends with an Answer"
        if not draft.strip():
            for partial in render.streaming_steps(answer):
                yield Reply(shown + [{"role": "assistant", "content": partial}], "", None)
                time.sleep(self.pause)
        ref = AnswerRef.of(answer)
        final = render.answer_message(answer, Passages.of(assistant.index), ref.answer_id)
        yield Reply(shown + [{"role": "assistant", "content": final}], render.announcement(answer), ref)
