"""HTML for the page: an answer with its source cards, a refusal, the glossary and the documents table.

Chat messages go through Gradio's Markdown renderer, which dedents lines and expands TABs, and a blank
line would end an HTML block. So every piece of document text is escaped with its newlines and TABs as
character references: the browser shows exactly `source[start:end]`, and a test can compare it byte for
byte. Everything here is pure (no Gradio), so it is tested without a browser.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from assistant.types import FALLBACK, Answer, Citation, RefusalKind
from ingest.chunk import Chunk
from ingest.records import Kind
from ui import wording
from ui.passages import Passages

SOURCES_START = '<div class="sources"'  # the plain answer is everything before this in a chat message
PROVENANCE_START = '<div class="provenance"'  # who wrote the answer and what checking removed (not answer text)
WORDS_PER_STEP = 4
ROW_MARK_FIELD = "Marked"  # ingest's summary of a row's ticked columns, not a column of the table itself


def text(value: str) -> str:
    """Escape document text so it survives Markdown and shows exactly as in the source."""
    return html.escape(value, quote=True).replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;")


def answer_message(answer: Answer, passages: Passages, anchor: str) -> str:
    """The finished chat message: the answer (or refusal) followed by one card per citation. Each [n] in the
    answer links to card n, whose id starts with `anchor` (unique to this message)."""
    if answer.refused:
        return refusal_block(answer.answer, answer.refusal_kind) + provenance(answer)
    cards = "".join(source_card(c, passages, anchor) for c in answer.citations)
    return (f"{caveat_block(answer)}{answer_block(answer.answer, anchor, answer.citations)}{provenance(answer)}"
            f"{SOURCES_START}><p class=\"sources-heading\">{wording.SOURCES_HEADING}</p>{cards}"
            f'<p class="back-to-question"><a class="to-question" href="#question">{wording.ASK_ANOTHER}</a></p></div>')


def card_id(anchor: str, marker: int) -> str:
    return f"source-{anchor}-{marker}"


def answered_by(answer: Answer) -> str:
    """Who wrote the answer, in plain words."""
    if answer.answered_by == "extractive":
        return wording.ANSWERED_BY_EXTRACTIVE
    if answer.answered_by == FALLBACK:
        return wording.ANSWERED_BY_FALLBACK
    backend = wording.BACKEND_NAMES.get(answer.answered_by, answer.answered_by)
    return wording.ANSWERED_BY_LLM.format(backend=backend)


def provenance(answer: Answer) -> str:
    """A small line under an answer saying who wrote it, and the checker's notes folded away.
    A refusal gets only its notes, if any (refusals are never written by a model)."""
    line = "" if answer.refused else f'<p class="answered-by">{html.escape(answered_by(answer), quote=False)}</p>'
    notes = "".join(f"<li>{text(note)}</li>" for note in answer.notes)
    details = (f'<details class="checking-notes"><summary>{html.escape(wording.NOTES_HEADING)}</summary>'
               f"<ul>{notes}</ul></details>") if notes else ""
    return f"{PROVENANCE_START}>{line}{details}</div>" if line or details else ""


def draft_message(draft: str) -> str:
    """The model's unchecked text while it is being written, clearly marked as a draft."""
    return (f'<div class="draft" role="note"><p class="draft-heading">{html.escape(wording.DRAFT_HEADING)}</p>'
            f'<p class="draft-text">{text(draft)}</p></div>')


def streaming_steps(answer: Answer) -> Iterator[str]:
    """Progressively longer partial messages, a few words at a time; the last one is the whole text."""
    words = re.split(r"(?<=\s)(?=\S)", answer.answer)
    for end in range(WORDS_PER_STEP, len(words) + WORDS_PER_STEP, WORDS_PER_STEP):
        partial = "".join(words[:end])
        if answer.refused:
            yield refusal_block(partial, answer.refusal_kind)
        else:
            yield caveat_block(answer) + answer_block(partial)


