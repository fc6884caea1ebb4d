"""A time budget per answer, so no question (a long one, or one after a long conversation) holds a worker
for longer than the operator allows (`SEND_ASSISTANT_ANSWER_BUDGET_S`).

The engine checks its `Deadline` between stages (searches, scoring), never inside a library call: when it
has passed, the engine answers with what it has found so far or politely asks for a narrower question.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


class OutOfTime(Exception):
    """The answer's budget ran out between two stages; caught inside the engine, never shown to a user."""


@dataclass(frozen=True)
class Deadline:
    ends: float  # time.monotonic() seconds

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds)

    def expired(self) -> bool:
        return time.monotonic() >= self.ends

    def check(self) -> None:
        """Stop here (raise `OutOfTime`) when the budget is spent."""
        if self.expired():
            raise OutOfTime
