"""Sentences are cited as exact slices of their chunk; a sentence that carries the previous one on comes with it."""

from __future__ import annotations

import pytest

from assistant.sentences import nested_items_end, sentence_spans, with_continuation
from ingest.chunk import Chunk

REVIEW = ("The arrangements will be reviewed annually in January of each year. This will be carried out by a task "
          "group of commissioners. Partners will report to the Board.")


def chunk_of(text: str, kind: str = "paragraph", start: int = 100) -> Chunk:
    return Chunk("doc.txt#3", "doc.txt", "Lancashire", "A plan", "Review", kind, text, start, start + len(text),
                 len(text.split()), {})


def test_sentences_are_exact_slices_of_the_chunk():
    chunk = chunk_of(REVIEW)
    for span in sentence_spans(chunk):
        assert chunk.text[span.start - chunk.start:span.end - chunk.start] == span.text


def test_a_sentence_that_carries_the_previous_one_on_comes_with_it():
    chunk = chunk_of(REVIEW)
    first, second, third = sentence_spans(chunk)
    joined = with_continuation(first)
    assert (joined.start, joined.end) == (first.start, second.end)
    assert joined.text == chunk.text[:second.end - chunk.start] and "task group" in joined.text
    assert with_continuation(second) == second  # "Partners will…" starts a new thought


@pytest.mark.parametrize("kind", ["paragraph", "list"])
def test_the_next_line_is_not_a_continuation(kind):
    text = "• The service supported those up to 18.\n• It now supports young people aged 18-25."
    first = next(span for span in sentence_spans(chunk_of(text, kind)) if span.text.endswith("18."))
    assert with_continuation(first) == first


def test_a_list_item_carries_on_within_its_line():
    text = "• The service initially supported those aged up to 18. It recently expanded to those aged 18-25.\n• Other."
    first = next(span for span in sentence_spans(chunk_of(text, "list")) if span.text.endswith("18."))
    assert with_continuation(first).text.endswith("aged 18-25.")


def test_a_figure_is_quoted_with_the_next_sentence_that_counts_the_same_thing_later():
    text = "In 2019, 310 families used the hub. By 2024 that figure had reached 720. Opening hours are unchanged."
    first = next(span for span in sentence_spans(chunk_of(text, "paragraph")) if span.text.endswith("hub."))
    assert with_continuation(first).text == "In 2019, 310 families used the hub. By 2024 that figure had reached 720."


def test_the_items_nested_under_a_lead_in_end_where_the_indentation_returns():
    text = "  • protected its 48 centres including:\n    • best start\n    • early support\n  • ten centres are hubs"
    lead_in_end = text.index(":") + 1
    assert text[:nested_items_end(text, lead_in_end)].endswith("• early support")
    assert nested_items_end("  • a list:\n  • a sibling item", len("  • a list:")) == len("  • a list:")


def test_a_sentence_leaning_on_the_one_before_is_quoted_with_it():
    from assistant.sentences import sentence_spans, with_what_it_refers_to

    text = "Waiting lists fell from 420 children in 2023. By March 2025, the number was 180. Parents noticed."
    chunk = Chunk("p.txt#0", "p.txt", "Kent", "Plan", "Therapy", "paragraph", text, 0, len(text), 20)
    second = sentence_spans(chunk)[1]
    assert with_what_it_refers_to(second).text == "Waiting lists fell from 420 children in 2023. By March 2025, the number was 180."
    third = sentence_spans(chunk)[2]
    assert with_what_it_refers_to(third).text == "Parents noticed."


def test_a_lead_in_leans_on_what_follows_not_on_what_precedes():
    from assistant.sentences import sentence_spans, with_antecedent

    text = "Workshops were run by an outside charity. These workshops brought together:"
    chunk = Chunk("p.txt#0", "p.txt", "Kent", "Plan", "Voice", "paragraph", text, 0, len(text), 12)
    lead_in = sentence_spans(chunk)[1]
    assert with_antecedent(lead_in).text == "These workshops brought together:"


def test_a_very_short_sentence_comes_with_the_next_one_on_its_line():
    text = "No referral is needed. Book a place through the hub's online form.\nThe hub is open all year."
    first = next(span for span in sentence_spans(chunk_of(text)) if span.text.endswith("needed."))
    assert with_continuation(first).text == "No referral is needed. Book a place through the hub's online form."
    last = next(span for span in sentence_spans(chunk_of("The hub is open all year round. Book online.")) if "hub" in span.text)
    assert with_continuation(last).text == "The hub is open all year round."  # seven words stand alone


def test_a_very_short_next_sentence_finishes_the_one_before():
    text = "A new sensory room at Hill Top Primary, Westvale. Ready by June 2028.\nRooms will be shared."
    first = next(span for span in sentence_spans(chunk_of(text)) if span.text.endswith("Westvale."))
    assert with_continuation(first).text == "A new sensory room at Hill Top Primary, Westvale. Ready by June 2028."


def test_a_sentence_saying_how_the_figure_before_it_changed_comes_with_it():
    text = "In 2025 only 40% of plans were on time. Between May and October this rose to 61%. Staff were added."
    first = next(span for span in sentence_spans(chunk_of(text)) if span.text.endswith("on time."))
    assert with_continuation(first).text == "In 2025 only 40% of plans were on time. Between May and October this rose to 61%."
