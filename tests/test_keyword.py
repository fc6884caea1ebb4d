"""The keyword side of the index: the best matches among the rows a filter allows, equal scores in index order."""

from __future__ import annotations

import numpy as np

from vectorstore.keyword import KeywordIndex

TEXTS = ["The sensory hub opens in May.", "Portage visits start in June.", "The sensory hub opens in May.",
         "Short breaks are booked online.", "The sensory hub opens in May."]


def test_equal_scores_come_in_index_order_and_a_filter_keeps_to_its_rows():
    index = KeywordIndex.build([f"c{n}" for n in range(len(TEXTS))], TEXTS)
    assert [cid for cid, _ in index.search("sensory hub", 2)] == ["c0", "c2"]
    assert [cid for cid, _ in index.search("sensory hub", 5, rows=np.array([1, 3, 4]))] == ["c4"]
    assert index.search("sensory hub", 5, rows=np.array([1, 3])) == []
    assert index.search("mediation", 5) == []
    assert index.search("sensory hub", 5, rows=np.array([], dtype=np.int64)) == []  # a council with no documents
