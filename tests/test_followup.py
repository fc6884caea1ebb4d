"""Reading a follow-up: "what happens after that?" asks for the next passage; a question of its own does not."""

from __future__ import annotations

import pytest

from assistant.followup import asks_what_next


@pytest.mark.parametrize("question, next_passage", [
    ("What happens after that?", True),
    ("And after that?", True),
    ("Has that changed?", True),
    ("is that changing?", True),
    ("And after that, which committee checks the progress, and how often?", False),
    ("Who leads it?", False),
    ("ok how did they manage that?", True),
    ("how did the team get the wait down so fast?", True),
    ("How did the survey reach parents who don't speak English, and who ran it?", False),
])
def test_what_next_is_asked_only_on_its_own(question, next_passage):
    assert asks_what_next(question) is next_passage


def test_only_the_most_recent_history_that_fits_is_read():
    from assistant.question import recent_history
    from core.settings import load_settings

    settings = load_settings(max_history_messages=4, max_history_chars=60)
    history = [{"role": "user", "content": "x" * 40}, {"role": "assistant", "content": "y" * 30},
               {"role": "assistant", "content": ["a file"]},
               {"role": "user", "content": "When is the review?"}, {"role": "assistant", "content": "In May."}]
    kept, trimmed = recent_history(history, settings)
    assert trimmed and [m["content"] for m in kept] == ["y" * 30, "When is the review?", "In May."]
    assert recent_history(None, settings) == ([], False)


@pytest.mark.parametrize("history", [[{"role": "user", "content": "Hi"}, "not a message"], [None], "a string", 7])
def test_history_that_is_not_a_list_of_message_objects_is_a_clear_error(history):
    from assistant.question import recent_history
    from core.errors import BadQuestionError
    from core.settings import load_settings

    with pytest.raises(BadQuestionError, match=r'"role"'):
        recent_history(history, load_settings())


def test_a_megabyte_of_history_is_cut_to_the_limit_and_said_so(corpus_index):
    from assistant.engine import Assistant

    history = [{"role": "user", "content": "Tell me about the plans. " * 2000}] * 50
    answer = Assistant(corpus_index.settings, corpus_index).ask("When will the new children's home open in "
                                                                "Lancashire?", history)
    assert not answer.refused and any("were read" in note for note in answer.notes)


@pytest.mark.parametrize("question, asked", [
    ("We moved house in the summer and my son is 12. Which schools have resourced provision for deaf pupils?",
     "Which schools have resourced provision for deaf pupils?"),
    ("I'm a foster carer. How long does an EHC needs assessment take?", "How long does an EHC needs assessment take?"),
    ("Is there a sibling support group? My daughter's brother struggles a lot.", "Is there a sibling support group?"),
    # the story tells of the child, and not every sentence of it; one word says what is asked about
    ("She loved swimming at her old school. The pool there has shut. Nothing is easy to find. "
     "Is the council doing anything about hydrotherapy?", "Is the council doing anything about hydrotherapy?"),
])
def test_the_question_in_a_parents_story_is_searched_on_its_own(question, asked):
    from assistant.followup import the_ask

    assert the_ask(question) == asked


@pytest.mark.parametrize("question", [
    "My daughter has cerebral palsy and needs a hoist. Does the plan say anything about that?",  # points back
    "My son is 14. Is there any help?",                    # names no topic of its own
    "The plan mentions a hub. Where is it?",               # the first sentence is not about the asker
    "My son is autistic. Is it just him? What share of pupils have an EHCP?",  # a question before the last
    "Who runs the panel?",                                 # one sentence
])
def test_a_question_that_needs_what_came_before_it_is_kept_whole(question):
    from assistant.followup import the_ask

    assert the_ask(question) == question


def _scored(text: str, chunk_id: str, semantic: float):
    from assistant.evidence import ScoredSpan
    from assistant.sentences import Span
    from ingest.chunk import Chunk

    chunk = Chunk(chunk_id=chunk_id, document="eastmoor-strategy.html", council="Eastmoor", title="Strategy",
                  section="Next steps", kind="paragraph", text=text, start=0, end=len(text),
                  token_count=len(text.split()))
    return ScoredSpan(Span(chunk, 0, len(text), text), semantic, 0.0)


def test_a_follow_up_in_other_words_is_answered_far_from_the_last_answer_only_when_very_close_in_meaning():
    """A passage far from the previous answer that gives the kind of answer asked and shares one of the follow-up's
    words: very close in meaning, it answers; merely close, it does not."""
    from assistant.evidence import SEMANTIC_ALONE
    from assistant.followup import answers_follow_up

    answered = [_scored("The respite house has six bedrooms.", "eastmoor-strategy.html#2", 0.6).span]
    passage = "A new timetable for overnight stays begins in January 2028 after the review."
    question = "and when does the timetable for sleepovers change?"
    close = _scored(passage, "eastmoor-strategy.html#40", SEMANTIC_ALONE)
    nearly = _scored(passage, "eastmoor-strategy.html#40", SEMANTIC_ALONE - 0.1)
    assert answers_follow_up(question, [close], answered) == [close]
    assert answers_follow_up(question, [nearly], answered) == []


