"""Which documents a folder holds, and what people have said about them.

A document describes itself (`ingest.describe`). A folder's `manifest.json` may say more, and wins: a folder
with a manifest is indexed as exactly the files it lists (so its README is not mistaken for a plan), each
with the council, title, period and aliases given there. `send-assistant ingest --council … --title …`
says the same by hand for the files named on the command line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from core.councils import council_named
from core.errors import IngestError
from ingest.describe import joined
from ingest.readers import SUPPORTED_SUFFIXES
from ingest.records import DocumentInfo

MANIFEST_NAME = "manifest.json"
NOT_PLANS = re.compile(r"^(?:readme|license|licence|changelog)\b", re.IGNORECASE)  # a folder's own notes


@dataclass(frozen=True)
class Said:
    """What a person said about a document; anything left empty is what the document says about itself."""

    councils: tuple[str, ...] = ()
    title: str = ""
    period: str = ""
    aliases: tuple[str, ...] = ()

    def applied_to(self, info: DocumentInfo) -> DocumentInfo:
        if self.councils:
            national = (council_named(name) for name in self.councils)
            spellings = [spelling for council in national if council for spelling in council.spellings]
            aliases = tuple(dict.fromkeys(a for a in (*self.aliases, *spellings) if a not in self.councils))
            info = replace(info, council=joined(self.councils), councils=self.councils, aliases=aliases,
                           notes=tuple(note for note in info.notes if "council" not in note))
        return replace(info, title=self.title or info.title, period=self.period or info.period)


def read_manifest(folder: Path) -> dict[str, Said]:
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        return {name: Said(councils=(entry["council"],), title=entry["title"], period=entry.get("period", ""),
                           aliases=tuple(entry.get("aliases", ())))
                for name, entry in entries.items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise IngestError(f"{path}: the manifest is not valid ({exc}); each entry needs council and title.") from exc


def plan_files(folder: Path) -> list[Path]:
    """The plans in a folder without a manifest: every readable file but the folder's own README or LICENSE."""
    return sorted(path for path in folder.rglob("*") if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES
                  and not NOT_PLANS.match(path.name))


def collect_files(paths: list[Path]) -> tuple[list[Path], dict[str, Said]]:
    """Expand folders into the files to index, with whatever the manifests say about them."""
    files: list[Path] = []
    infos: dict[str, Said] = {}
    for path in paths:
        if path.is_dir():
            manifest = read_manifest(path)
            infos.update(manifest)
            if manifest:
                files.extend(path / name for name in manifest)
            else:
                files.extend(plan_files(path))
        elif path.exists():
            infos.update(read_manifest(path.parent))
            files.append(path)
        else:
            raise IngestError(f"{path}: no such file or folder; check the path and try again.")
    return files, infos
