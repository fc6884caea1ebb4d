"""Read one file into a `SourceText`: the exact text that every later offset points into.

Promises:
- .txt/.md text is the file itself, decoded from whichever of UTF-8 (with or without a byte-order mark),
  UTF-16, Windows-1252 or Latin-1 it is in, newlines untouched, so a cited `text[start:end]` is exactly what
  the user sees in the file.
- PDF, DOCX and HTML are flattened to the plain lines the structure parser understands: headings
  on their own line, bullets as "• item" (nested ones indented), table rows as TAB-joined cells,
  blocks separated by a blank line. PDFs also get a `PageSpan` per page so answers can cite pages.
- `sha256` is of the file bytes, so an unchanged file can be recognised when added again.
- Anything we cannot read raises `UnsupportedFileError` or `UnreadableFileError` with one line
  that names the file and says what to do, so one bad upload never stops a batch.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import stat
import zipfile
from pathlib import Path

import charset_normalizer
import docx
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString
from docx.shared import RGBColor
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from core.errors import UnreadableFileError, UnsupportedFileError
from core.settings import Settings, load_settings
from ingest.limits import too_much_text
from ingest.pdf import read_pdf
from ingest.records import Heading, PageSpan, SourceText, joined_blocks

_FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMATS)
_USUAL_ENCODINGS = ["utf_16", "utf_16_le", "utf_16_be", "utf_32", "cp1252", "latin_1"]
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # a guessed encoding that yields these guessed wrong
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted Office files and old .doc
_HTML_DROP = ["script", "style", "nav", "head", "noscript", "template"]
_HTML_BLOCKS = set(
    "h1 h2 h3 h4 h5 h6 p div section article main header footer aside blockquote pre address figure"
    " figcaption dl dt dd li tr td th br hr form fieldset details summary caption".split()
)
_HTML_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_WHITE = RGBColor(0xFF, 0xFF, 0xFF)
TINY_POINTS = 3.0  # type smaller than this is not there to be read (footnote marks are 5-6 pt)
_HIDING_STYLE = re.compile(r"display:none|visibility:hidden|(?<![-\w])(?:font-size|opacity):0"
                           r"(?:\.0*)?(?![.\d]*[1-9])|(?<![-\w])(?:left|top|text-indent|margin-left):-\d{3,}")
_WHITE_TEXT = re.compile(r"(?<![-\w])color:(?:#fff\b|#ffffff\b|white\b|rgba?\(255,255,255)")


def read_source(path: Path, settings: Settings | None = None) -> SourceText:
    """Read `path` by its suffix, within the limits `settings` sets; raise an `IngestError` the user can act on if
    we cannot. A symbolic link or a special file (a pipe, a device) is never read: only a plain file is a plan."""
    path = Path(path)
    limits = settings or load_settings()
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        kind = f"'{suffix}' files are" if suffix else "files without an extension are"
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnsupportedFileError(f"{path.name}: {kind} not supported; add one of {supported} instead.")
    try:
        status = path.lstat()
        plain_file = stat.S_ISREG(status.st_mode)
        too_large = status.st_size > limits.max_file_mb * 2**20
        data = b"" if too_large or not plain_file else path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(
            f"{path.name}: the file could not be opened ({_reason(exc)}); check it exists and is readable."
        ) from exc
    if not plain_file:
        kind = "a symbolic link" if stat.S_ISLNK(status.st_mode) else "not a plain file"
        raise UnreadableFileError(f"{path.name}: {kind}, so it was skipped; add the plan file itself instead.")
    if too_large:
        raise UnreadableFileError(f"{path.name}: the file is too large (over {limits.max_file_mb} MB, "
                                  "SEND_ASSISTANT_MAX_FILE_MB); split it or add a smaller copy.")
    fmt = _FORMATS[suffix]
    pages: tuple[PageSpan, ...] = ()
    headings: tuple[Heading, ...] = ()
    meta_title, addresses, hidden = "", (), ()
    if not data:
        text = ""
    elif fmt == "pdf":
        text, pages, headings, meta_title, hidden = read_pdf(path.name, data, limits.max_pdf_pages,
                                                             limits.max_file_chars)
    elif fmt == "docx":
        text, headings, meta_title, hidden = _read_docx(path.name, data, limits)
    elif fmt == "html":
        text, headings, meta_title, addresses, hidden = _read_html(data)
    else:
        text = _read_plain(path.name, data)
    if not text.strip():
        raise UnreadableFileError(f"{path.name}: the file has no text in it; add a copy that does.")
    if len(text) > limits.max_file_chars:
        raise too_much_text(path.name, len(text), limits.max_file_chars)
    sha256 = hashlib.sha256(data).hexdigest()
    return SourceText(path=path, name=path.name, format=fmt, text=text, sha256=sha256, pages=pages,
                      headings=headings, meta_title=meta_title, addresses=addresses, hidden=hidden)


def _reason(exc: Exception) -> str:
    """A library error squeezed onto one short line, so our message stays one line."""
    detail = " ".join(str(exc).split())[:150]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _read_plain(name: str, data: bytes) -> str:
    """The file decoded, newlines untouched, so offsets point into what the file says. UTF-8 is tried first (most
    files, and exact); otherwise charset-normalizer names the encoding among those English documents are saved
    in (UTF-16, UTF-32, Windows-1252, Latin-1): a short file fits many code pages equally well, and a guess among
    them all reads a Western file as Central European or random bytes as Cyrillic. A byte-order mark is not
    text: it is dropped, and offsets count from the character after it."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
        binary = "\x00" in text
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data, cp_isolation=_USUAL_ENCODINGS).best()
        text = str(best) if best is not None else ""
        binary = best is None or bool(_CONTROL.search(text))
    if binary:
        raise UnreadableFileError(
            f"{name}: the file looks binary, not text; save it as UTF-8 plain text and add that.")
    return text.removeprefix("\ufeff")


