"""`ingest.readers` on real files: text kept exactly, structure flattened to lines, clear errors.

PDF and DOCX inputs are made the way councils make them — LibreOffice exports and python-docx
documents — rather than mocked, so a change in pypdf or python-docx shows up here.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from core.errors import IngestError, UnreadableFileError, UnsupportedFileError
from ingest.readers import SUPPORTED_SUFFIXES, read_source

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

TWO_PAGE_HTML = """<html><body>
<h1>Local Offer</h1>
<p>Page one says the Local Offer covers early years settings.</p>
<p style="page-break-before: always">Page two says transition planning starts in Year 9.</p>
</body></html>"""

STRUCTURED_HTML = """<html><body>
<h1>Joint commissioning</h1>
<p>We will commission these services together.</p>
<ul><li>Speech and language therapy</li><li>Occupational therapy</li></ul>
<table><tr><th>Service</th><th>Budget</th></tr><tr><td>SALT</td><td>£1.2m</td></tr></table>
</body></html>"""


@pytest.fixture(scope="module")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """PDF and DOCX exported by LibreOffice: one soffice run per target format, shared by the module."""
    if SOFFICE is None:
        pytest.fail("LibreOffice is not installed: apt-get install libreoffice-writer-nogui (the Makefile does this).")
    src, out = tmp_path_factory.mktemp("office-src"), tmp_path_factory.mktemp("office-out")
    (src / "two_pages.html").write_text(TWO_PAGE_HTML, encoding="utf-8")
    (src / "structured.html").write_text(STRUCTURED_HTML, encoding="utf-8")
    (src / "notes.txt").write_text("Children’s services plan\n\nAges 0–25 are covered.\n", encoding="utf-8")
    profile = f"-env:UserInstallation={(src / 'lo-profile').as_uri()}"  # never clash with another soffice
    for target, names in [("pdf", ["two_pages.html"]), ("docx:MS Word 2007 XML", ["structured.html", "notes.txt"])]:
        command = [SOFFICE, profile, "--headless", "--convert-to", target, "--outdir", str(out)]
        subprocess.run(command + [str(src / name) for name in names], check=True, capture_output=True, timeout=300)
    files = {path.name: path for path in out.iterdir()}
    assert {"two_pages.pdf", "structured.docx", "notes.docx"} <= files.keys(), f"soffice produced only {files}"
    return files


def pdf_bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def assert_one_line_naming(error: pytest.ExceptionInfo[IngestError], name: str) -> str:
    message = str(error.value)
    assert "\n" not in message and message.startswith(f"{name}: "), message
    return message


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_plain_text_is_the_file_bytes_exactly(tmp_path: Path, suffix: str) -> None:
    raw = "# Children’s services\r\n\r\n1.2 Support for ages 0–25.\r\n\tIndented line\n".encode()
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(raw)

    source = read_source(path)

    assert source.text.encode("utf-8") == raw
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    assert (source.path, source.name, source.format, source.pages) == (path, path.name, suffix[1:], ())


def test_windows_1252_text_is_decoded_when_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "old_export.txt"
    path.write_bytes(b"Children\x92s services \x96 ages 0\x9625\r\n")

    assert read_source(path).text == "Children’s services – ages 0–25\r\n"


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_html_becomes_heading_paragraph_bullet_and_tab_separated_lines(tmp_path: Path, suffix: str) -> None:
    html = """<!DOCTYPE html><html><head><title>Ignored</title><style>p { color: red }</style></head>
    <body><nav>Home | Contact us</nav><!-- a comment -->
    <h2>Our   priorities</h2>
    <p>We will <b>improve</b> outcomes for
       children aged 0–25.</p>
    <ul><li>Early identification<ul><li>Health <em>visitors</em></li></ul></li><li>Joint commissioning</li></ul>
    <table><thead><tr><th>Service</th><th>Budget</th></tr></thead>
      <tbody><tr><td>SALT</td><td>£1.2m</td></tr><tr><td>OT</td><td>£0.8m</td></tr></tbody></table>
    <script>var hidden = "never shown";</script>
    <div>Contact the team<br>Monday to Friday</div></body></html>"""
    path = tmp_path / f"page{suffix}"
    path.write_text(html, encoding="utf-8")

    source = read_source(path)

    assert source.format == "html"
    assert source.text == (
        "Our priorities\n\n"
        "We will improve outcomes for children aged 0–25.\n\n"
        "• Early identification\n  • Health visitors\n• Joint commissioning\n\n"
        "Service\tBudget\nSALT\t£1.2m\nOT\t£0.8m\n\n"
        "Contact the team\n\nMonday to Friday"
    )


def test_libreoffice_pdf_has_a_page_span_per_page(office_files: dict[str, Path]) -> None:
    path = office_files["two_pages.pdf"]

    source = read_source(path)

    assert source.format == "pdf" and source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [span.page for span in source.pages] == [1, 2]
    page_one = source.text.index("Page one says the Local Offer covers early years settings.")
    page_two = source.text.index("Page two says transition planning starts in Year 9.")
    assert (source.page_at(page_one), source.page_at(page_two)) == (1, 2)
    second = source.pages[1]
    assert source.text[second.start : second.end].strip() == "Page two says transition planning starts in Year 9."
    assert source.text[source.pages[0].end : second.start] == "\n\n"


def test_pdf_locked_only_for_editing_is_read(tmp_path: Path, office_files: dict[str, Path]) -> None:
    writer = PdfWriter(clone_from=PdfReader(office_files["two_pages.pdf"]))
    writer.encrypt(user_password="", owner_password="owner-only")
    path = tmp_path / "permissions.pdf"
    path.write_bytes(pdf_bytes(writer))

    assert "transition planning starts in Year 9" in read_source(path).text


def test_password_protected_pdf_says_so(tmp_path: Path, office_files: dict[str, Path]) -> None:
    writer = PdfWriter(clone_from=PdfReader(office_files["two_pages.pdf"]))
    writer.encrypt("secret")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes(writer))

    with pytest.raises(UnreadableFileError) as error:
        read_source(path)

    assert "password" in assert_one_line_naming(error, "report.pdf")


def test_python_docx_document_keeps_heading_list_and_table_rows_in_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Joint commissioning priorities", level=1)
    document.add_paragraph("We will   commission services together.")
    document.add_paragraph("Speech and language therapy", style="List Bullet")
    document.add_paragraph("Occupational therapy", style="List Bullet")
    table = document.add_table(rows=3, cols=2)
    for row, values in zip(table.rows, [("Service", "Budget"), ("SALT", "£1.2m"), ("OT", "£0.8m")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("Reviewed annually.")
    path = tmp_path / "priorities.docx"
    document.save(path)

    source = read_source(path)

    assert source.format == "docx" and source.pages == ()
    assert source.text == (
        "Joint commissioning priorities\n\n"
        "We will commission services together.\n\n"
        "• Speech and language therapy\n• Occupational therapy\n\n"
        "Service\tBudget\nSALT\t£1.2m\nOT\t£0.8m\n\n"
        "Reviewed annually."
    )


def test_docx_merged_cell_is_written_once_in_its_first_column_and_equal_neighbours_are_kept(tmp_path: Path) -> None:
    """Every row keeps the table's columns, so "Owner" stays over the column it heads."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Outcome"
    table.cell(0, 2).text = "Owner"
    for cell, value in zip(table.rows[1].cells, ["Yes", "Yes", "SENCo"]):
        cell.text = value
    path = tmp_path / "merged.docx"
    document.save(path)

    assert read_source(path).text == "Outcome\t\tOwner\nYes\tYes\tSENCo"


