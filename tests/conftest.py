"""Shared fixtures: real embedding model, real Chroma, data folders under tmp_path."""

from __future__ import annotations

import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from core import offline as _offline  # noqa: F401
from core.settings import PROJECT_ROOT, Settings, load_settings

CORPUS = PROJECT_ROOT / "corpus"
# The exported ONNX model is shared by every test and subprocess (it depends only on the model package's files),
# so it is exported once, not once per temporary data folder.
os.environ.setdefault("SEND_ASSISTANT_MODEL_CACHE_DIR", str(load_settings().model_cache))

# A test that asks for any of these (directly or through another fixture) loads a model, a browser, soffice, a
# server or the whole corpus: it is `slow`, and `make check` leaves it out.
SLOW_FIXTURES = {"embedder", "corpus_index", "office_files", "built", "browser", "chroma_server", "server_url"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """No test touches the developer's own index."""
    monkeypatch.setenv("SEND_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SEND_ASSISTANT_CHROMA_URL", raising=False)


@pytest.fixture(scope="session")
def embedder():
    from vectorstore.embedder import shared_embedder

    return shared_embedder()


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory) -> Settings:
    return load_settings(data_dir=tmp_path_factory.mktemp("corpus-index") / "data")


@pytest.fixture(scope="session")
def corpus_index(corpus_settings, embedder):
    """The bundled corpus, ingested once per test session (about 10 s)."""
    from vectorstore.build import ingest
    from vectorstore.index import HybridIndex

    ingest(corpus_settings, [CORPUS], embedder=embedder, progress=False)
    return HybridIndex.open(corpus_settings, embedder)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the bundled corpus, for tests that change files."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def corpus_text(name: str) -> str:
    with (CORPUS / name).open(encoding="utf-8", newline="") as handle:
        return handle.read()


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, data_dir: Path) -> CliResult:
    """`send-assistant ARGS` in this process, as a script would see it: exit code, stdout and stderr. A subprocess
    would add seconds of imports and test nothing more (the tests that need a fresh process start one)."""
    import cli

    out, err = io.StringIO(), io.StringIO()
    before = os.environ.get("SEND_ASSISTANT_DATA_DIR")
    os.environ["SEND_ASSISTANT_DATA_DIR"] = str(data_dir)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse's own usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        if before is None:
            del os.environ["SEND_ASSISTANT_DATA_DIR"]
        else:
            os.environ["SEND_ASSISTANT_DATA_DIR"] = before
    return CliResult(code, out.getvalue(), err.getvalue())
