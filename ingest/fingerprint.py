"""Which reading code made an index's records: when how files are read, parsed or chunked changes, the next ingest
reads every file again, so an upgrade never leaves records made the old way beside new ones."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def reader_fingerprint() -> str:
    """A short hash of this package's source files and the text helpers they cut sentences with."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for path in [*sorted(here.glob("*.py")), here.parent / "core" / "text.py"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
