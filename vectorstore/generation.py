"""On-disk index generations and the atomic switch between them.

    data/
      CURRENT                 name of the generation searches use (replaced atomically)
      generations/<name>/     manifest.json, chunks.jsonl, embeddings.npy, sources/, keyword/, chroma/

An ingest writes a whole new generation beside the current one and only then rewrites CURRENT
with `os.replace`, so a crash at any moment leaves the previous generation answering. With a
Chroma server the vectors live in a collection named after the generation instead of `chroma/`.
"""

from __future__ import annotations

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

from core.errors import IndexNotBuiltError, IndexStoreError
from ingest.chunk import Chunk
from vectorstore.chroma_store import ChromaStore
from vectorstore.keyword import KeywordIndex

CURRENT = "CURRENT"
KEEP_GENERATIONS = 2  # the current one and the one before it, which a running server may still read


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
                   documents=documents, embedder=raw.get("embedder", "sentence-transformers"))


def new_generation_name() -> str:
    return f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"


def current_generation(data_dir: Path) -> Path | None:
    pointer = data_dir / CURRENT
    if not pointer.is_file():
        return None
    folder = data_dir / "generations" / pointer.read_text(encoding="utf-8").strip()
    return folder if folder.is_dir() else None


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
                     sources: dict[str, str]) -> Path:
    """Write everything into a temporary folder, then rename it into place (not yet current)."""
    generations = data_dir / "generations"
    staging = generations / f".{manifest.name}.partial"
    staging.mkdir(parents=True)
    (staging / "sources").mkdir()
    for document, text in sources.items():
        with (staging / "sources" / f"{document}.txt").open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    with (staging / "chunks.jsonl").open("w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(json.dumps(asdict(chunk), ensure_ascii=False) + "\n")
    np.save(staging / "embeddings.npy", embeddings)
    KeywordIndex.build([c.chunk_id for c in chunks], [c.search_text for c in chunks]).save(staging / "keyword")
    open_chroma(staging, manifest).add(chunks, embeddings)
    (staging / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    final = generations / manifest.name
    staging.rename(final)
    return final


def make_current(data_dir: Path, name: str) -> None:
    pointer = data_dir / CURRENT
    temporary = data_dir / f".{CURRENT}.{uuid.uuid4().hex[:6]}"
    temporary.write_text(name, encoding="utf-8")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, pointer)


def prune(data_dir: Path) -> None:
    """Remove generations older than the last `KEEP_GENERATIONS` and any half-written ones."""
    generations = data_dir / "generations"
    current = current_generation(data_dir)
    finished = sorted((p for p in generations.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
    keep = {p.name for p in finished[-KEEP_GENERATIONS:]} | ({current.name} if current else set())
    for folder in generations.iterdir():
        if folder.name in keep:
            continue
        if not folder.name.startswith("."):
            manifest = read_manifest(folder)
            if manifest.chroma_url:
                open_chroma(folder, manifest).drop()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    """One ingest at a time per data folder; searches never wait for it."""
    import fcntl

    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / ".ingest.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexStoreError(f"Another ingest is running on {data_dir}; wait for it to finish.") from exc
        yield
