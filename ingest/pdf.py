"""A PDF's text as the parser reads every format: paragraphs re-flowed, headings marked, tables as TAB rows.

A PDF keeps only where each word is drawn. pdfplumber gives the words with their size and font and finds
ruled tables. From that: lines drawn again on every page near the top or bottom (a running header, "Page 3
of 8") are dropped; a line in larger or bold type standing alone is a heading (the largest type is level 1);
lines close together at the same indent are one paragraph, so a quote never ends where a line wrapped; a
bullet starts a list item; each table row is one TAB-joined line, as in the other formats. Page numbers are
kept as spans so answers can cite pages.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

import pdfplumber
import simplemma
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfplumber.page import PDFPageAggregatorWithMarkedContent

from core.errors import UnreadableFileError
from ingest.limits import over_limit, too_much_text
from ingest.records import Heading, PageSpan, joined_blocks

MARGIN = 0.1            # running headers and footers live in the top and bottom tenth of a page
REPEATED_SHARE = 0.5    # …and come back on at least half the pages
SAME_PLACE = 4.0        # …at the same height give or take this (pt)
HEADING_SIZE = 1.15     # type this much larger than the body's is a heading
LINE_TOLERANCE = 2.0    # words whose tops differ by less than this (pt) are on one line
PARAGRAPH_GAP = 1.45    # a gap wider than this many line heights starts a new paragraph
INVISIBLE_MODES = (3, 7)  # PDF text render modes that draw nothing
INVISIBLE = "invisible"   # the mark such characters carry
TINY_POINTS = 1.5         # type smaller than this cannot be read; footnote marks are 5-6 pt
_BULLETS = "•·▪◦●○■□◆◇►▶➢➤✓✔–-*"
_NUMBERED = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|\(?[a-z]\)|\(\d+\)|[A-Z][.)])\s")
_LABEL = re.compile(r"^[A-Z][\w ,&/()'’-]{1,40}:\s")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.IGNORECASE)


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    size: float
    bold: bool
    text: str

    @property
    def height(self) -> float:
        return max(1.0, self.bottom - self.top)


@dataclass
class _Block:
    text: str
    level: int = 0               # heading level, 0 for body text
    lines: list[_Line] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # a table's cells; its text is made from them last


def read_pdf(name: str, data: bytes, max_pages: int, max_chars: int
             ) -> tuple[str, tuple[PageSpan, ...], tuple[Heading, ...], str, tuple[str, ...]]:
    """(text, page spans, headings, title property, hidden text); raises UnreadableFileError with what to do. A PDF
    of more than `max_pages` pages is refused before any is read, and one whose text passes `max_chars` as soon as
    it does."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > max_pages:
                raise over_limit(name, len(pdf.pages), max_pages, "pages", "MAX_PDF_PAGES")
            title = str((pdf.metadata or {}).get("Title") or "")
            pages, hidden, extracted = [], [], 0
            for number, page in enumerate(pdf.pages, start=1):
                visible, unseen = _seen_and_unseen(page)
                pages.append(_page_items(number, visible))
                hidden.append(unseen)
                extracted += _characters(pages[-1])
                if extracted > max_chars:
                    raise too_much_text(name, extracted, max_chars)
            heights = [float(page.height) for page in pdf.pages]
    except UnreadableFileError:
        raise
    except Exception as exc:
        if _locked(exc):
            raise UnreadableFileError(
                f"{name}: the PDF is password-protected; save a copy without a password and add that instead."
            ) from exc
        detail = " ".join(str(exc).split())[:150]
        raise UnreadableFileError(
            f"{name}: the PDF could not be read ({type(exc).__name__}: {detail}); "
            "check it opens in a PDF viewer, or export a fresh copy and add that."
        ) from exc
    running = _running_lines(pages, heights)
    pages = [[item for item in items if not (isinstance(item, _Line) and _in_margin(item, height) and _key(item) in running)]
             for items, height in zip(pages, heights)]
    _stitch_tables(pages)
    lines = [item for page in pages for item in page if isinstance(item, _Line)]
    body = _body_size(lines)
    levels = _heading_levels(lines, body)
    page_blocks = [_blocks([item for item in items if not (isinstance(item, _Block) and not item.rows)], body, levels)
                   for items in pages]
    _paragraphs_across_pages(page_blocks)
    texts, spans, headings, start = [], [], [], 0
    for number, blocks in enumerate(page_blocks, start=1):
        page_text, page_headings = joined_blocks(((block.text, block.level) for block in blocks), start)
        texts.append(page_text)
        headings.extend(page_headings)
        spans.append(PageSpan(page=number, start=start, end=start + len(page_text)))
        start += len(page_text) + 2
    if not any(text.strip() for text in texts):
        raise UnreadableFileError(
            f"{name}: the PDF has no text layer (it is probably scanned images); "
            "run OCR on it, or add a text or DOCX version instead."
        )
    return "\n\n".join(texts), tuple(spans), tuple(headings), title, tuple(filter(None, hidden))


