"""The public JSON shapes of `send-assistant` (see ../shared/CONTRACT.md): add fields, never rename.

Kept in one module so the CLI, the batch modes, the UI's API and the evals print the same objects.
"""

from __future__ import annotations

from vectorstore.index import Hit


def hit_json(hit: Hit) -> dict:
    chunk = hit.chunk
    return {
        "chunk_id": chunk.chunk_id, "document": chunk.document, "title": chunk.title, "council": chunk.council,
        "section": chunk.section, "kind": chunk.kind, "text": chunk.text, "start": chunk.start, "end": chunk.end,
        "score": round(hit.score, 6), "fields": chunk.fields, "page": chunk.page,
    }
