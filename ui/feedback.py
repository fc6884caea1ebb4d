"""Helpful / not helpful ratings, appended as JSON lines to `<data_dir>/feedback.jsonl` on this computer.

Parents' questions are private: a record holds the rating, the optional comment and which answer it
rates (an id, its citation markers and the cited passages), and the question text only when the user
ticks "share my question". Nothing is sent anywhere. A comment longer than the limit is refused (the
page says how long it may be), and when the file reaches its size limit it is moved aside to
`feedback.jsonl.1` (replacing the older one), so feedback can never fill the disk.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from assistant.types import Answer

RATINGS = {"helpful": "helpful", "not helpful": "not_helpful", "not_helpful": "not_helpful"}


@dataclass(frozen=True)
class AnswerRef:
    """What feedback needs to know about the answer it rates."""

    answer_id: str
    markers: tuple[int, ...]
    sources: tuple[str, ...]   # cited chunk ids, e.g. "sefton-….txt#12"
    refused: bool
    question: str

    @classmethod
    def of(cls, answer: Answer) -> AnswerRef:
        return cls(answer_id=uuid.uuid4().hex[:12], markers=tuple(c.marker for c in answer.citations),
                   sources=tuple(c.chunk_id for c in answer.citations), refused=answer.refused,
                   question=answer.question)


class FeedbackLog:
    def __init__(self, path: Path, max_comment_chars: int = 2000, max_bytes: int = 5_000_000) -> None:
        self.path = path
        self.max_comment_chars = max_comment_chars
        self.max_bytes = max_bytes
        self._lock = threading.Lock()

    def record(self, answer: AnswerRef, rating: str, comment: str = "", share_question: bool = False) -> dict:
        """Append one rating; `rating` is "helpful" or "not helpful" (any case); a comment over the limit is a
        ValueError (the page checks it first and says so)."""
        key = (rating or "").strip().lower()
        if key not in RATINGS:
            raise ValueError(f"rating must be 'helpful' or 'not helpful', not {rating!r}")
        comment = (comment or "").strip()
        if len(comment) > self.max_comment_chars:
            raise ValueError(f"comment is {len(comment)} characters; the most is {self.max_comment_chars}")
        entry = {"timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"), "rating": RATINGS[key],
                 "comment": comment, "answer_id": answer.answer_id,
                 "markers": list(answer.markers), "sources": list(answer.sources), "refused": answer.refused}
        if share_question:
            entry["question"] = answer.question
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.is_file() and self.path.stat().st_size + len(line.encode("utf-8")) > self.max_bytes:
                self.path.replace(self.path.with_name(self.path.name + ".1"))
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
        return entry
