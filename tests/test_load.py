"""The served app under 20 concurrent askers (loopback, bounded): questions, follow-ups with their history and
streamed chats at once, with a CLI ingest publishing a new index generation in the background.

The real app runs in its own process (`send-assistant serve`), as it does for parents. Nothing may fail; the p95
latency against one asker alone is printed (a figure for the benchmark, `benchmarks/load.py`), and asserted only
with a generous bound, since it depends on how busy the machine is.
"""

from __future__ import annotations

import json

from benchmarks.load import measure

ASKERS = 20
GENEROUS_P95_RATIO = 25  # perfectly fair sharing of 2 cores among 20 askers would be about 10


def test_twenty_concurrent_askers_with_an_ingest_running_get_answers_and_no_errors(corpus_settings, corpus_index):
    figures = measure(corpus_settings.data_dir, ASKERS, answers_each=3, alone=10)
    print(json.dumps(figures))
    assert figures["many_askers"]["errors"] == 0, figures["errors_sample"]
    assert figures["many_askers"]["answers"] == ASKERS * 6 and figures["one_asker"]["errors"] == 0
    assert figures["ingest_during_load_exit_code"] == 0
    assert figures["p95_ratio_to_one_asker"] <= GENEROUS_P95_RATIO, figures