def _is_site_chrome(tag: Tag) -> bool:
    """The site's own banner and footer (its name, breadcrumbs, "Accessibility · Cookies"), around the page's content
    rather than in it: a <header> or <footer> outside <main>, <article> and <section> that holds no heading."""
    return (tag.name in ("header", "footer") and tag.find_parent(("main", "article", "section")) is None
            and tag.find(("h1", "h2", "h3")) is None)


def _read_html(data: bytes) -> tuple[str, tuple[Heading, ...], str, tuple[str, ...], tuple[str, ...]]:
    """The page as blocks of text (a list or a table is one block of bullet or TAB-joined lines), its <h1>–<h6>
    headings, what its <head> says (the page title and the addresses it came from), and the text it hides."""
    try:
        markup: str | bytes = data.decode("utf-8")
    except UnicodeDecodeError:
        markup = data  # let BeautifulSoup follow <meta charset> or fall back to cp1252
    soup = BeautifulSoup(markup, "lxml")
    meta_title, addresses = _html_head(soup)
    for tag in soup(_HTML_DROP):
        tag.decompose()
    for tag in soup.find_all(_is_site_chrome):
        tag.decompose()
    hidden = []
    for tag in soup.find_all(_is_hidden):
        if not tag.decomposed:
            hidden.append(_collapse(tag.get_text(" ")))
            tag.decompose()
    for special in soup.find_all(string=lambda s: isinstance(s, PreformattedString)):  # comments, doctype
        special.extract()
    blocks: list[tuple[str, int]] = []  # (text, heading level or 0)
    inline: list[str] = []

    def flush(level: int = 0) -> None:
        blocks.append((_collapse("".join(inline)), level))
        inline.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                inline.append(str(child))
            elif child.name in ("ul", "ol"):
                flush()
                blocks.append(("\n".join(_html_list(child, depth=0)), 0))
            elif child.name == "table":
                flush()
                blocks.extend((block, 0) for block in _html_table(child))
            elif child.name in _HTML_HEADINGS:
                flush()
                walk(child)
                flush(level=int(child.name[1]))
            elif child.name in _HTML_BLOCKS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(soup)
    flush()
    text, headings = joined_blocks(blocks)
    return text, headings, meta_title, addresses, tuple(filter(None, hidden))


