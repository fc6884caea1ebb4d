"""Follow-up questions ("And by when?", "Who commissions it?") made self-contained from the chat history.

Offline we cannot rewrite a question with a model, so a question too thin to search on its own is
searched together with the user's previous question, which carries its council and topic. Searching
that way finds the previous answer again, so the evidence must also answer what the follow-up adds,
and "what happens after that?" is answered by the passage that comes next.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answerkinds import asks_for_shape, asks_the_same_kind, has_answer_shape
from assistant.evidence import (
    SEMANTIC_ALONE,
    ScoredSpan,
    key_terms,
    span_evidence,
    span_key,
    term_coverage,
    with_columns,
)
from assistant.sentences import Span, overlaps, sentence_spans, with_continuation
from core.text import split_sentences
from ingest.chunk import neighbour_id

_REFERS_BACK = re.compile(r"^(and|but|also|what about|how about|so)\b|\b(it|its|that|this|they|them|those|these|"
                          r"there|he|she|one)\b", re.IGNORECASE)
_WHAT_NEXT = re.compile(r"\bwhat (?:happens|comes|is planned|will happen) (?:next|after that|then)\b"
                        r"|^\s*(?:and )?(?:then )?what (?:next|then)\b|^\W*(?:and |so )?(?:then )?after that\W*$"
                        r"|^\s*(?:and )?(?:is|will) (?:that|it|this) (?:going to |set to )?chang(?:e|ing)\b"
                        r"|\b(?:has|have) (?:that|it|this|they) changed\b"
                        # "how did they manage that?": how it came about is said right after it ("This came after…")
                        r"|^\W*(?:and |so |ok |okay )?how did (?:they|you|the \w+) (?:\w+ )?(?:do|manage|achieve|bring|get|"
                        r"make)\b", re.IGNORECASE)
NEW_TERMS_NEEDED = 0.5   # share of the follow-up's own key terms the repeated passage must hold
WAS_SAID = 0.5           # share of a passage's key terms the assistant's last answer held: the person saw it
ASK_TOPIC_TERMS = 2      # key terms (or one figure) a question sentence needs to be searched apart from its story


def previous_question(history: Sequence[dict]) -> str | None:
    for message in reversed(history):
        if message.get("role") == "user" and str(message.get("content", "")).strip():
            return str(message["content"]).strip()
    return None


def previous_answer(history: Sequence[dict]) -> str:
    """What the assistant last said, if it has answered since the last question."""
    for message in reversed(history):
        if message.get("role") == "user":
            return ""
        if message.get("role") == "assistant":
            return str(message.get("content", ""))
    return ""


def resolve(question: str, history: Sequence[dict]) -> str:
    earlier = previous_question(history)
    if earlier is None:
        return question
    if len(key_terms(question)) <= 2 or refers_back(question):
        return f"{earlier} {question}"
    return question


# the second half is one question: "I phoned the hub and who answered? Nobody. Does X…?" is a story, then one
_COMPOUND = re.compile(r"^(?P<first>.{10,}?)(?:\s*,\s*|\s+)(?:and|but)\s+(?P<second>(?:who|what|when|where|how|which|"
                       r"is|are|does|do|will|can|has|have)\b(?:(?![.!?]\s).){6,})$", re.IGNORECASE)


def split_compound(question: str) -> tuple[str, str] | None:
    """ "What is the DSR and who manages it?" → ("What is the DSR", "who manages it?"): two questions, the
    second a follow-up to the first."""
    match = _COMPOUND.search(question)
    return (match.group("first"), match.group("second")) if match else None


def refers_back(question: str) -> bool:
    """ "How much will it cost?" is about the previous topic; "who's the contact officer?" may not be."""
    return bool(_REFERS_BACK.search(question))


def asks_what_next(question: str) -> bool:
    return bool(_WHAT_NEXT.search(question))


def next_after(answered: Sequence[Span], spans: Sequence[Span]) -> Span | None:
    """The passage that directly follows the previous answer in its document ("what happens after that?"): first the
    sentence that carries it on ("This came after two nurses were hired…"), which is judged joined to it and so is no
    passage of its own, then the next passage."""
    for before in answered:
        carried = with_continuation(before)
        if carried.end > before.end:
            return next(later for later in sentence_spans(before.chunk) if later.start >= before.end)
        later = [span for span in spans if span.chunk.document == before.chunk.document and span.start >= before.end]
        if later:
            return min(later, key=lambda span: span.start)
    return None


def around_ids(spans: Sequence[Span]) -> list[str]:
    """The chunks holding these passages, then their neighbours: where a follow-up's answer usually is."""
    return list(dict.fromkeys(neighbour_id(span.chunk.chunk_id, step) for span in spans for step in (0, -1, 1)))


