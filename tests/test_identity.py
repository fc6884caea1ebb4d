"""A document is known by its content and a cleaned name: a file named like an indexed one never replaces it,
no name can write outside the data folder or end in a traceback, and links and special files are not read."""

from __future__ import annotations

import json
import os

import pytest

import cli
from core.errors import UnreadableFileError
from core.settings import load_settings
from ingest.identity import document_name, upload_path
from vectorstore import generation as gen
from vectorstore.build import ingest
from vectorstore.index import HybridIndex

FIRST = "The short breaks panel meets every month to agree funding for families.\n"
SECOND = "The sensory service closed on Fridays after the review of the transport budget.\n"


@pytest.mark.parametrize("raw", [
    "../../outside.txt", "notes/../../plan.txt", "folder/plan.txt", "C:\\plans\\plan.txt", "..", "plan\x00.txt",
    "plan\n.txt", b"caf\xe9 plan.txt", "caf\udce9 plan.txt", "x" * 300 + ".txt", "é" * 120 + ".txt",
])
def test_a_name_that_is_not_one_plain_file_name_is_a_one_line_error(raw):
    with pytest.raises(UnreadableFileError) as error:
        document_name(raw)
    message = str(error.value)
    assert "\n" not in message and "\x00" not in message and "the file name" in message and "rename" in message
    message.encode("utf-8")  # printable: undecodable bytes are shown escaped


@pytest.mark.parametrize(("raw", "name"), [
    ("Short breaks plan (v2).docx", "Short breaks plan (v2).docx"),
    ("  Local   Offer.pdf ", "Local Offer.pdf"),
    ("Cynllun Anghenion Addysgol Arbennig – Gŵyl.txt".encode(), "Cynllun Anghenion Addysgol Arbennig – Gŵyl.txt"),
])
def test_a_plain_name_keeps_its_words(raw, name):
    assert document_name(raw) == name


def test_uploads_of_different_files_with_one_name_get_different_paths_inside_uploads(tmp_path):
    uploads = tmp_path / "uploads"
    first, second = upload_path(uploads, "plan.txt", FIRST.encode()), upload_path(uploads, "plan.txt", SECOND.encode())
    assert first != second and first.name == second.name == "plan.txt"
    assert all(path.resolve().is_relative_to(uploads.resolve()) for path in (first, second))
    with pytest.raises(UnreadableFileError):
        upload_path(uploads, "../../etc/cron.d/job.txt", SECOND.encode())


def test_a_different_file_named_like_an_indexed_one_is_indexed_beside_it(tmp_path, embedder, capsys):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    original, stranger = tmp_path / "a" / "plan.txt", tmp_path / "b" / "plan.txt"
    original.write_text(FIRST, encoding="utf-8")
    stranger.write_text(SECOND, encoding="utf-8")
    settings = load_settings()
    ingest(settings, [original], embedder=embedder, progress=False)

    report = ingest(settings, [original, stranger], embedder=embedder, progress=False)

    (beside,) = report.added
    assert beside.startswith("plan~") and beside.endswith(".txt") and report.unchanged == ["plan.txt"]
    (notice,) = report.notices
    assert notice.startswith("plan.txt: a different file of this name is already indexed") and beside in notice
    index = HybridIndex.open(settings, embedder)
    assert index.source_text("plan.txt") == FIRST and index.source_text(beside) == SECOND
    stranger.write_text(SECOND + FIRST, encoding="utf-8")
    again = ingest(settings, [original, stranger], embedder=embedder, progress=False)
    assert again.updated == [beside] and not again.added and not again.notices
    assert cli.main(["documents", "--json"]) == 0
    listed = {item["document"]: item for item in json.loads(capsys.readouterr().out)}
    assert set(listed) == {"plan.txt", beside} and listed["plan.txt"]["chunks"] == 1


def test_a_file_changed_where_it_was_indexed_from_updates_its_document(tmp_path, embedder):
    path = tmp_path / "plan.txt"
    path.write_text(FIRST, encoding="utf-8")
    settings = load_settings()
    ingest(settings, [path], embedder=embedder, progress=False)
    path.write_text(SECOND, encoding="utf-8")

    report = ingest(settings, [path], embedder=embedder, progress=False)

    assert report.updated == ["plan.txt"] and not report.notices
    assert HybridIndex.open(settings, embedder).source_text("plan.txt") == SECOND


def test_a_badly_named_file_is_skipped_with_a_clear_error_and_nothing_half_written(tmp_path, embedder, capsys):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "good.txt").write_text(FIRST, encoding="utf-8")
    long_name, latin1_name = "p" * 246 + ".txt", os.fsdecode(b"caf\xe9.txt")
    for name in (long_name, latin1_name):
        (folder / name).write_text(SECOND, encoding="utf-8")
    settings = load_settings()

    report = ingest(settings, [folder], embedder=embedder, progress=False)

    assert report.added == ["good.txt"] and len(report.errors) == 2
    assert all("the file name" in error for error in report.errors)
    assert cli.main(["ingest", "--json", str(folder / latin1_name)]) == cli.EXIT_ERROR
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "Traceback" not in error and "caf\\xe9.txt" in error
    assert not list((settings.data_dir / "generations").glob(".*partial"))
    assert set(gen.read_manifest(gen.require_current(settings.data_dir)).documents) == {"good.txt"}


def test_a_generation_that_fails_part_way_leaves_no_partial_folder(tmp_path, embedder, monkeypatch):
    path = tmp_path / "plan.txt"
    path.write_text(FIRST, encoding="utf-8")
    monkeypatch.setattr("vectorstore.keyword.KeywordIndex.save", lambda self, folder: (_ for _ in ()).throw(
        OSError("disk full (simulated)")))
    with pytest.raises(OSError):
        ingest(load_settings(), [path], embedder=embedder, progress=False)
    assert not any((load_settings().data_dir / "generations").iterdir())


def test_symbolic_links_and_special_files_are_skipped_not_read(tmp_path, embedder):
    secret = tmp_path / "elsewhere" / "accounts.txt"
    secret.parent.mkdir()
    secret.write_text("Account password for the finance system is hunter-two.\n", encoding="utf-8")
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "plan.txt").write_text(FIRST, encoding="utf-8")
    (folder / "linked.txt").symlink_to(secret)
    os.mkfifo(folder / "pipe.txt")
    settings = load_settings()

    report = ingest(settings, [folder, folder / "pipe.txt"], embedder=embedder, progress=False)

    assert report.added == ["plan.txt"]
    assert sorted(error.split(":")[0] for error in report.errors) == ["linked.txt", "pipe.txt"]
    assert any("symbolic link" in error for error in report.errors)
    index = HybridIndex.open(settings, embedder)
    assert not any("hunter" in chunk.text for chunk in index.chunks.values())
