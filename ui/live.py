"""The assistant the page answers with, replaced whole when an upload changes the index.

Handlers read `live.current` once per request, so a question asked during a re-index is answered by
the old index (whose generation its lease keeps on disk) and the next one by the new, whoever published
it (this app's upload or a `send-assistant ingest` beside it). `current` answers with the operator's
`SEND_ASSISTANT_BACKEND`; a visitor who picks another backend gets `for_backend(name)`, which never changes
what anyone else is answered with. Each backend's assistant is built once, on first use, and kept.
"""

from __future__ import annotations

import threading

from assistant.engine import Assistant
from vectorstore.index import HybridIndex

BACKENDS = ("extractive", "gguf", "openai")


class LiveAssistant:
    def __init__(self, assistant: Assistant) -> None:
        self._current = assistant
        self._by_backend: dict[str, Assistant] = {assistant.settings.backend: assistant}
        self._lock = threading.Lock()

    @property
    def current(self) -> Assistant:
        """The assistant on the index's current generation, reopened once when a newer one has been published;
        while one request opens it, the others are answered from the one before."""
        assistant = self._current
        return assistant if assistant.index.is_current or self._lock.locked() else self.reopen()

    @property
    def backend(self) -> str:
        return self.current.settings.backend

    def reopen(self) -> Assistant:
        """Open the index's current generation and swap in assistants on it (same settings, model, LLM); the old
        generation's lease goes with the last request still reading it."""
        with self._lock:
            old = self._current
            if old.index.is_current:
                return old  # another request reopened it first
            index = HybridIndex.open(old.settings, old.index.embedder)
            assistants = {backend: Assistant(cached.settings, index, cached.generator)
                          for backend, cached in self._by_backend.items()}
            new = assistants[old.settings.backend]
            _ = new.councils, new.glossary, new.scorer  # built once here, not by every request that arrives first
            self._by_backend, self._current = assistants, new
            return new

    def for_backend(self, backend: str) -> Assistant:
        """The assistant that answers with `backend` on the current index, for one visitor's session. Its LLM
        generator is built the first time; a `SendAssistantError` (e.g. openai with no model configured) says why."""
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}")
        with self._lock:
            index = self._current.index
            cached = self._by_backend.get(backend)
            if cached is None:
                settings = self._current.settings.model_copy(update={"backend": backend})
                generator = None
                if backend != "extractive":
                    from assistant.llm.generator import LLMGenerator

                    generator = LLMGenerator.from_settings(settings, index.embedder)
                cached = Assistant(settings, index, generator)
            elif cached.index is not index:
                cached = Assistant(cached.settings, index, cached.generator)
            self._by_backend[backend] = cached
            return cached