def _html_head(soup: BeautifulSoup) -> tuple[str, tuple[str, ...]]:
    title = soup.find("title")
    addresses = [tag.get("content") or tag.get("href") for tag in soup.find_all(["meta", "link"])
                 if tag.get("name") == "source" or tag.get("property") == "og:url" or "canonical" in (tag.get("rel") or [])]
    return (_collapse(title.get_text()) if title else ""), tuple(a for a in addresses if a)


def _is_hidden(tag: Tag) -> bool:
    """Text a reader of the page never sees: never indexed, never quoted. Hidden by attribute or style (hidden,
    display:none, no size, no opacity, pushed far off the page), or white on a page that gives it no background."""
    style = _style(tag)
    return (tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or bool(_HIDING_STYLE.search(style))
            or (bool(_WHITE_TEXT.search(style)) and not any("background" in _style(t) for t in (tag, *tag.parents))))


def _style(tag: Tag) -> str:
    return (tag.get("style") or "").replace(" ", "").lower() if isinstance(tag, Tag) else ""


def _html_flat(node: Tag, skip: tuple[str, ...] = ()) -> str:
    """The text of `node` on one line: inline tags run together, block tags are kept a space apart."""
    parts = []
    for child in node.children:
        if isinstance(child, NavigableString):
            parts.append(str(child))
        elif child.name not in skip:
            inner = _html_flat(child, skip)
            parts.append(f" {inner} " if child.name in _HTML_BLOCKS else inner)
    return _collapse("".join(parts))


def _html_list(lst: Tag, depth: int) -> list[str]:
    """One "• item" line per <li>, nested lists indented two spaces per level."""
    lines = []
    for li in (li for li in lst.find_all("li") if li.find_parent(["ul", "ol"]) is lst):
        if text := _html_flat(li, skip=("ul", "ol")):
            lines.append("  " * depth + "• " + text)
        for nested in (n for n in li.find_all(["ul", "ol"]) if n.find_parent("li") is li):
            lines.extend(_html_list(nested, depth + 1))
    return lines


def _html_table(table: Tag) -> list[str]:
    """The caption as its own block, then one TAB-joined line per row, header rows first."""
    caption = table.find("caption")
    blocks = [_html_flat(caption)] if caption and caption.find_parent("table") is table else []
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    rows.sort(key=lambda tr: tr.find_parent("thead") is None)  # stable: otherwise document order
    lines = ["\t".join(_html_flat(cell) for cell in tr.find_all(["th", "td"], recursive=False)) for tr in rows]
    return [*blocks, "\n".join(line for line in lines if line.strip())]


