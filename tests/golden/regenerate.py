"""Rewrite the golden record files after a deliberate parser change: review the diff before committing."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from conftest import CORPUS, corpus_text  # noqa: E402
from test_parse import GOLDEN, summary  # noqa: E402

for path in sorted(CORPUS.glob("*.txt")):
    target = GOLDEN / f"{path.name}.records.json"
    target.write_text(json.dumps(summary(corpus_text(path.name)), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(target)
