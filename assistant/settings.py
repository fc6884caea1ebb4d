"""All settings in one tree, read from `SEND_ASSISTANT_*` environment variables.

Defaults make `make run` work from a fresh clone: the index lives in `data/` beside the code and the
bundled plans in `corpus/` are what gets indexed. Bounds are checked when the object is built, so a
bad value fails at start-up with a message, not half-way through a request.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SEND_ASSISTANT_", extra="ignore", frozen=True)

    data_dir: Path = Field(PROJECT_ROOT / "data", description="Where the index generations live.")
    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Documents indexed when no path is given.")
    chroma_url: str = Field("", description="http://HOST:PORT of a `chroma run` server; empty = embedded Chroma.")
    chunk_max_tokens: int = Field(256, ge=32, le=1024, description="Longest chunk, in cl100k tokens.")
    top_k: int = Field(5, ge=1, le=100, description="Hits returned by search.")
    candidates: int = Field(40, ge=5, le=500, description="Hits each retriever contributes before fusion.")
    rrf_k: int = Field(60, ge=1, le=1000, description="Reciprocal-rank-fusion constant.")
    keyword_weight: float = Field(1.0, ge=0.0, le=10.0, description="Weight of the keyword ranking in fusion.")
    max_question_chars: int = Field(2000, ge=50, le=100_000, description="Longer questions are refused.")
    log_questions: bool = Field(False, description="Write question text to logs (off: parents' questions are private).")

    @field_validator("chroma_url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must look like http://HOST:PORT")
        return value.rstrip("/")


def load_settings(**overrides) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(f"SEND_ASSISTANT_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"Invalid setting ({problems}). Fix the environment variable and try again.") from exc
