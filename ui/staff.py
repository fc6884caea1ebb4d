"""Who may change the index from the web app, and how often anyone may try.

With `SEND_ASSISTANT_STAFF_PASSWORD` set, adding or removing a document needs that password (compared in
constant time; a visitor's wrong guesses are limited per hour). Without one, the Documents tab is
read-only, unless the app is bound to 127.0.0.1, where only this computer can reach it.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from ui import wording

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
HOUR = 3600.0


class HourlyLimit:
    """At most `limit` events per visitor in any hour."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self._clock = limit, clock
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, visitor: str) -> deque[float]:
        events, now = self._events[visitor], self._clock()
        while events and now - events[0] >= HOUR:
            events.popleft()
        return events

    def exhausted(self, visitor: str) -> bool:
        with self._lock:
            return len(self._recent(visitor)) >= self.limit

    def count(self, visitor: str) -> None:
        with self._lock:
            self._recent(visitor).append(self._clock())


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    message: str = ""


class StaffGate:
    def __init__(self, password: str, host: str, attempts_per_hour: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._password = password.encode("utf-8")
        self.local = host in LOOPBACK_HOSTS
        self._failures = HourlyLimit(attempts_per_hour, clock)

    @property
    def needs_password(self) -> bool:
        return bool(self._password)

    @property
    def read_only(self) -> bool:
        return not self._password and not self.local

    def notice(self) -> str:
        """What the Documents tab says about who can change it."""
        if self.read_only:
            return wording.STAFF_READ_ONLY
        return wording.STAFF_PASSWORD_NEEDED if self.needs_password else wording.STAFF_LOCAL_ONLY

    def check(self, password: str | None, visitor: str) -> Verdict:
        if self.read_only:
            return Verdict(False, wording.STAFF_READ_ONLY)
        if not self._password:
            return Verdict(True)
        if self._failures.exhausted(visitor):
            return Verdict(False, wording.STAFF_TOO_MANY)
        if hmac.compare_digest((password or "").encode("utf-8"), self._password):
            return Verdict(True)
        self._failures.count(visitor)
        return Verdict(False, wording.STAFF_WRONG_PASSWORD)
