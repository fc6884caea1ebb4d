"""Parsing cost against file size: read, describe, parse, screen (`ingest.addressed`) and chunk text files of
1, 2, 4 and 8 MB (JSON).

The files repeat the bundled plans' own text, so every layout the parser knows is exercised. Work that grows
linearly with the file spends the same CPU seconds per MB at every size (CPU time, not wall time, so other work
on a shared machine does not blur the ratio): `ratio_8mb_to_1mb` (seconds per MB at 8 MB
over seconds per MB at 1 MB, same run) stays near 1; a superlinear step shows as a ratio that grows with size.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from core.settings import Settings, load_settings
from ingest.addressed import screened
from ingest.chunk import chunk_document
from ingest.describe import describe
from ingest.parse import parse_source
from ingest.readers import read_source

SIZES_MB = (1, 2, 4, 8)


def plan_text(corpus: Path, size: int) -> str:
    """The bundled plain-text plans, repeated and cut to `size` characters at a line end."""
    seed = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt")))
    text = (seed + "\n\n") * (size // len(seed) + 1)
    return text[:text.rindex("\n", 0, size) + 1]


def timed_stages(path: Path, settings: Settings) -> dict[str, float]:
    began = time.process_time()
    source = read_source(path, settings)
    read_s = time.process_time() - began
    info = describe(source)
    described_s = time.process_time() - began
    records = parse_source(source)
    parsed_s = time.process_time() - began
    records, _ = screened(source.text, records)
    screened_s = time.process_time() - began
    chunk_document(source, info, records)
    chunked_s = time.process_time() - began
    return {"read": read_s, "describe": described_s - read_s, "parse": parsed_s - described_s,
            "screen": screened_s - parsed_s, "chunk": chunked_s - screened_s, "total": chunked_s}


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or list(SIZES_MB)
    settings = load_settings(max_file_chars=max(sizes) * 2**20)  # the default limit refuses the largest
    rows = {}
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in sizes:
            path = Path(folder) / f"plan-{megabytes}mb.txt"
            path.write_text(plan_text(settings.corpus_dir, megabytes * 2**20), encoding="utf-8")
            stages = timed_stages(path, settings)
            rows[f"{megabytes}mb"] = {"s_per_mb": {k: round(v / megabytes, 3) for k, v in stages.items()},
                                      "total_s": round(stages["total"], 2)}
    first, last = rows[f"{sizes[0]}mb"]["s_per_mb"], rows[f"{sizes[-1]}mb"]["s_per_mb"]
    print(json.dumps({"sizes": rows, f"ratio_{sizes[-1]}mb_to_{sizes[0]}mb": {
        stage: round(last[stage] / first[stage], 2) if first[stage] else None for stage in first}}, indent=2))


if __name__ == "__main__":
    main()