def caveat_block(answer: Answer) -> str:
    """What the answer cannot do ("I can't say for one child"), said first so it is not missed."""
    return f'<p class="caveat" role="note">{text(answer.caveat)}</p>' if answer.caveat else ""


def answer_block(answer_text: str, anchor: str = "", citations: tuple[Citation, ...] = ()) -> str:
    """The answer's words; with an `anchor`, each cited [n] is a link that takes focus to source card n."""
    shown = text(answer_text)
    markers = {citation.marker for citation in citations}
    if anchor and markers:
        shown = re.sub(r"\[(\d+)\]", lambda m: (
            f'<a class="marker" href="#{card_id(anchor, int(m[1]))}">'
            f'<span class="sr-only">{wording.SOURCE_LINK} </span>[{m[1]}]</a>' if int(m[1]) in markers else m[0]),
            shown)
    return f'<div class="answer-text">{shown}</div>'


def refusal_block(message: str, kind: RefusalKind | None) -> str:
    heading = wording.REFUSAL_HEADINGS.get(kind, wording.REFUSAL_HEADING)
    return (f'<div class="refusal" role="note"><p class="refusal-heading">'
            f'<span class="refusal-icon" aria-hidden="true"></span>{html.escape(heading)}</p>'
            f'<p class="refusal-text">{text(message)}</p></div>')


def source_card(citation: Citation, passages: Passages, anchor: str) -> str:
    """Card n: council and title, section and where in the document, the quote (a table row's cells by
    column), and the surrounding paragraph or table folded away. File names and offsets stay in the JSON."""
    chunk = passages.chunk(citation.chunk_id)
    section = re.sub(r"\s+", " ", citation.section).strip() or wording.SOURCE_NO_SECTION
    place = "".join(f" · {html.escape(part)}" for part in _place(chunk))
    is_row = chunk is not None and chunk.kind == Kind.TABLE_ROW and bool(_cells(chunk))
    quote = _row_cells(chunk) if is_row else f'<blockquote class="source-quote">{text(citation.text)}</blockquote>'
    context = _table(passages.table_around(chunk), chunk) if is_row else _paragraph(citation, passages)
    return (
        f'<section class="source-card" id="{card_id(anchor, citation.marker)}">'
        f'<p class="source-title"><span class="source-marker"><span class="sr-only">{wording.SOURCE_FOR} </span>'
        f'[{citation.marker}]</span> <strong>{html.escape(citation.council)}</strong> · '
        f'{html.escape(citation.title)}</p>'
        f'<p class="source-section">{wording.SOURCE_SECTION}: {html.escape(section)}{place}</p>'
        f'{quote}<details class="source-context"><summary>{wording.SHOW_IN_CONTEXT}</summary>{context}</details>'
        f'</section>')


def _place(chunk: Chunk | None) -> list[str]:
    """"Page 4", "Paragraph 3.2": where a reader finds the passage in the document itself."""
    if chunk is None:
        return []
    return ([wording.SOURCE_PAGE.format(page=chunk.page)] if chunk.page is not None and chunk.page >= 0 else []) + (
        [wording.SOURCE_PARAGRAPH.format(number=chunk.paragraph_number)] if chunk.paragraph_number else [])


def _cells(chunk: Chunk) -> list[tuple[str, str]]:
    """A row's (column, value) pairs, without the ingest's own "Marked" summary field."""
    return [(name, value) for name, value in chunk.fields.items() if value and name != ROW_MARK_FIELD]


def _row_cells(chunk: Chunk) -> str:
    cells = "".join(f"<dt>{text(name)}</dt><dd>{text(value)}</dd>" for name, value in _cells(chunk))
    return f'<dl class="source-quote row-cells">{cells}</dl>'


def _paragraph(citation: Citation, passages: Passages) -> str:
    source = passages.source_text(citation.document)
    start, end = citation.start, citation.end
    context_start, context_end = min(citation.context_start, start), max(citation.context_end, end)
    return (f'<p class="context-text">{text(source[context_start:start])}<mark>{text(source[start:end])}</mark>'
            f"{text(source[end:context_end])}</p>")


