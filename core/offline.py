"""Make every library we use work without the internet.

Imported first by each of our packages: the variables must be set before sentence-transformers,
chromadb, tiktoken or gradio are imported, or they try to phone home (and fail here and on CI).
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path


def _tiktoken_cache_dir() -> str | None:
    """llama-index-core ships the cl100k_base/o200k_base encodings; tiktoken can read them there."""
    spec = find_spec("llama_index.core")
    if spec is None or spec.origin is None:
        return None
    cache = Path(spec.origin).parent / "_static" / "tiktoken_cache"
    return str(cache) if cache.is_dir() else None


def configure() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    cache = _tiktoken_cache_dir()
    if cache and "TIKTOKEN_CACHE_DIR" not in os.environ:
        os.environ["TIKTOKEN_CACHE_DIR"] = cache


configure()
