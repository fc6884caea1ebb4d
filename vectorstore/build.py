"""Ingest: files → records → chunks → a new index generation, incrementally and crash-safely.

Text written for a reading machine rather than for people (`ingest.addressed`) and text a file's formatting
hides is never indexed, so no backend can quote it; each document's notes tell staff what was left out.

Each chunk is embedded, and so is each span of it the evidence scorer compares with a question
(`vectorstore.span_vectors`), so answering embeds only the question. A file whose bytes (sha256), chunk
settings and reading code (`ingest.fingerprint`) are unchanged reuses its chunks and vectors from the current
generation, so re-ingesting an unchanged corpus embeds nothing and writes nothing. A file
that cannot be read is reported and skipped (its previous version, if any, stays indexed); the rest
of the batch goes on. Indexed files that no longer exist on disk leave the index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from core.errors import IngestCancelled, IngestError
from core.settings import Settings
from ingest.addressed import screened, staff_notes
from ingest.chunk import Chunk, chunk_document
from ingest.describe import describe
from ingest.fingerprint import reader_fingerprint
from ingest.identity import beside, document_name
from ingest.limits import over_limit
from ingest.manifest import Said, collect_files
from ingest.parse import parse_source
from ingest.readers import read_source
from ingest.records import Kind
from vectorstore import generation as gen
from vectorstore.audit import Actor, record_changes
from vectorstore.embedder import Embedder, embedder_name, shared_embedder
from vectorstore.span_vectors import SpanVectors, span_texts


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # done, but a person should know how (a name taken)
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
    spans: SpanVectors | None = None  # None: not embedded yet (a new file, or an index from before span vectors)


EMBED_SLICE = 256  # texts embedded between progress reports and cancel checks


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
        engine = embedder.name if embedder else embedder_name(settings)
        previous = None if rebuild else _load_previous(settings, engine)
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
        if not rebuild and previous is not None and not report.changed and not _pending(documents):
            return report
        embedder = embedder or shared_embedder(settings)
        _embed_new(documents, embedder, progress, on_progress, report, cancelled)
        report.generation = _write(settings, documents, embedder.name)
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
        current = gen.current_generation(settings.data_dir)  # removing re-embeds nothing: keep the index's engine
        engine = gen.read_manifest(current).embedder if current else embedder_name(settings)
        documents = _load_previous(settings, engine) or {}
        unknown = [name for name in names if name not in documents]
        if unknown:
            raise IngestError(f"{', '.join(unknown)}: not indexed; `send-assistant documents` lists what is.")
        removed = [("removed", name, documents.pop(name).entry.sha256) for name in names]
        report = IngestReport(removed=list(names), generation=_write(settings, documents, engine),
                              chunks=sum(len(d.chunks) for d in documents.values()))
        record_changes(settings.data_dir, actor, removed)
        return report


def _load_previous(settings: Settings, engine: str) -> dict[str, _Document] | None:
    folder = gen.current_generation(settings.data_dir)
    if folder is None:
        return None
    manifest = gen.read_manifest(folder)
    if (manifest.chunk_max_tokens, manifest.chroma_url, manifest.embedder, manifest.reader) != (
            settings.chunk_max_tokens, settings.chroma_url, engine, reader_fingerprint()):
        return None  # a different chunking, store, embedding engine or reading code means nothing can be reused
    chunks, vectors, spans = gen.read_chunks(folder), gen.read_embeddings(folder), SpanVectors.load(folder)
    rows: dict[str, range] = {}
    for row, chunk in enumerate(chunks):  # a document's chunks are neighbours in a generation
        begun = rows.get(chunk.document, range(row, row))
        rows[chunk.document] = range(begun.start, row + 1)
    return {name: _Document(entry, chunks[rows[name].start:rows[name].stop], gen.read_source(folder, name),
                            vectors[rows[name].start:rows[name].stop],
                            spans.chunk_rows(rows[name].start, rows[name].stop) if spans else None)
            for name, entry in manifest.documents.items()}


def _file_sha256(path: Path) -> str | None:
    """The file's sha256, as `read_source` computes it; None if it cannot be read (reading it will say why)."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _read_one(path: Path, infos, settings: Settings, documents: dict[str, _Document], report: IngestReport,
              redescribed: bool = False) -> None:
    """Read, describe, parse and chunk one file. `redescribed`: a person said what it is, so an unchanged file
    is indexed again under its new description. A file changed where it was indexed from updates that document;
    a different file under an indexed name from elsewhere is indexed beside it (`ingest.identity`)."""
    location = str(path.resolve())
    here = next((name for name, doc in documents.items() if doc.entry.path == location), None)
    if here is not None and not redescribed and _file_sha256(path) == documents[here].entry.sha256:
        report.unchanged.append(here)  # known by its bytes where it was read from: an unchanged PDF is not parsed again
        return
    try:
        name = document_name(path.name)
        source = read_source(path, settings)
    except IngestError as exc:
        report.errors.append(str(exc))
        return
    name = here or name
    known = documents.get(name)
    if known is not None and known.entry.sha256 != source.sha256 and known.entry.path != location:
        name = beside(name, source.sha256)
        report.notices.append(f"{path.name}: a different file of this name is already indexed, so this one was "
                              f"indexed beside it as {name}; remove the one you no longer want with "
                              "`send-assistant documents remove NAME`.")
        known = documents.get(name)
    source = replace(source, name=name)
    if known is not None and known.entry.sha256 == source.sha256 and not redescribed:
        report.unchanged.append(name)
        return
    twin = next((other for other, doc in documents.items() if doc.entry.sha256 == source.sha256 and other != name),
                None)
    if twin is not None:
        report.errors.append(f"{name}: the same file is already indexed as {twin}; it was not added again.")
        return
    info = infos.get(path.name, Said()).applied_to(describe(source))
    records, left_out = screened(source.text, parse_source(source))
    info = replace(info, notes=info.notes + staff_notes(left_out, source.hidden))
    chunks = chunk_document(source, info, records, settings.chunk_max_tokens)
    if not chunks:
        report.errors.append(f"{source.name}: no text could be indexed; check that the file has readable text.")
        return
    if len(chunks) > settings.max_file_chunks:
        report.errors.append(str(over_limit(source.name, len(chunks), settings.max_file_chunks, "passages",
                                            "MAX_FILE_CHUNKS")))
        return
    entry = gen.DocumentEntry(
        name=source.name, path=location, sha256=source.sha256, format=source.format,
        council=info.council, title=info.title, period=info.period, chunk_count=len(chunks),
        row_count=sum(1 for record in records if record.kind == Kind.TABLE_ROW), aliases=info.aliases,
        councils=info.councils, kind=info.kind, published=info.published, partners=info.partners, notes=info.notes)
    (report.updated if known is not None else report.added).append(source.name)
    report.described[source.name] = {"council": info.council, "title": info.title, "period": info.period,
                                     "kind": info.kind, "published": info.published, "notes": "; ".join(info.notes)}
    documents[source.name] = _Document(entry, chunks, source.text)


