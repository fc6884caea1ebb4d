"""The one sentence splitter: boundaries with exact offsets, and full stops that do not end a sentence."""

from __future__ import annotations

from core.text import percentile, sentence_ends, split_sentences, squash


def test_boundaries_are_exact_offsets_into_the_text():
    text = "The panel meets monthly. It reports to the board."
    (stop, resume), = sentence_ends(text)
    assert text[:stop] == "The panel meets monthly." and text[resume:] == "It reports to the board."


def test_abbreviations_do_not_end_a_sentence():
    text = ("Support, e.g. speech therapy, is free. Families in St. Albans use it. "
            "See No. 4 in the list. Ask Dr. Patel or J. Smith about it.")
    assert split_sentences(text) == ["Support, e.g. speech therapy, is free.", "Families in St. Albans use it.",
                                     "See No. 4 in the list.", "Ask Dr. Patel or J. Smith about it."]


def test_a_paragraph_number_is_not_a_sentence():
    assert split_sentences("3. The council will review the offer. Parents are asked first.") == [
        "3. The council will review the offer.", "Parents are asked first."]
    assert split_sentences("4.2. Short breaks are reviewed yearly.") == ["4.2. Short breaks are reviewed yearly."]


def test_a_year_at_the_end_of_a_sentence_still_ends_it():
    assert split_sentences("The hub opens in 2025. Referrals start then.") == [
        "The hub opens in 2025.", "Referrals start then."]


def test_lines_split_bullets_only_when_asked():
    text = "Our priorities:\n• early help\n• places in local schools"
    assert split_sentences(text) == [text]
    assert split_sentences(text, lines=True) == ["Our priorities:", "• early help", "• places in local schools"]


def test_questions_typed_in_lower_case_split_when_asked():
    question = "my son is 9. does the council run holiday clubs?"
    assert split_sentences(question) == [question]
    assert split_sentences(question, any_case=True) == ["my son is 9.", "does the council run holiday clubs?"]


def test_squash_and_percentile():
    assert squash("Refresh\tthe  JSNA\n") == "refresh the jsna"
    assert percentile([10, 20, 30, 40], 50) == 25.0 and percentile([], 95) is None
