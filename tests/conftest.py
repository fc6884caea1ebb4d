"""Shared fixtures: real embedding model, real Chroma, data folders under tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core import offline as _offline  # noqa: F401
from core.settings import PROJECT_ROOT, Settings, load_settings

CORPUS = PROJECT_ROOT / "corpus"


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