def test_a_follow_up_asking_the_same_kind_again_is_not_answered_by_the_same_passage():
    """ "Who runs the hub?" then "and who pays for it?": the team just named is no answer, the funder beside it is,
    even in the same chunk; another kind of question ("and since when?") may cite the first passage again."""
    from assistant.followup import answers_follow_up
    from assistant.sentences import Span

    text = "The hub is run by the Early Help Team since 2024. Its funding comes from the ICB."
    runs = _scored(text, "eastmoor-strategy.html#2", 0.5)
    runs_span = Span(runs.span.chunk, 0, 49, text[:49])
    ran_by = type(runs)(runs_span, 0.5, 0.0)
    funder_span = Span(runs.span.chunk, 50, len(text), text[50:])
    funder = type(runs)(funder_span, 0.4, 0.0)
    assert answers_follow_up("and who pays for it?", [ran_by, funder], [runs_span], "who runs the hub?") == [funder]
    assert answers_follow_up("and since when?", [ran_by], [runs_span], "who runs the hub?") == [ran_by]


@pytest.mark.parametrize("question", [
    "My son has an EHCP. When is the deadline?",           # one word of its own: the story holds the topic
])
def test_a_question_sentence_too_thin_to_name_its_topic_keeps_its_story(question):
    from assistant.followup import the_ask

    assert the_ask(question) == question


def test_a_figure_is_topic_enough():
    from assistant.followup import the_ask

    assert the_ask("My girl is shy and loves horses. What is there after 19?") == "What is there after 19?"


@pytest.mark.slow
def test_a_conversation_about_one_council_stays_with_it(corpus_index):
    """A follow-up with a topic of its own and no council ("how is speech therapy commissioned?") is about the
    council the conversation is about, not every council."""
    from assistant.engine import Assistant

    history = [{"role": "user", "content": "What is Sefton doing about short breaks?"},
               {"role": "assistant", "content": "Sefton is reviewing its short breaks offer."}]
    answer = Assistant(corpus_index.settings, corpus_index).ask(
        "how is the speech and language therapy service commissioned?", history)
    assert {citation.council for citation in answer.citations} <= {"Sefton"}


def test_a_passage_beside_the_last_answer_that_it_did_not_quote_is_news():
    """ "What is aim 3?" answered with the aim's heading; "and how will they go about it?" may be answered by
    the action listed under it, which the answer did not quote, but not by the heading again."""
    from assistant.followup import answers_follow_up

    heading = _scored("Aim 3: Better transport for pupils with SEND.", "eastmoor-strategy.html#5", 0.6)
    action = _scored("Publish the new travel assistance policy.", "eastmoor-strategy.html#6", 0.5)
    said = "Aim 3 is better transport for pupils with SEND."
    kept = answers_follow_up("and how will they go about it?", [heading, action], [heading.span, action.span],
                             "what is aim 3?", said)
    assert kept == [action]


@pytest.mark.parametrize("question, history, councils", [
    ("and how is it paid for?", ["Who runs the Eastmoor sensory hub?"], ["Eastmoor"]),
    ("who checks on it?", ["Who runs the Eastmoor sensory hub?", "and when does it open?"], ["Eastmoor"]),  # two back
    ("do other councils do this?", ["Who runs the Eastmoor sensory hub?"], None),
    ("which councils have one?", ["Who runs the Eastmoor sensory hub?"], None),
    ("and how is it paid for?", ["Which councils have a sensory hub?"], None),
    ("what about Westvale?", ["Who runs the Eastmoor sensory hub?"], ["Westvale"]),
    ("how is it paid for?", [], None),
])
def test_a_follow_up_is_about_the_councils_its_conversation_is_about(question, history, councils):
    from assistant.councils import index_council_matcher
    from assistant.engine import councils_asked_about

    matcher = index_council_matcher({"Eastmoor": set(), "Westvale": set()})
    said = [{"role": "user", "content": text} for text in history]
    assert councils_asked_about(matcher, question, said) == councils


def test_a_story_sentence_with_and_who_is_not_the_first_half_of_two_questions():
    from assistant.followup import split_compound

    assert split_compound("We rang the office and who picked up? Nobody, again. Does the council say anything about "
                          "answering the phone?") is None
    assert split_compound("What is the hub and who runs it?") == ("What is the hub", "who runs it?")


def test_how_it_came_about_is_the_sentence_that_carries_the_answer_on():
    from assistant.followup import next_after
    from assistant.sentences import sentence_spans
    from ingest.chunk import Chunk

    text = "The wait for a hearing test fell from 30 to 12 weeks. This follows the hire of two audiologists."
    chunk = Chunk("w.html#5", "w.html", "Westvale", "Plan", "Hearing", "paragraph", text, 40, 40 + len(text), 20)
    fell, follows = sentence_spans(chunk)
    assert next_after([fell], []) == follows
