"""Server mode: the same ingest and search through a real `chroma run` on a free loopback port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS
from servers import free_port, stop

from core.settings import load_settings
from vectorstore.build import ingest
from vectorstore.index import HybridIndex


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield f"http://127.0.0.1:{port}"
    stop(process, timeout=30)


def test_ingest_and_search_through_a_chroma_server(tmp_path, chroma_server, embedder, monkeypatch):
    monkeypatch.setenv("SEND_ASSISTANT_CHROMA_URL", chroma_server)
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(CORPUS / "sefton-send-joint-commissioning-plan-2023-2026-cabinet-report.txt", folder)
    settings = load_settings()
    report = ingest(settings, [folder], embedder=embedder, progress=False)
    assert report.embedded > 0
    index = HybridIndex.open(settings, embedder)
    assert index.chroma.count() == len(index.chunks)
    hits = index.search("Who is the contact officer?", k=3)
    assert any("Eleanor Moulton" in hit.chunk.text for hit in hits)
    again = ingest(settings, [folder], embedder=embedder, progress=False)
    assert again.embedded == 0 and again.generation == ""
