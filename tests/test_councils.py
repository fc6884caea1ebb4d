"""Which councils a question names: an indexed council is never read into another council's name."""

from __future__ import annotations

from assistant.councils import CouncilMatcher, english_councils

MATCHER = CouncilMatcher({"Lincolnshire": set(), "North East Lincolnshire": {"NE Lincs"}, "Sefton": set()},
                         english_councils())


def test_the_longest_name_wins():
    assert MATCHER.mentioned("Who leads short breaks in North East Lincolnshire?") == ["North East Lincolnshire"]
    assert MATCHER.mentioned("Compare NE Lincs and Lincolnshire.") == ["North East Lincolnshire", "Lincolnshire"]


def test_a_council_that_contains_an_indexed_name_is_a_different_council():
    question = "Who is leading the short breaks review in North Lincolnshire?"
    assert MATCHER.mentioned(question) == []
    assert MATCHER.unindexed(question) == "North Lincolnshire"


def test_an_indexed_council_is_never_unindexed_even_when_the_list_names_it():
    matcher = CouncilMatcher({"Barnet": set()}, english_councils())
    assert "Barnet" in english_councils()
    assert matcher.mentioned("What does Barnet plan?") == ["Barnet"]
    assert matcher.unindexed("What does Barnet plan?") is None
    assert matcher.unindexed("What does Bolton plan?") == "Bolton"
