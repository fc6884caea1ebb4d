"""The assistant the page answers with, replaced whole when an upload changes the index.

Handlers read `live.current` once per request, so a question asked during a re-index is answered by
the old index (whose generation is kept on disk) and the next one by the new.
"""

from __future__ import annotations

import threading

from assistant.engine import Assistant
from vectorstore.index import HybridIndex


class LiveAssistant:
    def __init__(self, assistant: Assistant) -> None:
        self.current = assistant
        self._lock = threading.Lock()

    def reopen(self) -> Assistant:
        """Open the index's current generation and swap in an assistant on it (same settings, model, LLM)."""
        with self._lock:
            old = self.current
            index = HybridIndex.open(old.settings, old.index.embedder)
            self.current = Assistant(old.settings, index, old.generator)
            return self.current