class _InvisibleMarking(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's own layout device, which also marks each character drawn in an invisible text render mode
    (3: neither filled nor stroked; 7: a clipping path only). pdfminer reads the mode but keeps it on no character,
    and pdfplumber copies a character's marked-content `tag` into its dict, so the mark travels there."""

    invisible = False

    def render_string(self, textstate, *args, **kwargs):
        self.invisible = textstate.render in INVISIBLE_MODES
        return super().render_string(textstate, *args, **kwargs)

    def render_char(self, *args, **kwargs) -> float:
        advance = super().render_char(*args, **kwargs)
        if self.invisible:
            self.cur_item._objs[-1].tag = INVISIBLE
        return advance


def _seen_and_unseen(page):
    """The page without the characters a reader never sees, and those characters' text. Unseen: invisible (but
    not over an image, where it is a scan's OCR layer repeating what the image shows), white where no image or
    coloured shape lies under it, smaller than can be read, or outside the page."""
    device = _InvisibleMarking(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()  # where pdfplumber keeps a page's layout once worked out
    images = [(image["x0"], image["top"], image["x1"], image["bottom"]) for image in page.images]
    fills = images + [(shape["x0"], shape["top"], shape["x1"], shape["bottom"]) for shape in page.rects + page.curves
                      if shape.get("fill") and not _white(shape.get("non_stroking_color"))]

    def unseen(obj: dict) -> bool:
        if obj["object_type"] != "char":
            return False
        if obj.get("tag") == INVISIBLE:
            return not any(_inside(obj, box) for box in images)
        off_page = obj["x1"] < 0 or obj["x0"] > page.width or obj["bottom"] < 0 or obj["top"] > page.height
        return off_page or obj["size"] < TINY_POINTS or (
            _white(obj.get("non_stroking_color")) and not any(_inside(obj, box) for box in fills))

    if not any(unseen(char) for char in page.chars):
        return page, ""
    return page.filter(lambda obj: not unseen(obj)), " ".join(page.filter(unseen).extract_text().split())


def _white(colour) -> bool:
    """Gray 1, RGB (1, 1, 1) or CMYK (0, 0, 0, 0)."""
    if not isinstance(colour, (tuple, list)) or not all(isinstance(part, (int, float)) for part in colour):
        return False
    return list(colour) in ([1], [1, 1, 1], [0, 0, 0, 0])


def _characters(items: list[_Line | _Block]) -> int:
    """Characters of text on a page as read: its lines and its tables' cells."""
    return sum(len(item.text) for item in items) + sum(len(cell or "") for item in items if isinstance(item, _Block)
                                                       for row in item.rows for cell in row)


def _locked(error: BaseException) -> bool:
    """pdfminer's "wrong password" arrives wrapped (PdfminerException(PDFPasswordIncorrect()))."""
    seen = [error, error.__cause__, error.__context__, *getattr(error, "args", ())]
    return any("password" in type(item).__name__.lower() or "encrypt" in str(item).lower()
               for item in seen if isinstance(item, BaseException))


def _page_items(number: int, page) -> list[_Line | _Block]:
    """The page's lines outside tables and its tables (as TAB-row blocks), top to bottom."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    words = [word for word in page.extract_words(extra_attrs=["size", "fontname"], use_text_flow=True)
             if not any(_inside(word, box) for box in boxes)]
    items: list[tuple[float, _Line | _Block]] = [(line.top, line) for line in _lines(number, words)]
    for table, box in zip(tables, boxes):
        rows = [[_cell_text(cell) for cell in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        if rows:
            items.append((box[1], _Block("", rows=rows)))
    items.sort(key=lambda pair: pair[0])
    return [item for _, item in items]


def _cell_text(cell: str | None) -> str:
    """A cell's lines joined; a word broken at a hyphen stays hyphenated ("multi-agency")."""
    return " ".join(re.sub(r"(?<=\w)-\n(?=[a-z])", "-", cell or "").split())


def _stitch_tables(pages: list[list[_Line | _Block]]) -> None:
    """A table running on from the page before loses its repeated header row, and a row the page break cut
    in two is joined back together."""
    previous: _Block | None = None
    for items in pages:
        first = items[0] if items else None
        if previous is not None and isinstance(first, _Block) and first.rows \
                and len(first.rows[0]) == len(previous.rows[0]):
            rows = first.rows[1:] if first.rows[0] == previous.rows[0] else first.rows
            if rows and _cut_row(previous.rows[-1], rows[0]):
                previous.rows[-1] = [" ".join(filter(None, pair)) for pair in zip(previous.rows[-1], rows[0])]
                rows = rows[1:]
            first.rows = rows
            if not rows:
                first = previous  # the whole page's part was the cut row: the table may run on again
        last = items[-1] if items else None
        previous = last if isinstance(last, _Block) and last.rows else (first if first is previous else None)


def _cut_row(before: list[str], row: list[str]) -> bool:
    """Whether the first row on a page is the rest of the row the page break cut: its first cell is empty, or it
    fills fewer cells than the row before, only cells that row fills, and one of them carries on mid-sentence
    ("pupils with a plan (Attendance)", "2024)")."""
    filled = [i for i, cell in enumerate(row) if cell]
    if not row[0]:
        return bool(filled)
    return (len(filled) < sum(1 for cell in before if cell) and all(before[i] for i in filled)
            and any(row[i][0].islower() or row[i][0] in ")]" for i in filled))


def _inside(word: dict, box: tuple[float, float, float, float]) -> bool:
    middle_x, middle_y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return box[0] <= middle_x <= box[2] and box[1] <= middle_y <= box[3]


def _lines(page: int, words: list[dict]) -> list[_Line]:
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) < LINE_TOLERANCE:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        sizes = Counter(round(w["size"], 1) for w in row for _ in w["text"])
        bold = sum(len(w["text"]) for w in row if "bold" in w["fontname"].lower()) > sum(len(w["text"]) for w in row) / 2
        lines.append(_Line(page, min(w["top"] for w in row), max(w["bottom"] for w in row), row[0]["x0"],
                           sizes.most_common(1)[0][0], bold, " ".join(w["text"] for w in row)))
    return lines


def _key(line: _Line) -> str:
    """A line with its numbers blanked: "Page 3 of 8" and "Page 4 of 8" are the same running line."""
    return re.sub(r"\d+", "#", line.text.strip().lower())


def _in_margin(line: _Line, height: float) -> bool:
    return line.top < height * MARGIN or line.bottom > height * (1 - MARGIN)


def _running_lines(pages: list[list[_Line | _Block]], heights: list[float]) -> set[str]:
    """Lines in the page margins that come back, at the same height, on many pages, and bare page numbers there.
    Only their copies in the margins are running lines: the same words in the body ("Applications close: 9 June"),
    or a line that only happens to start two pages, are text."""
    where: dict[str, list[float]] = {}
    numbers: set[str] = set()
    for items, height in zip(pages, heights):
        marginal = {_key(item): item.top for item in items if isinstance(item, _Line) and _in_margin(item, height)}
        for key, top in marginal.items():
            where.setdefault(key, []).append(top)
        numbers |= {key for key in marginal if _PAGE_NUMBER.match(key.replace("#", "1"))}
    repeated = {key for key, tops in where.items() if len(tops) >= 2 and len(tops) >= REPEATED_SHARE * len(pages)
                and max(tops) - min(tops) <= SAME_PLACE}
    return repeated | numbers


def _body_size(lines: list[_Line]) -> float:
    sizes = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _heading_levels(lines: list[_Line], body: float) -> dict[tuple[float, bool], int]:
    """Heading styles (larger or bold type), largest first, as levels 1, 2, 3…"""
    styles = {(line.size, line.bold) for line in lines if _looks_like_heading(line, body)}
    ordered = sorted(styles, key=lambda style: (-style[0], not style[1]))
    return {style: level for level, style in enumerate(ordered, start=1)}


def _looks_like_heading(line: _Line, body: float) -> bool:
    """A short line, not a sentence or list item, set larger than the body or in bold."""
    words = line.text.split()
    if not words or len(words) > 14 or line.text.rstrip().endswith((".", ",", ";")) or _is_bullet(line.text[0]):
        return False
    return line.size >= body * HEADING_SIZE or (line.bold and line.size >= body - 0.5)


def _is_heading(line: _Line, body: float, levels: dict[tuple[float, bool], int]) -> int:
    return levels.get((line.size, line.bold), 0) if _looks_like_heading(line, body) else 0


def _blocks(items: list[_Line | _Block], body: float, levels: dict[tuple[float, bool], int]) -> list[_Block]:
    """Lines re-flowed into paragraphs, list items and headings; tables as they are."""
    blocks: list[_Block] = []
    for item in items:
        if isinstance(item, _Block):
            item.text = "\n".join("\t".join(row) for row in item.rows)
            blocks.append(item)
            continue
        level = _is_heading(item, body, levels)
        previous = blocks[-1] if blocks and blocks[-1].lines else None
        if level:
            if previous is not None and previous.level == level and _continues(previous.lines[-1], item):
                previous.text = _joined_line(previous.text, item.text)  # a heading wrapped over two lines
                previous.lines.append(item)
            else:
                blocks.append(_Block(item.text, level, [item]))
        elif previous is not None and not previous.level and _continues(previous.lines[-1], item) \
                and (not _starts_item(item.text) or _breaks_a_sentence(previous.text, item.text)):
            previous.text = _joined_line(previous.text, item.text)
            previous.lines.append(item)
        else:
            blocks.append(_Block(_as_item(item.text), 0, [item]))
    return _lists_together(blocks)


def _continues(above: _Line, line: _Line) -> bool:
    """The same paragraph: close below the line above, at about its indent (or a bullet's hanging indent)."""
    gap = line.top - above.bottom
    return 0 <= gap <= above.height * (PARAGRAPH_GAP - 1) + 2 and abs(line.size - above.size) < 0.5


def _is_bullet(character: str) -> bool:
    """A bullet glyph; a symbol font's bullet arrives as a private-use character (Word's Symbol bullet is U+F0B7)."""
    return bool(character) and (character in _BULLETS or 0xE000 <= ord(character) <= 0xF8FF)


def _starts_item(text: str) -> bool:
    """A bullet, a number or letter ("2.1", "(b)", "C.") or a form label ("Date of Meeting: …") starts a block of
    its own."""
    return _is_bullet(text[:1]) or bool(_NUMBERED.match(text)) or bool(_LABEL.match(text))


def _breaks_a_sentence(paragraph: str, line: str) -> bool:
    """ "…between 3 May and" / "14 October the list fell…": a line that opens with a bare figure carries on a
    sentence the line above left open (ending on a small word such as "and", "of", "to"), not a numbered item."""
    return (re.match(r"^\d{1,2}\s", line) is not None
            and re.search(r"\b(?:and|or|of|to|from|by|on|in|at|the|a|an|with|between|until|since|for)$", paragraph) is not None)


def _as_item(text: str) -> str:
    """A bullet drawn as its own glyph ("• ", "▪ ") becomes the parser's "• "."""
    if _is_bullet(text[:1]) and text[1:2] == " ":
        return "• " + text[2:].lstrip()
    return text


def _joined_line(paragraph: str, line: str) -> str:
    """A wrapped line joined back: a word broken at a hyphen ("commiss-" + "ioning") is made whole, a word written
    with one keeps it ("cross-" + "border": "crossborder" is no word; "co-" + "chairs": two words, however the
    dictionary spells them together), and a range of figures broken at its dash ("2027–" + "2030") is one again."""
    if paragraph.endswith("-") and not paragraph.endswith(" -") and line[:1].islower():
        broken, rest = re.search(r"(\w*)-$", paragraph).group(1), re.match(r"\w*", line).group(0)
        whole = simplemma.is_known(f"{broken}{rest}".lower(), lang="en")
        parts = all(simplemma.is_known(part.lower(), lang="en") for part in (broken, rest) if part)
        return paragraph[:-1] + line if whole and not parts else paragraph + line
    if re.search(r"\d[-–—/]$", paragraph) and line[:1].isdigit():
        return paragraph + line
    return paragraph + " " + line


def _paragraphs_across_pages(pages: list[list[_Block]]) -> None:
    """A paragraph the page break cut (no full stop at the foot of the page) is joined to its rest."""
    for before, after in zip(pages, pages[1:]):
        if not before or not after:
            continue
        last, first = before[-1], after[0]
        if _is_prose(last) and _is_prose(first) and not last.text.rstrip().endswith((".", "!", "?", ":", ";")) \
                and not _starts_item(first.text):
            last.text = _joined_line(last.text, first.text)
            last.lines.extend(first.lines)
            del after[0]


def _is_prose(block: _Block) -> bool:
    return not block.level and not block.rows and "\n" not in block.text and not block.text.startswith("• ")


def _lists_together(blocks: list[_Block]) -> list[_Block]:
    """Consecutive list items become one block of lines, as a list is in the other formats."""
    merged: list[_Block] = []
    for block in blocks:
        if merged and block.text.startswith("• ") and merged[-1].text.split("\n")[-1].startswith("• ") \
                and not merged[-1].level:
            merged[-1].text += "\n" + block.text
            merged[-1].lines.extend(block.lines)
        else:
            merged.append(block)
    return merged
