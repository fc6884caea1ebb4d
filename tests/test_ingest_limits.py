"""Every ingest limit (the `max_*` settings) refuses a file past it with one line naming the file, the limit and
the setting, and leaves the rest of the batch and the index as they were; a Word zip bomb is refused from its
declared sizes, in a reader whose memory stays small."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from made_pdfs import Run, pdf_bytes

from core.errors import UnreadableFileError
from core.settings import PROJECT_ROOT, load_settings
from ingest.readers import read_source
from vectorstore.build import ingest

PLAN_LINE = "The short breaks panel meets every month to agree funding for families.\n\n"


def _refusal(path: Path, **limits) -> str:
    with pytest.raises(UnreadableFileError) as error:
        read_source(path, load_settings(**limits))
    message = str(error.value)
    assert "\n" not in message and message.startswith(f"{path.name}: "), message
    return message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(2 * 2**20)  # sparse: no real disk use
    assert "SEND_ASSISTANT_MAX_FILE_MB" in _refusal(path, max_file_mb=1)


def test_a_pdf_with_more_pages_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_bytes([[Run(f"Page {n} says the panel meets monthly.")] for n in range(5)]))
    message = _refusal(path, max_pdf_pages=4)
    assert "5 pages" in message and "SEND_ASSISTANT_MAX_PDF_PAGES" in message
    assert "meets monthly" in read_source(path, load_settings(max_pdf_pages=5)).text


def test_a_pdf_whose_text_passes_the_character_limit_is_refused(tmp_path):
    path = tmp_path / "wordy.pdf"
    path.write_bytes(pdf_bytes([[Run(PLAN_LINE.strip())] * 30 for _ in range(3)]))
    assert "SEND_ASSISTANT_MAX_FILE_CHARS" in _refusal(path, max_file_chars=2000)


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_a_text_or_web_file_with_more_characters_than_the_limit_is_refused(tmp_path, suffix):
    path = tmp_path / f"wordy{suffix}"
    body = PLAN_LINE * 40
    path.write_text(body if suffix == ".txt" else f"<p>{body}</p>", encoding="utf-8")
    assert "characters of text" in _refusal(path, max_file_chars=1000)
    assert read_source(path, load_settings(max_file_chars=len(body) + 10)).text


def test_a_file_with_more_passages_than_the_limit_is_skipped_and_the_rest_is_indexed(tmp_path, embedder):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "long.txt").write_text("".join(f"Section {n}\n\n{PLAN_LINE}" for n in range(40)), encoding="utf-8")
    (folder / "short.txt").write_text(PLAN_LINE, encoding="utf-8")

    report = ingest(load_settings(max_file_chunks=10), [folder], embedder=embedder, progress=False)

    assert report.added == ["short.txt"]
    (error,) = report.errors
    assert error.startswith("long.txt: ") and "SEND_ASSISTANT_MAX_FILE_CHUNKS" in error


def test_a_one_line_file_without_a_full_stop_is_indexed(tmp_path, embedder):
    path = tmp_path / "note.txt"
    path.write_text("Short breaks open on Saturdays at the family hub", encoding="utf-8")
    report = ingest(load_settings(), [path], embedder=embedder, progress=False)
    assert report.added == ["note.txt"] and not report.errors and report.chunks == 1


def _word_bomb(path: Path, inflated_mb: int) -> None:
    """A real Word file with one more part of zeros that inflates to `inflated_mb` MB (a few hundred kB zipped)."""
    document = docx.Document()
    document.add_paragraph("The short breaks panel meets monthly.")
    document.save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("word/media/padding.xml", "w", force_zip64=True) as part:
        for _ in range(inflated_mb):
            part.write(b"\0" * 2**20)


_READ_AND_MEASURE = """
import json, resource, sys, time
from core.errors import UnreadableFileError
from ingest.readers import read_source
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
began = time.perf_counter()
try:
    read_source(sys.argv[1])
    outcome = "read"
except UnreadableFileError as error:
    outcome = str(error)
grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({"outcome": outcome, "grown_mb": grown_mb, "seconds": time.perf_counter() - began}))
"""


def test_a_word_zip_bomb_is_refused_from_its_declared_sizes_with_little_memory(tmp_path):
    path = tmp_path / "bomb.docx"
    _word_bomb(path, inflated_mb=600)
    assert path.stat().st_size < 5 * 2**20

    done = subprocess.run([sys.executable, "-c", _READ_AND_MEASURE, str(path)], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=120, check=True)
    measured = json.loads(done.stdout)

    print(f"zip bomb: refused in {measured['seconds']:.2f} s, reader memory grew {measured['grown_mb']:.0f} MB")
    assert measured["outcome"].startswith("bomb.docx: the Word file would unpack to 600 MB")
    assert measured["grown_mb"] <= 200


def test_a_word_file_with_too_many_parts_is_refused(tmp_path):
    path = tmp_path / "parts.docx"
    docx.Document().save(path)
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(30):
            archive.writestr(f"extra/part{number}.xml", "<x/>")
    assert "SEND_ASSISTANT_MAX_DOCX_PARTS" in _refusal(path, max_docx_parts=20)


@pytest.mark.parametrize("name", ["max_file_mb", "max_docx_unpacked_mb", "max_docx_parts", "max_pdf_pages",
                                  "max_file_chars", "max_file_chunks"])
def test_each_limit_has_a_safe_default_and_refuses_a_value_out_of_bounds(name, monkeypatch):
    from core.errors import ConfigError

    assert getattr(load_settings(), name) > 0
    monkeypatch.setenv(f"SEND_ASSISTANT_{name.upper()}", "0")
    with pytest.raises(ConfigError, match=f"SEND_ASSISTANT_{name.upper()}"):
        load_settings()
