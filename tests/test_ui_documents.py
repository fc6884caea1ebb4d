"""Staff changes to the index from the web app: who may make them, duplicates and replacements, background
indexing with progress and cancel, removal, the audit log, and feedback's limits.

Real components throughout (the session's index copied per test, the real embedding model); the only
stand-in is a clock passed to the hourly limits so an hour can pass in a test.
"""

from __future__ import annotations

import json
import shutil
import time

import pytest

from assistant.engine import Assistant
from core.settings import load_settings
from ui.documents import DocumentLibrary, IndexJob, clean_name
from ui.feedback import AnswerRef, FeedbackLog
from ui.live import LiveAssistant
from ui.staff import HOUR, HourlyLimit, StaffGate
from vectorstore.audit import read_log
from vectorstore.build import ingest
from vectorstore.index import HybridIndex

PLAN = ("Otter Bay Council short breaks plan\n\nOtter Bay Council wrote this plan with families.\n\n"
        "The Otter Bay respite centre opens to families on 3 February 2026.\n")


@pytest.fixture
def live(corpus_settings, corpus_index, tmp_path) -> LiveAssistant:
    """The live assistant on a copy of the session index, for tests that change it."""
    data = tmp_path / "data"
    shutil.copytree(corpus_settings.data_dir, data)
    settings = load_settings(data_dir=data)
    return LiveAssistant(Assistant(settings, HybridIndex.open(settings, corpus_index.embedder)))


def _finish(job: IndexJob, timeout: float = 120) -> IndexJob:
    deadline = time.monotonic() + timeout
    while not job.done and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.done, "indexing never finished"
    return job