def test_libreoffice_docx_keeps_heading_list_and_table_rows(office_files: dict[str, Path]) -> None:
    assert read_source(office_files["structured.docx"]).text == (
        "Joint commissioning\n\n"
        "We will commission these services together.\n\n"
        "• Speech and language therapy\n• Occupational therapy\n\n"
        "Service\tBudget\nSALT\t£1.2m"
    )
    assert read_source(office_files["notes.docx"]).text == "Children’s services plan\n\nAges 0–25 are covered."


def _blank_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    return pdf_bytes(writer)


def _zip_without_word_parts() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")
    return buffer.getvalue()


GARBAGE = bytes(range(1, 256)) * 8


@pytest.mark.parametrize(
    ("name", "content", "error_class", "expected"),
    [
        pytest.param("scan.pdf", _blank_page_pdf(), UnreadableFileError, "no text layer", id="image-only-pdf"),
        pytest.param("broken.pdf", GARBAGE, UnreadableFileError, "PDF could not be read", id="corrupt-pdf"),
        pytest.param("broken.docx", GARBAGE, UnreadableFileError, "not a valid Word .docx", id="corrupt-docx"),
        pytest.param("other.docx", _zip_without_word_parts(), UnreadableFileError, "not a valid", id="zip-not-docx"),
        pytest.param(
            "locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + GARBAGE, UnreadableFileError, "password", id="ole-docx"
        ),
        pytest.param("empty.txt", b"", UnreadableFileError, "no text", id="empty-txt"),
        pytest.param("blank.md", b" \r\n\t\n", UnreadableFileError, "no text", id="whitespace-md"),
        pytest.param("empty.pdf", b"", UnreadableFileError, "no text", id="empty-pdf"),
        pytest.param("script.html", b"<script>x()</script>", UnreadableFileError, "no text", id="html-no-text"),
        pytest.param("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", UnreadableFileError, "binary", id="nul-txt"),
        pytest.param("odd.txt", b"caf\xc3 \x81\x8d", UnreadableFileError, "binary", id="undecodable-txt"),
        pytest.param("README", b"text", UnsupportedFileError, "without an extension", id="no-suffix"),
    ],
)
def test_unreadable_files_raise_one_line_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes, error_class: type[IngestError], expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(error_class) as error:
        read_source(path)

    assert expected in assert_one_line_naming(error, name)