def _table(rows: list[Chunk], cited: Chunk) -> str:
    """The table the cited row sits in, the row marked (colour and words, for people who cannot see colour)."""
    columns = [name for name, _ in _cells(cited)]
    head = "".join(f'<th scope="col">{text(name)}</th>' for name in columns)
    body = ""
    for row in rows:
        is_cited = row.chunk_id == cited.chunk_id
        cells = [text(row.fields.get(name, "")) for name in columns]
        if is_cited:
            cells = [f"<mark>{cell}</mark>" for cell in cells]
            cells[0] = f'<span class="sr-only">{wording.CITED_ROW} </span>{cells[0]}'
        body += f'<tr{" class=cited-row" if is_cited else ""}>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
    return (f'<div class="table-wrap context-table"><table><caption class="sr-only">{wording.CONTEXT_TABLE}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def plain_text(message_html: str) -> str:
    """What a chat message says, without its source cards or markup (for history and screen readers)."""
    answer_part = message_html.split(SOURCES_START, 1)[0].split(PROVENANCE_START, 1)[0]
    answer_part = re.sub(r'<p class="(?:refusal|draft)-heading">.*?</p>|<span class="sr-only">.*?</span>', "",
                         answer_part, flags=re.DOTALL)
    answer_part = re.sub(r"</?(?:a|span)\b[^>]*>", "", answer_part)  # inline: a marker's link is part of a word
    return html.unescape(re.sub(r"<[^>]+>", " ", answer_part)).strip().replace("  ", " ")


def announcement(answer: Answer) -> str:
    """One message for the polite live region, read once when the answer is complete."""
    if answer.refused:
        return html.escape(wording.ANNOUNCE_REFUSAL.format(answer=answer.answer))
    count = len(answer.citations)
    sources = wording.ANNOUNCE_SOURCES.format(count=count, plural="" if count == 1 else "s")
    said = f"{answer.caveat} {answer.answer}" if answer.caveat else answer.answer
    return html.escape(wording.ANNOUNCE_ANSWER.format(answer=said, sources=sources))


def glossary(entries: Iterable[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{html.escape(acronym)}</dt><dd>{html.escape(expansion)}</dd>"
                    for acronym, expansion in entries)
    return f'<dl class="glossary">{items}</dl>' if items else f"<p>{wording.GLOSSARY_EMPTY}</p>"


def table(caption: str, headers: Iterable[str], rows: Iterable[Iterable[object]], numeric_from: int = 99) -> str:
    """An accessible data table (caption, column headers); columns from `numeric_from` align right."""
    head = "".join(f'<th scope="col">{html.escape(str(h))}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="{"num" if i >= numeric_from else ""}">{html.escape(str(v))}</td>'
                                    for i, v in enumerate(row)) + "</tr>" for row in rows)
    return (f'<div class="table-wrap" role="region" aria-label="{html.escape(caption)}" tabindex="0">'
            f'<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def progress(fraction: float, name: str, seconds_left: float | None) -> str:
    """An upload's progress bar and its words (percent done, and an estimate once there is one)."""
    percent = round(100 * fraction)
    words = wording.UPLOAD_INDEXING.format(name=name, percent=percent)
    if seconds_left is not None:
        words += wording.UPLOAD_ESTIMATE.format(seconds=max(1, round(seconds_left)))
    return (f'<div class="upload-progress"><progress max="100" value="{percent}" '
            f'aria-label="{wording.UPLOAD_PROGRESS_LABEL}"></progress> <span>{html.escape(words)}</span></div>')


def status(message: str, ok: bool) -> str:
    """A success or error line for uploads and feedback; errors are alerts so they are read at once."""
    role = "status" if ok else "alert"
    return f'<p class="{"ok" if ok else "error"}" role="{role}">{html.escape(message)}</p>'
