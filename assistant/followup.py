"""Follow-up questions ("And by when?", "Who commissions it?") made self-contained from the chat history.

Offline we cannot rewrite a question with a model, so a question too thin to search on its own is
searched together with the user's previous question, which carries its council and topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.evidence import key_terms

_REFERS_BACK = re.compile(r"^(and|but|also|what about|how about|so)\b|\b(it|its|that|this|they|them|those|these|"
                          r"there|he|she|one)\b", re.IGNORECASE)


def previous_question(history: Sequence[dict]) -> str | None:
    for message in reversed(history):
        if message.get("role") == "user" and str(message.get("content", "")).strip():
            return str(message["content"]).strip()
    return None


def resolve(question: str, history: Sequence[dict]) -> str:
    earlier = previous_question(history)
    if earlier is None:
        return question
    if len(key_terms(question)) <= 2 or _REFERS_BACK.search(question):
        return f"{earlier} {question}"
    return question
