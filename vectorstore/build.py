"""Ingest: files → records → chunks → a new index generation, incrementally and crash-safely.

A file whose bytes (sha256) and chunk settings are unchanged reuses its chunks and vectors from the
current generation, so re-ingesting an unchanged corpus embeds nothing and writes nothing. A file
that cannot be read is reported and skipped (its previous version, if any, stays indexed); the rest
of the batch goes on. Indexed files that no longer exist on disk leave the index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from core.errors import IngestCancelled, IngestError
from core.settings import Settings
from ingest.chunk import Chunk, chunk_document
from ingest.describe import describe
from ingest.manifest import Said, collect_files
from ingest.parse import parse_source
from ingest.readers import read_source
from ingest.records import Kind
from vectorstore import generation as gen
from vectorstore.audit import Actor, record_changes
from vectorstore.embedder import Embedder, shared_embedder


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    described: dict[str, dict[str, str]] = field(default_factory=dict)  # what each new file says it is
    chunks: int = 0
    embedded: int = 0
    generation: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class _Document:
    entry: gen.DocumentEntry
    chunks: list[Chunk]
    source: str
    embeddings: np.ndarray | None = None


EMBED_BATCH = 64  # chunks embedded between progress reports and cancel checks


def ingest(settings: Settings, paths: list[Path] | None = None, rebuild: bool = False,
           embedder: Embedder | None = None, progress: bool = True,
           on_progress: Callable[[float, str], None] | None = None, said: Said | None = None,
           actor: Actor = "cli", cancelled: Callable[[], bool] = lambda: False) -> IngestReport:
    """Bring the index up to date with `paths` (default: the bundled corpus). `said` is what a person says
    about these files (council, title), over what they say about themselves and any manifest. `actor` is
    who asked, for the audit log; when `cancelled()` turns true, `IngestCancelled` is raised before anything
    is written."""
    report = IngestReport()
    with gen.ingest_lock(settings.data_dir):
        previous = None if rebuild else _load_previous(settings)
        files, infos = collect_files(paths or [settings.corpus_dir])
        if said is not None:
            infos.update({path.name: said for path in files})
        documents: dict[str, _Document] = {} if previous is None else dict(previous)
        for name in list(documents):
            if not Path(documents[name].entry.path).exists():
                report.removed.append(name)
                del documents[name]
        for path in tqdm(files, desc="Reading", unit="file", disable=not progress):
            _read_one(path, infos, settings, documents, report, redescribed=said is not None)
        if not rebuild and previous is not None and not report.changed:
            return report
        _embed_new(documents, embedder, progress, on_progress, report, cancelled)
        report.generation = _write(settings, documents)
        report.chunks = sum(len(d.chunks) for d in documents.values())
        record_changes(settings.data_dir, actor, [(action, name, documents[name].entry.sha256)
                                                  for action, names in (("added", report.added),
                                                                        ("updated", report.updated))
                                                  for name in names]
                       + [("removed", name, previous[name].entry.sha256) for name in report.removed])
    return report


def remove_documents(settings: Settings, names: list[str], actor: Actor = "cli") -> IngestReport:
    """A new generation without these documents; naming one that is not indexed changes nothing."""
    with gen.ingest_lock(settings.data_dir):
        documents = _load_previous(settings) or {}
        unknown = [name for name in names if name not in documents]
        if unknown:
            raise IngestError(f"{', '.join(unknown)}: not indexed; `send-assistant documents` lists what is.")
        removed = [("removed", name, documents.pop(name).entry.sha256) for name in names]
        report = IngestReport(removed=list(names), generation=_write(settings, documents),
                              chunks=sum(len(d.chunks) for d in documents.values()))
        record_changes(settings.data_dir, actor, removed)
        return report


def _load_previous(settings: Settings) -> dict[str, _Document] | None:
    folder = gen.current_generation(settings.data_dir)
    if folder is None:
        return None
    manifest = gen.read_manifest(folder)
    if manifest.chunk_max_tokens != settings.chunk_max_tokens or manifest.chroma_url != settings.chroma_url:
        return None  # a different chunking or store means nothing can be reused
    chunks, vectors = gen.read_chunks(folder), gen.read_embeddings(folder)
    by_document: dict[str, _Document] = {}
    for name, entry in manifest.documents.items():
        rows = [i for i, chunk in enumerate(chunks) if chunk.document == name]
        by_document[name] = _Document(entry, [chunks[i] for i in rows], gen.read_source(folder, name), vectors[rows])
    return by_document


def _read_one(path: Path, infos, settings: Settings, documents: dict[str, _Document], report: IngestReport,
              redescribed: bool = False) -> None:
    """Read, describe, parse and chunk one file. `redescribed`: a person said what it is, so an unchanged file
    is indexed again under its new description."""
    try:
        source = read_source(path)
    except IngestError as exc:
        report.errors.append(str(exc))
        return
    known = documents.get(source.name)
    if known is not None and known.entry.sha256 == source.sha256 and not redescribed:
        report.unchanged.append(source.name)
        return
    twin = next((name for name, doc in documents.items()
                 if doc.entry.sha256 == source.sha256 and name != source.name), None)
    if twin is not None:
        report.errors.append(f"{source.name}: the same file is already indexed as {twin}; it was not added again.")
        return
    info = infos.get(source.name, Said()).applied_to(describe(source))
    records = parse_source(source)
    chunks = chunk_document(source, info, records, settings.chunk_max_tokens)
    if not chunks:
        report.errors.append(f"{source.name}: no text could be indexed; check that the file has readable text.")
        return
    entry = gen.DocumentEntry(
        name=source.name, path=str(path.resolve()), sha256=source.sha256, format=source.format,
        council=info.council, title=info.title, period=info.period, chunk_count=len(chunks),
        row_count=sum(1 for record in records if record.kind == Kind.TABLE_ROW), aliases=info.aliases,
        councils=info.councils, kind=info.kind, published=info.published, partners=info.partners, notes=info.notes)
    (report.updated if known is not None else report.added).append(source.name)
    report.described[source.name] = {"council": info.council, "title": info.title, "period": info.period,
                                     "kind": info.kind, "published": info.published, "notes": "; ".join(info.notes)}
    documents[source.name] = _Document(entry, chunks, source.text)


def _embed_new(documents: dict[str, _Document], embedder: Embedder | None, progress: bool,
               on_progress: Callable[[float, str], None] | None, report: IngestReport,
               cancelled: Callable[[], bool]) -> None:
    pending = [doc for doc in documents.values() if doc.embeddings is None]
    if not pending:
        return
    embedder = embedder or shared_embedder()
    total = sum(len(doc.chunks) for doc in pending)
    done = 0
    with tqdm(total=total, desc="Embedding", unit="chunk", disable=not progress) as bar:
        for doc in pending:
            texts, parts = [chunk.search_text for chunk in doc.chunks], []
            for start in range(0, len(texts), EMBED_BATCH):
                if cancelled():
                    raise IngestCancelled("Indexing was cancelled; the index was not changed.")
                parts.append(embedder.embed(texts[start:start + EMBED_BATCH]))
                done += len(parts[-1])
                bar.update(len(parts[-1]))
                if on_progress:
                    on_progress(done / total, doc.entry.name)
            doc.embeddings = np.concatenate(parts)
    report.embedded = total


def _write(settings: Settings, documents: dict[str, _Document]) -> str:
    name = gen.new_generation_name()
    manifest = gen.GenerationManifest(name=name, chunk_max_tokens=settings.chunk_max_tokens,
                                      chroma_url=settings.chroma_url,
                                      documents={n: d.entry for n, d in sorted(documents.items())})
    ordered = [documents[n] for n in sorted(documents)]
    chunks = [chunk for doc in ordered for chunk in doc.chunks]
    dimension = next((doc.embeddings.shape[1] for doc in ordered if doc.embeddings is not None), 384)
    vectors = np.concatenate([doc.embeddings for doc in ordered]) if ordered else np.zeros((0, dimension), np.float32)
    gen.write_generation(settings.data_dir, manifest, chunks, vectors, {n: d.source for n, d in documents.items()})
    gen.make_current(settings.data_dir, name)
    gen.prune(settings.data_dir)
    return name
