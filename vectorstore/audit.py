"""The audit log of index changes: one JSON line per document added, updated or removed, in
`<data_dir>/audit.jsonl`, written by `vectorstore.build` itself so the CLI and the web app both write it.

A line says who changed the index ("cli" or "staff"), when, what was done, which file and its sha256;
never a question or anything a parent typed.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

AUDIT_FILE = "audit.jsonl"
Actor = str  # "cli" or "staff"


def record_changes(data_dir: Path, actor: Actor, changes: list[tuple[str, str, str]]) -> None:
    """Append one line per (action, document name, sha256); a change that wrote nothing writes no line."""
    if not changes:
        return
    when = datetime.now(timezone.utc).isoformat(timespec="seconds")
    lines = "".join(json.dumps({"timestamp": when, "actor": actor, "action": action, "document": name,
                                "sha256": sha256}, ensure_ascii=False) + "\n" for action, name, sha256 in changes)
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / AUDIT_FILE).open("a", encoding="utf-8") as handle:
        handle.write(lines)


def read_log(data_dir: Path) -> list[dict]:
    path = data_dir / AUDIT_FILE
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
