"""The Documents tab's work: list what is indexed, and add an uploaded plan to the index.

An upload is copied into `<data_dir>/uploads/` under its own (cleaned) name, ingested incrementally
with the index's embedding model, and the live assistant is swapped for one on the new generation. A
file that cannot be read is removed again (or its earlier version put back), so `uploads/` only holds
files that index, and the reason is shown in the page.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.errors import SendAssistantError
from ingest.readers import SUPPORTED_SUFFIXES
from ui import wording
from ui.live import LiveAssistant
from vectorstore.build import ingest
from vectorstore.generation import DocumentEntry

UPLOAD_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".md")
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class UploadResult:
    ok: bool
    name: str
    message: str


class DocumentLibrary:
    def __init__(self, live: LiveAssistant) -> None:
        self.live = live
        self._lock = threading.Lock()  # one upload at a time; ingest also locks the data folder

    @property
    def uploads_dir(self) -> Path:
        return self.live.current.settings.data_dir / "uploads"

    def documents(self) -> list[DocumentEntry]:
        return sorted(self.live.current.index.manifest.documents.values(), key=lambda d: (d.council, d.name))

    def rows(self) -> list[tuple[str, str, str, str, int, int]]:
        return [(d.name, d.council, d.title, d.format, d.chunk_count, d.row_count) for d in self.documents()]

    def add(self, upload: Path, progress: Progress = lambda fraction, message: None) -> UploadResult:
        name = clean_name(upload.name)
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            reason = f"Only {', '.join(UPLOAD_SUFFIXES)} files can be added."
            return UploadResult(False, name, wording.UPLOAD_FAILED.format(name=name, reason=reason))
        with self._lock:
            progress(0.05, wording.UPLOAD_STARTED.format(name=name))
            target = self.uploads_dir / name
            previous = target.read_bytes() if target.is_file() else None
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(upload, target)
            try:
                report = ingest(self.live.current.settings, [target], embedder=self.live.current.index.embedder,
                                progress=False, on_progress=lambda fraction, doc: progress(
                                    0.1 + 0.8 * fraction, wording.UPLOAD_INDEXING.format(name=doc)))
                errors = report.errors
            except SendAssistantError as exc:
                report, errors = None, [str(exc)]
            if errors:
                _restore(target, previous)
                reason = " ".join(_sentence(error.removeprefix(f"{name}: ")) for error in errors)
                return UploadResult(False, name, wording.UPLOAD_FAILED.format(name=name, reason=reason))
            if report.changed:
                progress(0.95, wording.UPLOAD_REOPENING)
                self.live.reopen()
        entry = self.live.current.index.manifest.documents.get(name)
        passages = entry.chunk_count if entry else 0
        if name in report.added:
            return UploadResult(True, name, wording.UPLOAD_ADDED.format(name=name, passages=passages))
        if name in report.updated:
            return UploadResult(True, name, wording.UPLOAD_UPDATED.format(name=name, passages=passages))
        return UploadResult(True, name, wording.UPLOAD_UNCHANGED.format(name=name))


def clean_name(name: str) -> str:
    """A safe file name that keeps the original's words: "My Plan (v2).docx" → "My-Plan-v2.docx"."""
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._") or "upload"
    return f"{stem[:100]}{re.sub(r'[^a-z0-9.]', '', suffix)}"


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def _restore(target: Path, previous: bytes | None) -> None:
    if previous is None:
        target.unlink(missing_ok=True)
    else:
        target.write_bytes(previous)
