"""The assistant the page answers with, replaced whole when an upload changes the index.

Handlers read `live.current` once per request, so a question asked during a re-index is answered by
the old index (whose generation is kept on disk) and the next one by the new. `current` answers with
the operator's `SEND_ASSISTANT_BACKEND`; a visitor who picks another backend gets `for_backend(name)`,
which never changes what anyone else is answered with. Each backend's assistant is built once, on
first use, and kept (on the current index).
"""

from __future__ import annotations

import threading

from assistant.engine import Assistant
from vectorstore.index import HybridIndex

BACKENDS = ("extractive", "gguf", "openai")


class LiveAssistant:
    def __init__(self, assistant: Assistant) -> None:
        self.current = assistant
        self._by_backend: dict[str, Assistant] = {assistant.settings.backend: assistant}
        self._lock = threading.Lock()

    @property
    def backend(self) -> str:
        return self.current.settings.backend

    def reopen(self) -> Assistant:
        """Open the index's current generation and swap in an assistant on it (same settings, model, LLM)."""
        with self._lock:
            old = self.current
            index = HybridIndex.open(old.settings, old.index.embedder)
            self.current = Assistant(old.settings, index, old.generator)
            self._by_backend[self.current.settings.backend] = self.current
            return self.current

    def for_backend(self, backend: str) -> Assistant:
        """The assistant that answers with `backend` on the current index, for one visitor's session. Its LLM
        generator is built the first time; a `SendAssistantError` (e.g. openai with no model configured) says why."""
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}")
        with self._lock:
            index = self.current.index
            cached = self._by_backend.get(backend)
            if cached is None:
                settings = self.current.settings.model_copy(update={"backend": backend})
                generator = None
                if backend != "extractive":
                    from assistant.llm.generator import LLMGenerator

                    generator = LLMGenerator.from_settings(settings, index.embedder)
                cached = Assistant(settings, index, generator)
            elif cached.index is not index:
                cached = Assistant(cached.settings, index, cached.generator)
            self._by_backend[backend] = cached
            return cached
