"""How often ordinary plan text is mistaken for text written for a reading machine (JSON).

Every sentence (or line) of every readable file in the folders given (default: the bundled corpus) is put
through `ingest.addressed`; plans are written for people, so each sentence flagged is a false positive. Prints
the count, the rate and each flagged sentence, so a person can judge them.

    python benchmarks/addressed_rate.py ../shared/corpus ../shared/corpus-wider
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.errors import IngestError
from core.settings import load_settings
from core.text import sentence_ends
from ingest.addressed import findings
from ingest.manifest import plan_files
from ingest.readers import read_source


def sentence_count(text: str) -> int:
    return sum(1 for _ in sentence_ends(text, lines=True)) + 1


def main() -> None:
    folders = [Path(arg) for arg in sys.argv[1:]] or [load_settings().corpus_dir]
    sentences, flagged = 0, []
    for path in (path for folder in folders for path in plan_files(folder)):
        try:
            text = read_source(path).text
        except IngestError:
            continue
        sentences += sentence_count(text)
        flagged.extend({"file": path.name, "reason": found.reason, "text": found.text[:200]}
                       for found in findings(text))
    print(json.dumps({"files": sum(len(plan_files(folder)) for folder in folders), "sentences": sentences,
                      "flagged": len(flagged), "false_positive_rate": round(len(flagged) / max(sentences, 1), 5),
                      "flagged_sentences": flagged}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
