"""HTML for the page: an answer with its source cards, a refusal, the glossary and the documents table.

Chat messages go through Gradio's Markdown renderer, which dedents lines and expands TABs, and a blank
line would end an HTML block. So every piece of document text is escaped with its newlines and TABs as
character references: the browser shows exactly `source[start:end]`, and a test can compare it byte for
byte. Everything here is pure (no Gradio), so it is tested without a browser.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator

from assistant.types import FALLBACK, Answer, Citation, RefusalKind
from ui import wording

SOURCES_START = '<div class="sources"'  # the plain answer is everything before this in a chat message
PROVENANCE_START = '<div class="provenance"'  # who wrote the answer and what checking removed (not answer text)
WORDS_PER_STEP = 4


def text(value: str) -> str:
    """Escape document text so it survives Markdown and shows exactly as in the source."""
    return html.escape(value, quote=True).replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;")


def answer_message(answer: Answer, source_text: Callable[[str], str]) -> str:
    """The finished chat message: the answer (or refusal) followed by one card per citation."""
    if answer.refused:
        return refusal_block(answer.answer, answer.refusal_kind) + provenance(answer)
    cards = "".join(source_card(c, source_text(c.document)) for c in answer.citations)
    return (f"{caveat_block(answer)}{answer_block(answer.answer)}{provenance(answer)}{SOURCES_START}>"
            f"<p class=\"sources-heading\">{wording.SOURCES_HEADING}</p>{cards}</div>")


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


def answer_block(answer_text: str) -> str:
    return f'<div class="answer-text">{text(answer_text)}</div>'


def refusal_block(message: str, kind: RefusalKind | None) -> str:
    heading = wording.REFUSAL_HEADINGS.get(kind, wording.REFUSAL_HEADING)
    return (f'<div class="refusal" role="note"><p class="refusal-heading">'
            f'<span class="refusal-icon" aria-hidden="true"></span>{html.escape(heading)}</p>'
            f'<p class="refusal-text">{text(message)}</p></div>')


def source_card(citation: Citation, source: str) -> str:
    start, end = citation.start, citation.end
    context_start, context_end = min(citation.context_start, start), max(citation.context_end, end)
    in_context = (f"{text(source[context_start:start])}<mark>{text(source[start:end])}</mark>"
                  f"{text(source[end:context_end])}")
    section = re.sub(r"\s+", " ", citation.section).strip() or wording.SOURCE_NO_SECTION
    marker = f"[{citation.marker}]"
    where = wording.SOURCE_FILE.format(document=f"<code>{html.escape(citation.document)}</code>", start=start, end=end)
    return (
        f'<section class="source-card"><p class="source-title"><span class="source-marker">'
        f'<span class="sr-only">{wording.SOURCE_FOR} </span>{marker}</span> '
        f'<strong>{html.escape(citation.council)}</strong> · {html.escape(citation.title)}</p>'
        f'<p class="source-section">{wording.SOURCE_SECTION}: {html.escape(section)}</p>'
        f'<blockquote class="source-quote">{text(citation.text)}</blockquote>'
        f'<details class="source-context"><summary>{wording.SHOW_IN_CONTEXT}</summary>'
        f'<p class="context-text">{in_context}</p></details>'
        f'<p class="source-file">{where}</p>'
        f'</section>')


def plain_text(message_html: str) -> str:
    """What a chat message says, without its source cards or markup (for history and screen readers)."""
    answer_part = message_html.split(SOURCES_START, 1)[0].split(PROVENANCE_START, 1)[0]
    answer_part = re.sub(r'<p class="(?:refusal|draft)-heading">.*?</p>', "", answer_part, flags=re.DOTALL)
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


def status(message: str, ok: bool) -> str:
    """A success or error line for uploads and feedback; errors are alerts so they are read at once."""
    role = "status" if ok else "alert"
    return f'<p class="{"ok" if ok else "error"}" role="{role}">{html.escape(message)}</p>'
