"""The Documents tab's work: list what is indexed; look at an upload before it is indexed (its detected
council and title, whether it is a duplicate or replaces a file of the same name); index it in the
background with progress, an estimate and a cancel; remove a document.

An upload is copied into `<data_dir>/uploads/` under its own (cleaned) name and ingested incrementally
with the index's embedding model as "staff" (the audit log says so), while answers keep coming from
the current index; the live assistant moves to the new generation when it is written. A file that
cannot be read, or whose indexing is cancelled, is removed again (or its earlier version put back).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import SendAssistantError
from ingest.describe import describe
from ingest.manifest import Said
from ingest.readers import SUPPORTED_SUFFIXES, read_source
from ui import wording
from ui.live import LiveAssistant
from vectorstore.build import ingest, remove_documents
from vectorstore.generation import DocumentEntry

UPLOAD_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".md")
STAFF = "staff"


@dataclass(frozen=True)
class Inspection:
    """What an uploaded file is, before anything is indexed; `problem` set means it cannot be added."""

    name: str
    council: str = ""
    title: str = ""
    replaces: bool = False
    problem: str = ""


@dataclass
class IndexJob:
    """One upload being indexed in the background; the page polls it."""

    name: str
    started: float = field(default_factory=time.monotonic)
    fraction: float = 0.0
    done: bool = False
    ok: bool = False
    message: str = ""
    cancel_requested: threading.Event = field(default_factory=threading.Event)

    def progress(self, fraction: float) -> None:
        self.fraction = max(self.fraction, min(fraction, 1.0))

    def seconds_left(self) -> float | None:
        """A straight-line estimate from the time taken so far; None until there is progress to go on."""
        if self.fraction <= 0.02:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed * (1 - self.fraction) / self.fraction

    def cancel(self) -> None:
        self.cancel_requested.set()


class DocumentLibrary:
    def __init__(self, live: LiveAssistant) -> None:
        self.live = live
        self._lock = threading.Lock()  # one change at a time; ingest also locks the data folder
        self.job: IndexJob | None = None

    @property
    def uploads_dir(self) -> Path:
        return self.live.current.settings.data_dir / "uploads"

    def documents(self) -> list[DocumentEntry]:
        return sorted(self.live.current.index.manifest.documents.values(), key=lambda d: (d.council, d.name))

    def rows(self) -> list[tuple[str, str, str, str, int, int]]:
        return [(d.name, d.council, d.title, d.format, d.chunk_count, d.row_count) for d in self.documents()]

    def inspect(self, upload: Path) -> Inspection:
        """The upload's detected council and title; a problem if it is unreadable or already indexed."""
        name = clean_name(upload.name)
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            reason = f"Only {', '.join(UPLOAD_SUFFIXES)} files can be added."
            return Inspection(name, problem=wording.UPLOAD_FAILED.format(name=name, reason=reason))
        digest = hashlib.sha256(upload.read_bytes()).hexdigest()
        indexed = self.live.current.index.manifest.documents
        twin = next((entry.name for entry in indexed.values() if entry.sha256 == digest), None)
        if twin is not None:
            return Inspection(name, problem=wording.UPLOAD_DUPLICATE.format(name=name, twin=twin))
        staged = self.uploads_dir.parent / "staging" / name
        staged.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(upload, staged)  # read under its cleaned name, as it will be indexed
        try:
            info = describe(read_source(staged))
        except SendAssistantError as exc:
            reason = _sentence(str(exc).removeprefix(f"{name}: "))
            return Inspection(name, problem=wording.UPLOAD_FAILED.format(name=name, reason=reason))
        finally:
            staged.unlink(missing_ok=True)
        return Inspection(name, council=info.council, title=info.title, replaces=name in indexed)

    def start(self, upload: Path, council: str, title: str, replace: bool = False) -> IndexJob:
        """Index `upload` in a background thread as staff said it is; the returned job reports progress.
        A file with the name of an indexed one replaces it only when `replace` is confirmed."""
        found = self.inspect(upload)
        job = IndexJob(found.name)
        if self._lock.locked():
            return _finished(job, False, wording.UPLOAD_BUSY)
        if found.problem:
            return _finished(job, False, found.problem)
        if found.replaces and not replace:
            return _finished(job, False, wording.UPLOAD_CONFIRM_REPLACE.format(name=found.name))
        said = Said(councils=(council.strip(),) if council.strip() else (), title=title.strip())
        self.job = job
        threading.Thread(target=self._index, args=(upload, said, job), daemon=True, name="upload-index").start()
        return job

    def _index(self, upload: Path, said: Said, job: IndexJob) -> None:
        with self._lock:
            target = self.uploads_dir / job.name
            previous = target.read_bytes() if target.is_file() else None
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(upload, target)
            try:
                report = ingest(self.live.current.settings, [target], embedder=self.live.current.index.embedder,
                                progress=False, said=said, actor=STAFF, cancelled=job.cancel_requested.is_set,
                                on_progress=lambda fraction, _: job.progress(0.1 + 0.85 * fraction))
                errors = report.errors
            except SendAssistantError as exc:
                report, errors = None, [str(exc)]
            if errors:
                _restore(target, previous)
                reason = " ".join(_sentence(error.removeprefix(f"{job.name}: ")) for error in errors)
                _finished(job, False, wording.UPLOAD_FAILED.format(name=job.name, reason=reason))
                return
            if report.changed:
                self.live.reopen()
        entry = self.live.current.index.manifest.documents.get(job.name)
        passages, council = (entry.chunk_count, entry.council) if entry else (0, "")
        template = wording.UPLOAD_ADDED if job.name in report.added else wording.UPLOAD_UPDATED
        _finished(job, True, template.format(name=job.name, passages=passages, council=council))

    def remove(self, name: str) -> tuple[bool, str]:
        """Take `name` out of the index (and out of uploads/, so a later ingest does not bring it back)."""
        with self._lock:
            if name not in self.live.current.index.manifest.documents:
                return False, wording.REMOVE_UNKNOWN.format(name=name or "–")
            try:
                remove_documents(self.live.current.settings, [name], actor=STAFF)
            except SendAssistantError as exc:
                return False, str(exc)
            (self.uploads_dir / name).unlink(missing_ok=True)
            self.live.reopen()
        return True, wording.REMOVED.format(name=name)


def clean_name(name: str) -> str:
    """A safe file name that keeps the original's words: "My Plan (v2).docx" → "My-Plan-v2.docx"."""
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._") or "upload"
    return f"{stem[:100]}{re.sub(r'[^a-z0-9.]', '', suffix)}"


def _finished(job: IndexJob, ok: bool, message: str) -> IndexJob:
    job.ok, job.message, job.done = ok, message, True
    job.progress(1.0 if ok else job.fraction)
    return job


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def _restore(target: Path, previous: bytes | None) -> None:
    if previous is None:
        target.unlink(missing_ok=True)
    else:
        target.write_bytes(previous)
