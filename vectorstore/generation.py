"""On-disk index generations and the atomic switch between them.

    data/
      CURRENT                 name of the generation searches use (replaced atomically)
      generations/<name>/     manifest.json, chunks.jsonl, embeddings.npy, spans/, sources/, keyword/
      leases/<name>.lock      held (shared flock) by every process that reads that generation
      .ingest.lock            held (exclusive flock) by the one ingest running; says its process and start

An ingest writes a whole new generation beside the current one and only then rewrites CURRENT
with `os.replace`, so a crash at any moment leaves the previous generation answering. With a
Chroma server the vectors are also written to a collection named after the generation, which searches query.
A reader holds a `Lease` on the generation it opened, and `prune` removes only generations nobody
holds: the kernel drops a lease when its process ends, even by `kill -9`, so none is ever stale.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from core.errors import IndexNotBuiltError, IndexStoreError, IngestRunningError
from ingest.chunk import Chunk
from vectorstore.chroma_store import ChromaStore
from vectorstore.keyword import KeywordIndex
from vectorstore.span_vectors import SpanVectors

CURRENT = "CURRENT"
LEASES = "leases"
OPEN_ATTEMPTS = 5  # an ingest may publish and prune between reading CURRENT and taking the lease: read it again


@dataclass(frozen=True)
class DocumentEntry:
    """What the index remembers of one indexed file, to skip it next time if unchanged."""

    name: str
    path: str
    sha256: str
    format: str
    council: str
    title: str
    period: str
    chunk_count: int
    row_count: int
    aliases: tuple[str, ...] = ()
    councils: tuple[str, ...] = ()
    kind: str = ""
    published: str = ""
    partners: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def named_councils(self) -> tuple[str, ...]:
        """Each council that wrote the document (one, or several for a joint plan)."""
        return self.councils or (self.council,)


@dataclass(frozen=True)
class GenerationManifest:
    name: str
    chunk_max_tokens: int
    chroma_url: str
    documents: dict[str, DocumentEntry]
    embedder: str = "sentence-transformers"  # what embedded the chunks (an index from before the choice: this one)
    reader: str = ""  # which reading code made the records (`ingest.fingerprint`; "" before it was kept)

    @property
    def collection(self) -> str:
        return f"send-{self.name}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> GenerationManifest:
        raw = json.loads(text)
        lists = ("aliases", "councils", "partners", "notes")
        documents = {name: DocumentEntry(**(entry | {key: tuple(entry.get(key, ())) for key in lists}))
                     for name, entry in raw["documents"].items()}
        return cls(name=raw["name"], chunk_max_tokens=raw["chunk_max_tokens"], chroma_url=raw["chroma_url"],
                   documents=documents, embedder=raw.get("embedder", "sentence-transformers"),
                   reader=raw.get("reader", ""))


def new_generation_name() -> str:
    return f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"


def current_name(data_dir: Path) -> str | None:
    """The name CURRENT points at (cheap enough to read once per request)."""
    try:
        return (data_dir / CURRENT).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def current_generation(data_dir: Path) -> Path | None:
    name = current_name(data_dir)
    folder = data_dir / "generations" / name if name else None
    return folder if folder is not None and folder.is_dir() else None


class Lease:
    """A reader's hold on one generation: a shared flock on `leases/<name>.lock`, which `prune` needs exclusively
    before it removes the generation. Released by `release()`, or by the kernel when the process ends."""

    def __init__(self, folder: Path) -> None:
        leases = folder.parent.parent / LEASES
        leases.mkdir(exist_ok=True)
        self._handle = (leases / f"{folder.name}.lock").open("a")
        fcntl.flock(self._handle, fcntl.LOCK_SH)  # waits only while `prune` is removing this very generation

    def release(self) -> None:
        self._handle.close()  # closing the file drops the flock


def lease_current(data_dir: Path) -> tuple[Path, Lease]:
    """The current generation, held for reading until the lease is released."""
    for _ in range(OPEN_ATTEMPTS):
        folder = require_current(data_dir)
        lease = Lease(folder)
        if (folder / "manifest.json").is_file():
            return folder, lease
        lease.release()  # pruned between reading CURRENT and taking the lease; CURRENT has moved on
    raise IndexStoreError(f"The index in {data_dir} kept changing while it was opened; try again when the "
                          "ingest running now has finished.")


def require_current(data_dir: Path) -> Path:
    folder = current_generation(data_dir)
    if folder is None:
        raise IndexNotBuiltError(f"No index in {data_dir} yet. Run `send-assistant ingest` (or `make run`) first.")
    return folder


def read_manifest(folder: Path) -> GenerationManifest:
    try:
        return GenerationManifest.from_json((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexStoreError(f"The index in {folder} is damaged ({exc}); run `send-assistant ingest --rebuild`.") from exc


def read_chunks(folder: Path) -> list[Chunk]:
    with (folder / "chunks.jsonl").open(encoding="utf-8") as handle:
        return [Chunk(**json.loads(line)) for line in handle]


def read_embeddings(folder: Path) -> np.ndarray:
    return np.load(folder / "embeddings.npy")


def read_source(folder: Path, document: str) -> str:
    with (folder / "sources" / f"{document}.txt").open(encoding="utf-8", newline="") as handle:
        return handle.read()


def open_chroma(folder: Path, manifest: GenerationManifest) -> ChromaStore:
    return ChromaStore(manifest.collection, path=folder / "chroma", url=manifest.chroma_url)


def write_generation(data_dir: Path, manifest: GenerationManifest, chunks: list[Chunk], embeddings: np.ndarray,
                     sources: dict[str, str], spans: SpanVectors | None) -> Path:
    """Write everything into a temporary folder, then rename it into place (not yet current). A failure part-way
    removes the temporary folder, so nothing half-written is left behind. `spans`: None for a generation made from
    an index built before span vectors (its answers embed spans as they meet them)."""
    generations = data_dir / "generations"
    staging = generations / f".{manifest.name}.partial"
    staging.mkdir(parents=True)
    try:
        _write_into(staging, manifest, chunks, embeddings, sources, spans)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    final = generations / manifest.name
    staging.rename(final)
    return final


def _write_into(staging: Path, manifest: GenerationManifest, chunks: list[Chunk], embeddings: np.ndarray,
                sources: dict[str, str], spans: SpanVectors | None) -> None:
    (staging / "sources").mkdir()
    for document, text in sources.items():
        with (staging / "sources" / f"{document}.txt").open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    with (staging / "chunks.jsonl").open("w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(json.dumps(asdict(chunk), ensure_ascii=False) + "\n")
    np.save(staging / "embeddings.npy", embeddings)
    if spans is not None:
        spans.save(staging)
    KeywordIndex.build([c.chunk_id for c in chunks], [c.search_text for c in chunks]).save(staging / "keyword")
    if manifest.chroma_url:  # the embedded store searches embeddings.npy: a Chroma collection there went unread
        open_chroma(staging, manifest).add(chunks, embeddings)
    (staging / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")


def make_current(data_dir: Path, name: str) -> None:
    pointer = data_dir / CURRENT
    temporary = data_dir / f".{CURRENT}.{uuid.uuid4().hex[:6]}"
    temporary.write_text(name, encoding="utf-8")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, pointer)


def prune(data_dir: Path) -> None:
    """Remove every generation but the current one that no process holds a lease on, and any half-written
    ones (called under the ingest lock, so a half-written one is a crashed ingest's)."""
    generations = data_dir / "generations"
    current = current_name(data_dir)
    for folder in generations.iterdir():
        if folder.name == current:
            continue
        if folder.name.startswith("."):
            shutil.rmtree(folder, ignore_errors=True)
            continue
        with _unleased(data_dir, folder.name) as free:
            if free:
                manifest = read_manifest(folder)
                if manifest.chroma_url:
                    open_chroma(folder, manifest).drop()
                shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _unleased(data_dir: Path, name: str) -> Iterator[bool]:
    """Whether no process holds generation `name`; while True, a reader that tries to waits for the removal,
    then finds the generation gone and reads CURRENT again."""
    path = data_dir / LEASES / f"{name}.lock"
    path.parent.mkdir(exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
        path.unlink(missing_ok=True)  # only once the generation is gone: a new lease file means a gone generation


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    """One ingest at a time per data folder; searches never wait for it. The holder writes its process id and
    start time into the lock file, so a second ingest can say which one is running."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / ".ingest.lock").open("a+") as handle:  # "a+": a refused ingest must not wipe what it says
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip()
            raise IngestRunningError(f"An ingest is running on {data_dir}{f' ({holder})' if holder else ''}; "
                                     "wait for it to finish, then try again.") from exc
        handle.truncate(0)
        handle.write(f"process {os.getpid()}, started {time.strftime('%H:%M:%S UTC', time.gmtime())}")
        handle.flush()
        yield
