"""Which councils a question names: an indexed council is never read into another council's name."""

from __future__ import annotations

from assistant.councils import CouncilMatcher, index_council_matcher, national_spellings
from assistant.evidence import key_terms

MATCHER = CouncilMatcher({"Lincolnshire": set(), "North East Lincolnshire": {"NE Lincs"}, "Sefton": set()},
                         national_spellings())


def test_the_longest_name_wins():
    assert MATCHER.mentioned("Who leads short breaks in North East Lincolnshire?") == ["North East Lincolnshire"]
    assert MATCHER.mentioned("Compare NE Lincs and Lincolnshire.") == ["North East Lincolnshire", "Lincolnshire"]


def test_a_council_that_contains_an_indexed_name_is_a_different_council():
    question = "When does North Lincolnshire plan to review its portage service?"
    assert MATCHER.mentioned(question) == []
    assert MATCHER.unindexed(question) == "North Lincolnshire"


def test_an_indexed_council_is_never_unindexed_even_when_the_list_names_it():
    matcher = CouncilMatcher({"Barnet": set()}, national_spellings())
    assert "Barnet" in national_spellings()
    assert matcher.mentioned("What does Barnet plan?") == ["Barnet"]
    assert matcher.unindexed("What does Barnet plan?") is None
    assert matcher.unindexed("What does Bolton plan?") == "Bolton"


def test_the_council_asked_about_is_the_first_one_named():
    matcher = CouncilMatcher({"Barnet": set()}, national_spellings())
    assert matcher.unindexed("Does Bolton fund respite like Barnet does?") == "Bolton"
    assert matcher.unindexed("Does Barnet fund respite like Bolton does?") is None
    # a council the national list does not know, named in full, is asked about when it comes first
    assert matcher.unindexed("Does Brackenfold District Council fund respite like Barnet?") == \
        "Brackenfold District Council"
    assert matcher.unindexed("Does Barnet fund respite like Brackenfold District Council does?") is None


def test_an_indexed_council_is_found_by_its_short_forms_and_formal_name():
    matcher = index_council_matcher({"Buckinghamshire": set(), "Bournemouth, Christchurch and Poole": set()})
    assert matcher.mentioned("Who runs short breaks in Bucks?") == ["Buckinghamshire"]
    assert matcher.mentioned("what does bcp say about inclusion") == ["Bournemouth, Christchurch and Poole"]
    assert matcher.mentioned("Does Buckinghamshire Council fund it?") == ["Buckinghamshire"]


def test_a_council_named_like_an_everyday_word_counts_only_as_a_name():
    assert MATCHER.unindexed("How do schools support reading in Sefton?") is None
    assert MATCHER.unindexed("What does Reading plan for short breaks?") == "Reading"


def test_a_question_without_its_councils_names_is_its_topic():
    assert MATCHER.without_names("What is NE Lincs's plan for short breaks, and Sefton's?") == \
        "What is plan for short breaks, and ?"
    assert MATCHER.without_names("What is Bolton's plan?") == "What is Bolton's plan?"


def test_a_council_name_leaves_no_key_term_once_taken_out():
    matcher = CouncilMatcher({"Central Northshire": ["Central Northshire Council"]})
    assert "central" in key_terms("What does Central Northshire promise for mainstream pupils?")
    assert key_terms(matcher.without_names("What does Central Northshire promise for mainstream pupils?")) == \
        key_terms("What does promise for mainstream pupils?")


def test_a_possessive_typed_without_its_apostrophe_still_names_the_council():
    assert MATCHER.mentioned("whats in seftons plan for short breaks") == ["Sefton"]
    assert MATCHER.without_names("whats in seftons plan") == "whats in plan"
    assert MATCHER.unindexed("is boltons offer any better") == "bolton"


def test_the_plural_of_an_everyday_word_is_not_a_council():
    matcher = CouncilMatcher({"Reading": set()}, national_spellings())
    assert matcher.mentioned("Readings of the plan differ.") == []
    assert matcher.mentioned("Does Reading's plan cover portage?") == ["Reading"]


def test_a_council_named_in_full_that_no_list_knows_is_not_indexed():
    from assistant.councils import CouncilMatcher

    matcher = CouncilMatcher({"Eastmoor": ["Eastmoor Borough Council"]})
    assert matcher.unindexed("Is Brackenfold District Council building a hydrotherapy pool?") == \
        "Brackenfold District Council"
    assert matcher.unindexed("Is Eastmoor Borough Council building a hydrotherapy pool?") is None
    assert matcher.unindexed("Does the County Council run it?") is None
    assert matcher.unindexed("Does Eastmoor have a Youth Council?") is None