def test_unsupported_suffix_error_lists_what_is_supported(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    path.write_bytes(b"PK\x03\x04")

    with pytest.raises(UnsupportedFileError) as error:
        read_source(path)

    message = assert_one_line_naming(error, "budget.xlsx")
    assert "not supported" in message and all(suffix in message for suffix in SUPPORTED_SUFFIXES)
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}


def test_file_over_50_mb_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: no real disk use

    with pytest.raises(UnreadableFileError) as error:
        read_source(path)

    assert "too large" in assert_one_line_naming(error, "huge.txt")


def test_missing_file_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError) as error:
        read_source(tmp_path / "gone.pdf")

    assert "could not be opened" in assert_one_line_naming(error, "gone.pdf")


def test_a_word_file_that_would_unpack_to_hundreds_of_megabytes_is_refused_before_unpacking(tmp_path: Path) -> None:
    import resource
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        with bomb.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"<w:t>" + b"A" * (1 << 20)
            for _ in range(300):
                part.write(chunk)
    assert path.stat().st_size < 2_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(UnreadableFileError, match="would unpack to 300 MB"):
        read_source(path)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # kB: well under 200 MB


def test_the_sites_own_banner_and_footer_are_not_the_page(tmp_path: Path) -> None:
    html = """<html><head><title>Transport | Fenmarsh District Council</title></head><body>
    <header><p>Fenmarsh District Council</p><p>Home &gt; Schools &gt; Transport</p></header>
    <main><header><h1>Transport policy</h1></header><p>Free travel is agreed each term.</p></main>
    <footer><p>Accessibility | Cookies</p></footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")

    assert read_source(path).text == "Transport policy\n\nFree travel is agreed each term."
