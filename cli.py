"""`send-assistant`: ingest, search, ask, eval and serve from the command line.

Errors print one line on stderr and exit with code 2 (a traceback only with --debug). JSON output is
the public contract in `assistant.contract` (`send-assistant schema` prints it as JSON Schema); `--batch`
modes check every input line first, then load the models once for many inputs.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import ConfigError, SendAssistantError
from core.settings import load_settings

if TYPE_CHECKING:
    from assistant.contract import BatchQuestion

EXIT_ERROR = 2
BACKENDS = ("extractive", "openai", "gguf")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="send-assistant", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="index files or folders (default: the bundled corpus)")
    ingest.add_argument("paths", nargs="*", type=Path)
    ingest.add_argument("--rebuild", action="store_true", help="start from an empty index")
    ingest.add_argument("--json", action="store_true", help="print the ingest report as JSON")
    ingest.add_argument("--council", action="append", default=[], metavar="NAME",
                        help="the council that wrote these files (repeat for a joint plan); default: read from them")
    ingest.add_argument("--title", help="the files' title; default: read from them")

    documents = commands.add_parser("documents", help="list the indexed documents, or remove one")
    documents.add_argument("action", nargs="?", choices=["list", "remove"], default="list")
    documents.add_argument("names", nargs="*", help="with remove: the file names to take out of the index")
    documents.add_argument("--json", action="store_true")

    search = commands.add_parser("search", help="ranked passages for a query")
    search.add_argument("query", nargs="?")
    search.add_argument("-k", type=int, default=None, help="number of hits")
    search.add_argument("--council", help="only this council's plans")
    search.add_argument("--json", action="store_true")
    search.add_argument("--batch", type=Path, help='JSONL file of {"id","question"} lines')

    ask = commands.add_parser("ask", help="a grounded answer with numbered sources")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--council", help="only this council's plans")
    ask.add_argument("--history", type=Path, help='JSON list of {"role","content"} messages')
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--batch", type=Path, help='JSONL file of {"id","question","history"?} lines')
    ask.add_argument("--backend", choices=BACKENDS, help="who writes the answer (default: SEND_ASSISTANT_BACKEND)")

    serve = commands.add_parser("serve", help="start the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7860)

    from evals.runner import add_eval_arguments

    evaluate = commands.add_parser("eval", help="score the assistant on the evaluation set; exit 1 below "
                                                "a threshold in evals/thresholds.toml")
    add_eval_arguments(evaluate)
    evaluate.add_argument("--backend", choices=BACKENDS, help="who writes the answers (default: "
                                                              "SEND_ASSISTANT_BACKEND)")
    commands.add_parser("schema", help="print the JSON Schema of every public JSON object")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s %(message)s")
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        return COMMANDS[args.command](args)
    except SendAssistantError as exc:
        if args.debug:
            raise
        print(f"send-assistant: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("send-assistant: interrupted; the previous index is unchanged.", file=sys.stderr)
        return EXIT_ERROR


def _ingest(args) -> int:
    from ingest.manifest import Said
    from vectorstore.build import ingest

    if (args.council or args.title) and not args.paths:
        raise ConfigError("--council and --title describe the files you name: give their paths too.")
    said = Said(councils=tuple(args.council), title=args.title or "") if args.council or args.title else None
    report = ingest(load_settings(), args.paths or None, rebuild=args.rebuild, progress=not args.json, said=said)
    if args.json:
        print(json.dumps(report.__dict__, ensure_ascii=False))
    else:
        state = f"index {report.generation}" if report.generation else "index unchanged"
        print(f"{state}: {len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
              f"{len(report.removed)} removed, {report.embedded} chunks embedded")
        for name, described in report.described.items():
            facts = ", ".join(f"{key} {value}" for key, value in described.items() if value and key != "notes")
            print(f"  {name}: {facts}" + (f" ({described['notes']})" if described["notes"] else ""))
    for error in report.errors:
        print(f"send-assistant: skipped {error}", file=sys.stderr)
    for notice in report.notices:
        print(f"send-assistant: note: {notice}", file=sys.stderr)
    return EXIT_ERROR if report.errors and not (report.added or report.updated or report.unchanged) else 0


def _documents(args) -> int:
    from assistant.contract import DocumentJSON

    settings = load_settings()
    if args.action == "remove":
        from vectorstore.build import remove_documents

        if not args.names:
            raise ConfigError("Name the documents to remove, e.g. send-assistant documents remove plan.pdf")
        report = remove_documents(settings, args.names)
        print(f"index {report.generation}: {len(report.removed)} removed ({', '.join(report.removed)})")
        return 0
    from vectorstore import generation as gen

    entries = gen.read_manifest(gen.require_current(settings.data_dir)).documents.values()
    listed = [DocumentJSON.from_entry(entry) for entry in entries]
    if args.json:
        print(json.dumps([item.model_dump(mode="json") for item in listed], ensure_ascii=False, indent=2))
        return 0
    for item in listed:
        period = f" ({item.period})" if item.period else ""
        print(f"{item.document}\n  {item.council} — {item.title}{period}\n  {item.kind or 'document'}, "
              f"{item.format}, {item.chunks} passages, {item.table_rows} table rows"
              + (f"\n  note: {'; '.join(item.notes)}" if item.notes else ""))
    return 0


def _open_index():
    from vectorstore.index import HybridIndex

    return HybridIndex.open(load_settings())


def _councils(index, name: str | None, question: str) -> list[str] | None:
    """--council wins; otherwise the councils the question itself names, if any."""
    if name is None:
        from assistant.councils import index_council_matcher

        return index_council_matcher(index.council_names).mentioned(question) or None
    council = index.resolve_council(name)
    if council is None:
        raise ConfigError(f"No plans from {name!r} are indexed. Known councils: {', '.join(index.councils)}.")
    return [council]


def _read_batch(path: Path) -> list[BatchQuestion]:
    """Every line of a `--batch` file as a `BatchQuestion`, all checked before any model is loaded."""
    from pydantic import ValidationError

    from assistant.contract import BatchQuestion, error_summary

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the batch file ({exc.strerror}).") from exc
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except ValueError as exc:
            raise ConfigError(f"{path}:{number}: not a JSON line ({exc}).") from exc
        if not isinstance(raw, dict):
            raise ConfigError(f'{path}:{number}: each line must be a JSON object {{"id"?, "question", "history"?}}.')
        try:
            items.append(BatchQuestion.model_validate(raw))
        except ValidationError as exc:
            raise ConfigError(f"{path}:{number}: {error_summary(exc)}") from exc
    return items


def _search(args) -> int:
    from assistant.contract import HitJSON, SearchBatchJSON
    from assistant.question import clean_question

    batch = _read_batch(args.batch) if args.batch else None
    index = _open_index()
    if batch is not None:
        for item in batch:
            question = clean_question(item.question, index.settings)
            hits = index.search(question, args.k, _councils(index, args.council, question))
            line = SearchBatchJSON(id=item.id, hits=[HitJSON.from_hit(hit) for hit in hits])
            print(json.dumps(line.model_dump(mode="json"), ensure_ascii=False), flush=True)
        return 0
    if args.query is None:
        raise ConfigError('Give a query, e.g. send-assistant search "who leads the short breaks review?"')
    question = clean_question(args.query, index.settings)
    hits = index.search(question, args.k, _councils(index, args.council, question))
    if args.json:
        print(json.dumps([HitJSON.from_hit(hit).model_dump(mode="json") for hit in hits], ensure_ascii=False,
                         indent=2))
        return 0
    for rank, hit in enumerate(hits, 1):
        chunk = hit.chunk
        print(f"{rank}. {chunk.council} — {chunk.title}\n   {chunk.section or '(no section)'} [{chunk.kind}] "
              f"{chunk.document}:{chunk.start}-{chunk.end}\n   {chunk.text[:300]}\n")
    return 0


def _read_history(path: Path | None) -> list[dict]:
    from pydantic import ValidationError

    from assistant.contract import error_summary, validate_history

    if path is None:
        return []
    shape = 'it must be a JSON list of {"role": "user"|"assistant", "content": "..."} objects'
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the history ({exc}); {shape}.") from exc
    try:
        return validate_history(raw)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {error_summary(exc)} ({shape}).") from exc


def _print_answer(answer) -> None:
    if answer.caveat:
        print(answer.caveat)
    print(answer.answer)
    if answer.citations:
        print("\nSources:")
    for citation in answer.citations:
        print(f"[{citation.marker}] {citation.council} — {citation.title}\n    {citation.section or '(no section)'} "
              f"({citation.document}:{citation.start}-{citation.end})\n    “{citation.text}”")
    for note in answer.notes:
        print(f"Note: {note}")


def _assistant(backend: str | None):
    """The assistant with the answer path the settings choose; --backend overrides SEND_ASSISTANT_BACKEND."""
    from assistant.engine import Assistant

    return Assistant.from_settings(load_settings(**({"backend": backend} if backend else {})))


def _ask(args) -> int:
    import time

    from assistant.contract import AnswerJSON, BatchAnswerJSON

    batch = _read_batch(args.batch) if args.batch else None
    if batch is None and args.question is None:
        raise ConfigError('Give a question, e.g. send-assistant ask "who leads the short breaks review?"')
    history = _read_history(args.history)
    assistant = _assistant(args.backend)
    council = _councils(assistant.index, args.council, "")[0] if args.council else None
    if batch is not None:
        for item in batch:
            began = time.perf_counter()
            answer = assistant.ask(item.question, [message.model_dump() for message in item.history], council)
            line = BatchAnswerJSON.from_answer(answer, id=item.id,
                                               latency_ms=round((time.perf_counter() - began) * 1000, 1))
            print(json.dumps(line.model_dump(mode="json"), ensure_ascii=False), flush=True)
        return 0
    answer = assistant.ask(args.question, history, council)
    if args.json:
        print(json.dumps(AnswerJSON.from_answer(answer).model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        _print_answer(answer)
    return 0


def _serve(args) -> int:
    import app

    app.serve(host=args.host, port=args.port)
    return 0


def _eval(args) -> int:
    from evals.runner import eval_command

    return eval_command(args, _assistant(args.backend))


def _schema(args) -> int:
    from assistant.contract import json_schemas
    from evals.dataset import EvalItem

    schemas = json_schemas() | {"eval_item": EvalItem.model_json_schema()}
    print(json.dumps(schemas, ensure_ascii=False, indent=2))
    return 0


COMMANDS = {"documents": _documents, "ingest": _ingest, "search": _search, "ask": _ask, "serve": _serve, "eval": _eval, "schema": _schema}


if __name__ == "__main__":
    sys.exit(main())
