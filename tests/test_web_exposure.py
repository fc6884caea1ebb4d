"""The served app shows only what it means to: Gradio's file routes refuse the data folder, the plans, the
code and the system, however the path is written, and error pages carry no server paths or tracebacks.

The real app (`send-assistant serve`) on loopback, asked directly over HTTP as a stranger would.
"""

from __future__ import annotations

import httpx
import pytest

from benchmarks.load import copy_index, serve
from core.settings import PROJECT_ROOT, load_settings

ROUTES = ("file=", "gradio_api/file=")


@pytest.fixture(scope="module")
def served(corpus_settings, corpus_index, tmp_path_factory):
    data = copy_index(corpus_settings.data_dir, tmp_path_factory.mktemp("exposure") / "data")
    (data / "feedback.jsonl").write_text('{"rating": "helpful", "comment": "private comment"}\n')
    (data / "uploads").mkdir()
    (data / "uploads" / "staff-upload.txt").write_text("an uploaded plan\n")
    app = serve(data)
    try:
        yield app.url, data
    finally:
        app.stop()


@pytest.fixture
def http(served):
    """A connection of the test's own: the server drops one after an internal error."""
    with httpx.Client(base_url=served[0], timeout=60) as client:
        yield client


def _secrets(data) -> dict[str, str]:
    """Files the app must never hand out, each with words only that file holds."""
    generation = (data / "generations" / (data / "CURRENT").read_text().strip())
    corpus = sorted(load_settings().corpus_dir.glob("*.txt"))[0]
    return {str(data / "feedback.jsonl"): "private comment",
            str(data / "uploads" / "staff-upload.txt"): "an uploaded plan",
            str(generation / "manifest.json"): '"chunk_max_tokens"',
            str(data / "CURRENT"): generation.name,
            str(corpus): corpus.read_text(encoding="utf-8")[:40],
            str(PROJECT_ROOT / "pyproject.toml"): "[project]",
            "/etc/passwd": "root:x:0:0"}


def _spellings(path: str) -> list[str]:
    """The same file asked for in the ways a path-traversal probe writes it."""
    relative = path.removeprefix(str(PROJECT_ROOT) + "/")
    return [path, relative, "/tmp/gradio/../.." + path, path.replace("/", "%2F"), "./" + relative,
            "..%2F..%2F..%2F..%2F..%2F.." + path.replace("/", "%2F")]


def _shows_nothing_private(body: str) -> bool:
    return all(marker not in body for marker in ("Traceback", str(PROJECT_ROOT), "/tmp/", "site-packages"))


def test_file_routes_serve_nothing_from_the_data_folder_the_plans_the_code_or_the_system(served, http):
    data = served[1]
    served_files = []
    for path, content in _secrets(data).items():
        for route in ROUTES:
            for spelling in _spellings(path):
                response = http.get(route + spelling)
                if response.status_code == 200 or content in response.text:
                    served_files.append(f"{route}{spelling} → {response.status_code}")
    assert served_files == []


def test_refused_files_and_error_pages_carry_no_paths_or_tracebacks(served, http):
    data = served[1]
    sent = "Heronsgate-probe"  # what a request carried is not echoed back either
    responses = {"refused file": http.get("gradio_api/file=" + str(data / "CURRENT")),
                 "refused system file": http.get("file=/etc/passwd"),
                 "unknown page": http.get(f"no/such/{sent}"),
                 "malformed call": http.post("gradio_api/call/ask", content=b'{"data": ["' + sent.encode()),
                 "wrong shape": http.post("gradio_api/call/ask", json={"data": {"question": sent}}),
                 "bad upload": http.post("gradio_api/upload", content=b"not a form"),
                 # last: the server drops the connection after an internal error
                 "unknown endpoint": http.post("gradio_api/queue/join", json={"data": [sent], "fn_index": 999,
                                                                              "session_hash": "probe"})}
    assert all(response.status_code >= 400 for response in responses.values()), \
        {kind: response.status_code for kind, response in responses.items()}
    leaky = {kind: response.text[:300] for kind, response in responses.items()
             if not _shows_nothing_private(response.text) or str(data) in response.text or sent in response.text
             or "passwd" in response.text}
    assert leaky == {}


def test_the_page_config_names_no_server_folders(served, http):
    data = served[1]
    config = http.get("config").text
    assert str(data) not in config and str(PROJECT_ROOT) not in config
