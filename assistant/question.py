"""Questions as users type them → text safe to search, or a clear reason why not.

Parents paste from messages and phones: stray control characters and whitespace are cleaned, while
empty, binary-looking or oversized input is refused with a message that says what to do.
"""

from __future__ import annotations

import re
import unicodedata

from core.errors import BadQuestionError
from core.settings import Settings


def recent_history(history: object, settings: Settings) -> tuple[list[dict], bool]:
    """The most recent earlier messages that fit the limits, and whether any were left out. A message without text
    content (a file shown in the chat) is left out too: a follow-up needs only the last turn or two. History that
    is not a list of {"role", "content"} objects is a caller's mistake, and the error says how to write it."""
    if history is not None and not isinstance(history, (list, tuple)):
        raise BadQuestionError(f"The history must be a list of messages, not {type(history).__name__}; write it as "
                               '[{"role": "user", "content": "…"}, {"role": "assistant", "content": "…"}].')
    wrong = next((number for number, m in enumerate(history or (), start=1) if not isinstance(m, dict)), None)
    if wrong is not None:
        raise BadQuestionError(f"History item {wrong} is not a message object; write each one as "
                               '{"role": "user" or "assistant", "content": "…"}.')
    messages = [m for m in history or () if isinstance(m.get("content"), str)]
    kept, used = [], 0
    for message in reversed(messages[-settings.max_history_messages:] if settings.max_history_messages else []):
        used += len(message["content"])
        if used > settings.max_history_chars:
            break
        kept.append({"role": str(message.get("role", "user")), "content": message["content"]})
    return kept[::-1], len(kept) < len(history if isinstance(history, (list, tuple)) else [])


def clean_question(raw: str, settings: Settings) -> str:
    if not isinstance(raw, str):
        raise BadQuestionError("The question must be text.")
    if len(raw) > settings.max_question_chars:
        raise BadQuestionError(f"The question is too long ({len(raw):,} characters). Ask it in under "
                               f"{settings.max_question_chars:,} characters, one question at a time.")
    controls = sum(1 for ch in raw if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\t\r")
    if controls > max(2, len(raw) // 10):
        raise BadQuestionError("The question looks like binary data, not text. Type your question in words.")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in raw)
    text = " ".join(text.split())
    if not text:
        raise BadQuestionError("The question is empty. Type a question about the plans, "
                               "for example: who leads the short breaks review?")
    return text


_NAME = re.compile(r"(?<![\w'’-])[A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)*(?:['’]s)?(?:\s+[A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)*(?:['’]s)?)*")
_CLAUSE_START = re.compile(r"(?:^|[.!?:;\"“(]|\s-)\s*$")


def names_in(question: str) -> list[str]:
    """The names a question writes ("Oakfield Academy", "St Mary's", "the XYZ panel"): runs of capitalised words,
    less a first word that only starts a sentence or clause."""
    names = []
    for match in _NAME.finditer(question):
        words = match.group(0).split()
        if _CLAUSE_START.search(question[:match.start()]):
            words = words[1:]
        if words:
            names.append(" ".join(words))
    return names


_INSTITUTION = re.compile(r"(?:^|\s)(?:Academy|School|College|Hospital|Nursery|Centre|Center|Clinic|Surgery|Trust|Charity|Hub)$"
                          r"|^(?:Dr|Mr|Mrs|Ms|Miss|Cllr|Councillor|St)\b", re.IGNORECASE)
_FOLLOWED_BY_INSTITUTION = re.compile(r"^\W*(?:(?:primary|secondary|special|infant|junior|high)\s+)?(?:school|academy|"
                                      r"college|hospital|nursery|centre|clinic|surgery|charity)\b", re.IGNORECASE)


def institutions_in(question: str) -> list[str]:
    """The names of one school, hospital, charity or person a question writes ("Oakmere Academy", "St Anne's primary
    school", "Dr Patel"): a plan that never names them cannot say anything about them."""
    found = []
    for name in names_in(question):
        after = question[question.find(name) + len(name):]
        if _INSTITUTION.search(name) or _FOLLOWED_BY_INSTITUTION.match(after):
            found.append(name)
    return found
