"""Documents are data, never instructions: text in a plan that talks to the assistant is never evidence.

Shared by the extractive answerer (such a span is never quoted) and the LLM verifier (an answer
sentence resting on it is dropped). A regex catches the common phrasings, not every possible one.
"""

from __future__ import annotations

import re

ADDRESSES_ASSISTANT = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.]{0,60}\b(?:instructions?|rules|prompts?|guidelines|above)\b"
    r"|\b(?:new|updated|hidden|real) instructions?\b|\bsystem prompt\b|\b(?:as|you are) an? (?:AI|language model)\b"
    r"|\b(?:AI|language model|chatbot|LLM)s?\b[^.]{0,40}\b(?:must|should|will)\b[^.]{0,20}"
    r"\b(?:say|answer|reply|tell)\b", re.IGNORECASE)