class Clock:
    """A clock the test moves by hand (stands in for time.monotonic)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_staff_password_is_needed_and_wrong_guesses_are_limited_per_visitor():
    clock = Clock()
    gate = StaffGate("harbour-lights-42", "0.0.0.0", attempts_per_hour=3, clock=clock)
    assert gate.needs_password and not gate.read_only
    assert not gate.check("", "visitor-a").allowed
    assert gate.check("harbour-lights-42", "visitor-a").allowed
    for _ in range(3):
        assert "not right" in gate.check("guess", "visitor-b").message
    assert "Too many" in gate.check("harbour-lights-42", "visitor-b").message  # locked out, even when right
    assert gate.check("harbour-lights-42", "visitor-a").allowed  # another visitor is not
    clock.now += HOUR
    assert gate.check("harbour-lights-42", "visitor-b").allowed


def test_without_a_password_the_documents_are_read_only_unless_the_app_is_bound_to_this_computer():
    public = StaffGate("", "0.0.0.0", attempts_per_hour=10)
    assert public.read_only and not public.check("anything", "v").allowed and "read-only" in public.notice()
    local = StaffGate("", "127.0.0.1", attempts_per_hour=10)
    assert not local.read_only and local.check("", "v").allowed


def test_uploads_per_visitor_per_hour_are_limited():
    clock = Clock()
    limit = HourlyLimit(2, clock)
    limit.count("v")
    limit.count("v")
    assert limit.exhausted("v") and not limit.exhausted("w")
    clock.now += HOUR
    assert not limit.exhausted("v")


def test_an_upload_shows_its_detected_council_and_is_indexed_as_staff_corrected_it(live, tmp_path):
    upload = tmp_path / "Otter Bay plan.txt"
    upload.write_text(PLAN, encoding="utf-8")
    library = DocumentLibrary(live)
    found = library.inspect(upload)
    assert (found.name, found.council, found.problem, found.replaces) == ("Otter-Bay-plan.txt", "Otter Bay", "", False)
    seen = []
    job = library.start(upload, "Otter Bay", "Otter Bay short breaks plan (2026)")
    while not job.done:
        seen.append(job.fraction)
        time.sleep(0.02)
    assert job.ok, job.message
    assert "Otter-Bay-plan.txt was added for Otter Bay" in job.message and seen == sorted(seen)
    entry = live.current.index.manifest.documents["Otter-Bay-plan.txt"]
    assert entry.title == "Otter Bay short breaks plan (2026)" and "Otter Bay" in live.current.index.councils
    answer = live.current.ask("When does the Otter Bay respite centre open to families?")
    assert not answer.refused and answer.citations[0].document == "Otter-Bay-plan.txt"
    audit = read_log(live.current.settings.data_dir)[-1]
    assert audit["actor"] == "staff" and audit["action"] == "added" and audit["document"] == "Otter-Bay-plan.txt"
    assert len(audit["sha256"]) == 64 and audit["timestamp"]


def test_the_same_file_again_is_refused_and_a_new_version_waits_for_confirmation(live, tmp_path):
    upload = tmp_path / "otter-bay.txt"
    upload.write_text(PLAN, encoding="utf-8")
    library = DocumentLibrary(live)
    assert _finish(library.start(upload, "", "")).ok
    again = tmp_path / "copy.txt"
    again.write_bytes(upload.read_bytes())
    assert "the same file is already indexed as otter-bay.txt" in library.inspect(again).problem
    upload.write_text(PLAN.replace("3 February", "9 March"), encoding="utf-8")
    assert library.inspect(upload).replaces
    refused = _finish(library.start(upload, "", ""))
    assert not refused.ok and "Tick “Replace”" in refused.message
    assert "3 February 2026" in live.current.index.source_text("otter-bay.txt")  # the old version stays
    assert _finish(library.start(upload, "", "", replace=True)).ok
    assert "9 March 2026" in live.current.index.source_text("otter-bay.txt")


def test_a_cancelled_upload_changes_nothing_and_is_not_kept(live, tmp_path):
    upload = tmp_path / "long-plan.txt"
    upload.write_text("Long plan\n\n" + "".join(f"The harbour group met on day {n} to plan the ferry ramp.\n\n"
                                                for n in range(1, 600)), encoding="utf-8")
    library = DocumentLibrary(live)
    before, generation = library.rows(), live.current.index.folder
    job = library.start(upload, "", "")
    job.cancel()
    _finish(job)
    assert not job.ok and "cancelled" in job.message
    assert library.rows() == before and live.current.index.folder == generation
    assert not (library.uploads_dir / "long-plan.txt").exists()


def test_removing_a_document_refreshes_the_lists_and_is_audited(live, tmp_path):
    upload = tmp_path / "otter-bay.txt"
    upload.write_text(PLAN, encoding="utf-8")
    library = DocumentLibrary(live)
    _finish(library.start(upload, "", ""))
    ok, message = library.remove("otter-bay.txt")
    assert ok and message == "otter-bay.txt was removed from the index."
    index = live.current.index
    assert "otter-bay.txt" not in index.manifest.documents and "Otter Bay" not in index.councils
    assert not (library.uploads_dir / "otter-bay.txt").exists()
    assert [(e["actor"], e["action"]) for e in read_log(live.current.settings.data_dir)][-2:] == [
        ("staff", "added"), ("staff", "removed")]
    assert library.remove("never-there.txt") == (False, "never-there.txt is not indexed, so nothing was removed.")


def test_a_bad_upload_is_refused_with_a_reason_and_not_kept(live, tmp_path):
    library = DocumentLibrary(live)
    before = library.rows()
    corrupt = tmp_path / "broken plan.docx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a docx")
    assert library.inspect(corrupt).problem.startswith("broken-plan.docx could not be added.")
    job = _finish(library.start(corrupt, "", ""))
    assert not job.ok and not (library.uploads_dir / "broken-plan.docx").exists() and library.rows() == before
    spreadsheet = tmp_path / "budget.xlsx"
    spreadsheet.write_bytes(b"x")
    assert "Only .pdf, .docx" in library.inspect(spreadsheet).problem


def test_the_cli_ingest_writes_the_audit_log_too(tmp_path, embedder):
    settings = load_settings(data_dir=tmp_path / "data")
    plan = tmp_path / "plans" / "otter-bay.txt"
    plan.parent.mkdir()
    plan.write_text(PLAN, encoding="utf-8")
    ingest(settings, [plan.parent], embedder=embedder, progress=False)
    ingest(settings, [plan.parent], embedder=embedder, progress=False)  # unchanged: no second line
    assert [(e["actor"], e["action"], e["document"]) for e in read_log(settings.data_dir)] == [
        ("cli", "added", "otter-bay.txt")]


def test_upload_names_are_cleaned():
    assert clean_name("My Plan (v2).DOCX") == "My-Plan-v2.docx"
    assert clean_name("../../etc/passwd.txt") == "passwd.txt"


def test_feedback_refuses_a_comment_over_the_limit_and_moves_a_full_file_aside(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl", max_comment_chars=40, max_bytes=600)
    answer = AnswerRef("abc123", (1,), ("doc#0",), False, "a question")
    with pytest.raises(ValueError, match="the most is 40"):
        log.record(answer, "helpful", "x" * 41)
    for n in range(6):
        log.record(answer, "helpful", f"comment {n}")
    kept, older = (tmp_path / "feedback.jsonl"), (tmp_path / "feedback.jsonl.1")
    assert kept.stat().st_size <= 600 and older.is_file()
    comments = [json.loads(line)["comment"] for path in (older, kept) for line in path.read_text().splitlines()]
    assert comments[-1] == "comment 5" and comments == sorted(comments)