def answers_follow_up(question: str, scored: Sequence[ScoredSpan], answered: Sequence[Span],
                      earlier: str = "", said: str = "") -> list[ScoredSpan]:
    """Passages that answer what the follow-up itself asks, not just the previous question searched with it.

    "And by when?" may cite the previous answer again (its date); "Where is it going to be?" needs a place,
    so it is refused when no passage gives one. "What about Eastbury?" asks nothing new, only elsewhere: for
    that kind only the previous answer's own passages are left out, and so they are for a follow-up asking the
    same kind of thing again ("Who chairs the forum?" then "and who funds it?": the chair is no answer).
    """
    # what the person was shown, when we know what the assistant said: a passage beside it that the answer did not
    # quote (the steps listed under a heading the answer named) is news
    shown = [span for span in answered if not said or term_coverage(key_terms(span.text), said) >= WAS_SAID]
    repeated = {span_key(span) for span in shown}
    own_terms = key_terms(question)
    if not own_terms and not asks_for_shape(question):
        return [s for s in scored if span_key(s.span) not in repeated]

    nearby = set(around_ids(answered))
    asked_again = asks_the_same_kind(question, earlier)

    def still_answers(candidate: ScoredSpan) -> bool:
        """Its words may come from where it sits (section, lead-in); the answer itself, a date, must be in it,
        and a bare date answers only beside the previous answer ("When will they be in post?"), or when the
        passage is very close in meaning and holds one of the follow-up's own words."""
        span = candidate.span
        coverage = term_coverage(own_terms, span_evidence(span))
        beside = span.chunk.chunk_id in nearby and not (asked_again and any(overlaps(span, a) for a in shown))
        return (coverage >= NEW_TERMS_NEEDED
                or (has_answer_shape(question, with_columns(span))
                    and (beside or (coverage > 0 and candidate.semantic >= SEMANTIC_ALONE))))

    return [s for s in scored if still_answers(s)]


# the asker, or the child they tell about ("She's in year 4 now and hates the noise.")
_ABOUT_THE_ASKER = re.compile(r"\b(?:i|i['’](?:m|ve|d)|my|me|we|we['’](?:re|ve)|our|us|he|he['’]s|she|she['’]s|him|his"
                              r"|her)\b", re.IGNORECASE)
_POINTS_TO_THE_STORY = re.compile(r"\b(?:it|its|that|this|these|those|such)\b", re.IGNORECASE)


def the_ask(question: str) -> str:
    """ "My daughter is 7 and deaf, she hates noise. What help is there at secondary transfer?": what a parent tells
    about themselves or their child around a question (a story with at least one sentence about them) often says who
    asks, not what: the question sentence is searched on its own as well, a second reading beside the whole, when it
    names a topic of its own (two words, a figure, or "anything about <topic>": "when is the deadline?" needs the
    story). When it points back ("does the plan say anything about that?") it does not."""
    sentences = [sentence.strip() for sentence in split_sentences(question.strip(), any_case=True)]
    asked = [sentence for sentence in sentences if sentence.endswith("?")]
    story = [sentence for sentence in sentences if not sentence.endswith("?")]
    if (len(asked) != 1 or not story or not any(_ABOUT_THE_ASKER.search(s) for s in story)
            or _POINTS_TO_THE_STORY.search(asked[0])):
        return question
    terms = key_terms(asked[0])
    about = _ANYTHING_ABOUT.search(asked[0])
    names_a_topic = (len(terms) >= ASK_TOPIC_TERMS or any(term.isdigit() for term in terms)
                     or (about is not None and key_terms(about.group(1))))
    return asked[0] if names_a_topic else question


# "Is the council doing anything about transport?" names its topic in one word
_ANYTHING_ABOUT = re.compile(r"\b(?:do|does|doing|done|say|says|said) anything (?:about|for|on) ([\w’' -]+)", re.IGNORECASE)
