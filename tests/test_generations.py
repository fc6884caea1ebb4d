"""Index generations under a running app: readers hold leases, ingests publish and prune around them.

A served app (real Gradio server on loopback, real index) must keep answering while two CLI ingests publish
new generations beside it, move to the newest on its next request, and let the old ones go only once it
no longer reads them. A second ingest while one runs is refused with a message that says so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from gradio_client import Client
from servers import free_port

import app
from assistant.engine import Assistant
from core.errors import IngestRunningError
from core.settings import PROJECT_ROOT, load_settings
from ui.page import launch
from vectorstore import generation as gen
from vectorstore.index import HybridIndex


def cli(*args, data_dir, timeout=600):
    env = dict(os.environ, SEND_ASSISTANT_DATA_DIR=str(data_dir))
    return subprocess.run([sys.executable, "-m", "cli", *args], env=env, cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=timeout)


def _generations(data_dir) -> set[str]:
    return {p.name for p in (data_dir / "generations").iterdir()}


def _plan(folder, name: str, place: str, day: str):
    path = folder / name
    path.write_text(f"{place} short breaks plan\n\nThe {place} sensory play centre opens to families on {day}.\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def data_copy(corpus_settings, corpus_index, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(corpus_settings.data_dir, data, ignore=shutil.ignore_patterns(".ingest.lock", "leases"))
    return data


def test_a_leased_generation_survives_prune_and_goes_once_released(data_copy, corpus_index, tmp_path):
    settings = load_settings(data_dir=data_copy)
    reader = HybridIndex.open(settings, corpus_index.embedder)
    first = reader.folder.name
    from vectorstore.build import ingest

    for place, day in (("Kestrel Vale", "4 March 2026"), ("Heron Bridge", "9 May 2026")):
        ingest(settings, [_plan(tmp_path, f"{place}.txt", place, day)], embedder=corpus_index.embedder,
               progress=False)
    assert first in _generations(data_copy) and not reader.is_current
    assert reader.source_text(next(iter(reader.manifest.documents)))  # its files are all still there
    reader.close()
    ingest(settings, [_plan(tmp_path, "Otter Mere.txt", "Otter Mere", "1 June 2026")], embedder=corpus_index.embedder,
           progress=False)
    assert _generations(data_copy) == {gen.current_name(data_copy)}


def test_a_killed_readers_lease_does_not_keep_its_generation(data_copy, corpus_index, tmp_path):
    settings = load_settings(data_dir=data_copy)
    held = gen.current_name(data_copy)
    code = ("import sys, time; from pathlib import Path; from vectorstore import generation as gen; "
            "folder, lease = gen.lease_current(Path(sys.argv[1])); print('held', flush=True); time.sleep(600)")
    reader = subprocess.Popen([sys.executable, "-c", code, str(data_copy)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert reader.stdout.readline().strip() == "held"
        from vectorstore.build import ingest

        ingest(settings, [_plan(tmp_path, "Kestrel.txt", "Kestrel", "4 March 2026")], embedder=corpus_index.embedder,
               progress=False)
        assert held in _generations(data_copy)
    finally:
        reader.kill()  # like kill -9: the kernel drops its lease
        reader.wait()
    ingest(settings, [_plan(tmp_path, "Heron.txt", "Heron", "9 May 2026")], embedder=corpus_index.embedder,
           progress=False)
    assert held not in _generations(data_copy)


def test_a_second_ingest_while_one_runs_says_an_ingest_is_running(data_copy, tmp_path):
    plan = _plan(tmp_path, "Kestrel.txt", "Kestrel", "4 March 2026")
    with gen.ingest_lock(data_copy):
        result = cli("ingest", str(plan), data_dir=data_copy)
        with pytest.raises(IngestRunningError, match=f"process {os.getpid()}"):
            with gen.ingest_lock(data_copy):
                pass
    assert result.returncode == 2
    assert result.stderr.startswith("send-assistant: An ingest is running on ") and "Traceback" not in result.stderr
    assert f"process {os.getpid()}" in result.stderr and "wait for it to finish" in result.stderr
    assert cli("ingest", str(plan), data_dir=data_copy).returncode == 0  # and once it has finished, it runs


def test_a_served_app_keeps_answering_through_two_cli_ingests_and_moves_to_the_newest(data_copy, corpus_index,
                                                                                    tmp_path):
    settings = load_settings(data_dir=data_copy)
    page = app.build(Assistant(settings, HybridIndex.open(settings, corpus_index.embedder)))
    port = free_port()
    launch(page, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        question = "Who leads the Refresh of the SEND JSNA in Lancashire?"
        assert "source-card" in json.dumps(client.submit(question, [], "All councils", api_name="/chat").result())
        started = gen.current_name(data_copy)
        for place, day in (("Kestrel Vale", "4 March 2026"), ("Heron Bridge", "9 May 2026")):
            result = cli("ingest", str(_plan(tmp_path, f"{place.split()[0].lower()}.txt", place, day)),
                         data_dir=data_copy)
            assert result.returncode == 0, result.stderr
        assert started in _generations(data_copy)  # the app still reads it
        chat = client.submit("When does the Heron Bridge sensory play centre open to families?", [], "All councils",
                             api_name="/chat").result()
        assert "9 May 2026" in json.dumps(chat)
        asked = client.predict("When does the Kestrel Vale sensory play centre open?", [], "All councils",
                               api_name="/ask")
        assert not asked["refused"] and asked["citations"][0]["document"] == "kestrel.txt"
        newest = gen.current_name(data_copy)
        result = cli("ingest", str(_plan(tmp_path, "otter.txt", "Otter Mere", "1 June 2026")), data_dir=data_copy)
        assert result.returncode == 0, result.stderr
        assert _generations(data_copy) == {newest, gen.current_name(data_copy)}  # the app's, and the new one
    finally:
        page.close()