def _read_docx(name: str, data: bytes, limits: Settings) -> tuple[str, tuple[Heading, ...], str, tuple[str, ...]]:
    """Body paragraphs and tables in document order (consecutive list items form one block), the headings
    Word's styles mark, the title property, and the text its formatting hides."""
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFileError(
            f"{name}: this is a password-protected Word file or an old .doc, not a .docx; "
            "save an unprotected copy as .docx and add that."
        )
    _check_inflated_size(name, data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        items = list(document.iter_inner_content())
    except Exception as exc:
        raise UnreadableFileError(
            f"{name}: the file is not a valid Word .docx ({_reason(exc)}); "
            "open it in Word, save it again as .docx and add that."
        ) from exc
    blocks: list[tuple[str, int]] = []
    hidden: list[str] = []
    in_list = False
    for item in items:
        line, is_list, level = (_docx_table(item, hidden), False, 0) if isinstance(item, Table) \
            else _docx_paragraph(item, hidden)
        if not line:
            continue
        if is_list and in_list:
            blocks[-1] = (blocks[-1][0] + "\n" + line, 0)
        else:
            blocks.append((line, level))
        in_list = is_list
    text, headings = joined_blocks(blocks)
    return text, headings, _collapse(document.core_properties.title or ""), tuple(filter(None, hidden))


def _check_inflated_size(name: str, data: bytes, limits: Settings) -> None:
    """Read the zip's own table of sizes before anything is inflated; python's zipfile never inflates an entry
    past the size it declares, so the declared sizes bound the memory a Word file can take."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        return  # not a zip at all: python-docx says so below, with the usual message
    inflated = sum(entry.file_size for entry in entries)
    if len(entries) > limits.max_docx_parts or inflated > limits.max_docx_unpacked_mb * 2**20:
        raise UnreadableFileError(
            f"{name}: the Word file would unpack to {inflated // 2**20:,} MB in {len(entries):,} parts, more than a "
            f"plan needs (limits {limits.max_docx_unpacked_mb} MB, {limits.max_docx_parts:,} parts: "
            "SEND_ASSISTANT_MAX_DOCX_UNPACKED_MB, SEND_ASSISTANT_MAX_DOCX_PARTS); "
            "save it again from Word, or export a PDF, and add that.")


def _docx_paragraph(paragraph: Paragraph, hidden: list[str]) -> tuple[str, bool, int]:
    """The paragraph's line, whether it is a list item, and its heading level (0: not a heading); text its
    formatting hides goes to `hidden`."""
    text = _docx_visible(paragraph, hidden)
    style = getattr(paragraph.style, "name", None) or ""
    heading = re.fullmatch(r"Heading (\d)", style)
    if style == "Title" or heading:
        return text, False, int(heading.group(1)) if heading else 1
    p_pr = paragraph._p.pPr
    num_pr = p_pr.numPr if p_pr is not None else None
    if not text or ("List" not in style and num_pr is None):
        return text, False, 0
    level = num_pr.ilvl.val if num_pr is not None and num_pr.ilvl is not None else 0
    return "  " * level + "• " + text, True, 0


def _docx_visible(paragraph: Paragraph, hidden: list[str]) -> str:
    """The paragraph's text a reader sees: not its runs that are hidden, white (unhighlighted) or too small to
    read, whether the run or the paragraph's style says so; those go to `hidden`."""
    shown, unseen = [], []
    for item in paragraph.iter_inner_content():
        for run in (item.runs if isinstance(item, Hyperlink) else [item]):
            (unseen if _docx_unseen(run, paragraph) else shown).append(run.text)
    hidden.append(_collapse("".join(unseen)))
    return _collapse("".join(shown))


def _docx_unseen(run: Run, paragraph: Paragraph) -> bool:
    style_font = getattr(paragraph.style, "font", None)

    def effective(attribute: str):
        value = getattr(run.font, attribute)
        return value if value is not None or style_font is None else getattr(style_font, attribute)

    colour = effective("color")
    white = colour is not None and colour.type is not None and colour.rgb == _WHITE and run.font.highlight_color is None
    size = effective("size")
    return bool(effective("hidden")) or white or (size is not None and size.pt < TINY_POINTS)


def _docx_table(table: Table, hidden: list[str]) -> str:
    """One TAB-joined line per row, a cell per column: a cell merged across columns (repeated by python-docx)
    is written once and its other columns left empty, so every row keeps the table's columns."""
    lines = []
    for row in table.rows:
        cells = row.cells  # built afresh on each access; within it a merged cell repeats as one object
        texts = ["" if i and cell is cells[i - 1] else
                 _collapse(" ".join(_docx_visible(paragraph, hidden) for paragraph in cell.paragraphs))
                 for i, cell in enumerate(cells)]
        if any(texts):
            lines.append("\t".join(texts))
    return "\n".join(lines)