def _embed_new(documents: dict[str, _Document], embedder: Embedder, progress: bool,
               on_progress: Callable[[float, str], None] | None, report: IngestReport,
               cancelled: Callable[[], bool]) -> None:
    """Embed the chunks of new files and the spans of every chunk (an index from before span vectors has none).

    Every text is embedded in one pass, longest first: a batch pads to its longest text, so batches of like
    lengths take a third of the time that a file's own order does."""
    pending = _pending(documents)
    if not pending:
        return
    report.embedded = sum(len(doc.chunks) for doc in pending if doc.embeddings is None)
    owner: dict[str, str] = {}  # each text, and the file it is first embedded for (for progress)
    for doc in pending:
        texts = [chunk.search_text for chunk in doc.chunks] if doc.embeddings is None else []
        texts += span_texts(doc.chunks)
        for text in texts:
            owner.setdefault(text, doc.entry.name)
    ordered = sorted(owner, key=len, reverse=True)
    vectors: dict[str, np.ndarray] = {}
    with tqdm(total=len(ordered), desc="Embedding", unit="text", disable=not progress) as bar:
        for start in range(0, len(ordered), EMBED_SLICE):
            if cancelled():
                raise IngestCancelled("Indexing was cancelled; the index was not changed.")
            batch = ordered[start:start + EMBED_SLICE]
            vectors.update(zip(batch, embedder.embed(batch)))
            bar.update(len(batch))
            if on_progress:
                on_progress(len(vectors) / len(ordered), owner[batch[0]])
    embedded = _Embedded(vectors, embedder.dimension)
    for doc in pending:
        if doc.embeddings is None:
            doc.embeddings = embedded.embed([chunk.search_text for chunk in doc.chunks])
        doc.spans = SpanVectors.embed(doc.chunks, doc.embeddings, embedded)


class _Embedded(Embedder):
    """The vectors `_embed_new` has already made, looked up by text."""

    name = "embedded"

    def __init__(self, vectors: dict[str, np.ndarray], dimension: int) -> None:
        self.vectors = vectors
        self.dimension = dimension

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.vectors[text] for text in texts])


def _pending(documents: dict[str, _Document]) -> list[_Document]:
    return [doc for doc in documents.values() if doc.embeddings is None or doc.spans is None]


def _write(settings: Settings, documents: dict[str, _Document], embedder: str) -> str:
    name = gen.new_generation_name()
    manifest = gen.GenerationManifest(name=name, chunk_max_tokens=settings.chunk_max_tokens,
                                      chroma_url=settings.chroma_url, embedder=embedder, reader=reader_fingerprint(),
                                      documents={n: d.entry for n, d in sorted(documents.items())})
    ordered = [documents[n] for n in sorted(documents)]
    chunks = [chunk for doc in ordered for chunk in doc.chunks]
    dimension = next((doc.embeddings.shape[1] for doc in ordered if doc.embeddings is not None), 384)
    vectors = np.concatenate([doc.embeddings for doc in ordered]) if ordered else np.zeros((0, dimension), np.float32)
    # only a generation whose every document has span vectors gets them (removing files from an older index: none)
    spans = (SpanVectors.concatenate([doc.spans for doc in ordered], dimension)
             if all(doc.spans is not None for doc in ordered) else None)
    gen.write_generation(settings.data_dir, manifest, chunks, vectors, {n: d.source for n, d in documents.items()},
                         spans)
    gen.make_current(settings.data_dir, name)
    gen.prune(settings.data_dir)
    return name
