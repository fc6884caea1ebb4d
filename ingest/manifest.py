"""Which documents a folder holds and what they are (council, title, period).

The bundled corpus carries `manifest.json`; a folder with a manifest is indexed as exactly the files
it lists (so its README is not mistaken for a plan). Files without an entry, such as uploads, get a
title from their first line and the council "Unknown council" until someone describes them.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.errors import IngestError
from ingest.readers import SUPPORTED_SUFFIXES
from ingest.records import DocumentInfo

MANIFEST_NAME = "manifest.json"
UNKNOWN_COUNCIL = "Unknown council"


def read_manifest(folder: Path) -> dict[str, DocumentInfo]:
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        return {name: DocumentInfo(name=name, council=entry["council"], title=entry["title"],
                                   period=entry.get("period", ""), aliases=tuple(entry.get("aliases", ())))
                for name, entry in entries.items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise IngestError(f"{path}: the manifest is not valid ({exc}); each entry needs council and title.") from exc


def collect_files(paths: list[Path]) -> tuple[list[Path], dict[str, DocumentInfo]]:
    """Expand folders into the files to index, with whatever the manifests say about them."""
    files: list[Path] = []
    infos: dict[str, DocumentInfo] = {}
    for path in paths:
        if path.is_dir():
            manifest = read_manifest(path)
            infos.update(manifest)
            if manifest:
                files.extend(path / name for name in manifest)
            else:
                files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
        elif path.exists():
            infos.update(read_manifest(path.parent))
            files.append(path)
        else:
            raise IngestError(f"{path}: no such file or folder; check the path and try again.")
    return files, infos


def guess_info(name: str, text: str) -> DocumentInfo:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), name)
    return DocumentInfo(name=name, council=UNKNOWN_COUNCIL, title=first_line[:120])
