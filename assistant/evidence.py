"""Choose the sentences and rows that answer a question, and judge whether they really cover it.

Each candidate span (a sentence, list item or table row of a retrieved chunk) is scored by meaning
(MiniLM cosine with the question) and by words (share of the question's key terms it contains).
Coverage rules decide refusal: a year or number the question asks about must appear in the
evidence, and a span must be close enough in meaning or in words. Thresholds were tuned on the
labelled questions in evals/questions.jsonl (see README, "Refusal").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import simplemma
import Stemmer

from assistant.answerkinds import (
    ANSWER_SHAPES,
    ANSWER_TYPES,
    FUTURE,
    MONTH,
    holds_exact_answer,
    lacks_answer_type,
    without_law_years,
)
from assistant.councils import NOT_A_NAME, council_words
from assistant.glossary import FIELDS_OWN, Glossary, acronyms_asked_about
from assistant.injection import ADDRESSES_ASSISTANT
from assistant.plainwords import parents_words
from core.text import MONTHS, NUMBER_WORDS, STOP_WORDS
from ingest.spans import LIST_WORDS, Span, embed_text, sentence_spans, with_antecedent
from vectorstore.embedder import Embedder
from vectorstore.index import Hit

_STEM = Stemmer.Stemmer("english").stemWord
# Words a question uses around what it asks: English stop words and how people phrase a question to a plan.
STOPWORDS = set(STOP_WORDS) | set("""whose us yes much many per tell say says said give gives list lists plan plans council councils local area send
happen happening get got going anything something please know want need mean means meant stand stands new
actually really himself herself someone somebody anyone anybody via whether
dont cant wont isnt arent doesnt didnt hasnt havent wasnt werent wouldnt couldnt shouldnt""".split())
# How parents talk around a question ("we've had a nightmare getting…", "round our way"): not what it asks about.
CHATTER = {_STEM(word) for word in """like take took taken make made making done getting gets live near round way
we've i've we're i'm lot bit thing things stuff ok okay specific specifically particular help
one ones""".split()} | {_STEM(word) for word in STOPWORDS}
# Words that only name a place, matched as written: a county's short form may stem like an everyday word ("Notts",
# "Bucks"), and the everyday word ("staff", "pooled") is still asked about.
PLACE_WORDS = council_words()
# Words every plan uses: they say nothing about which passage answers.
GENERIC = {_STEM(word) for word in """commissioning joint
children young people child kid kids family families special educational needs disabilities sen strategy
document report son daughter boy girl grandson granddaughter teenager toddler""".split()}
NUMBERED_PARAGRAPH = re.compile(r"^\d{1,2}\.\d{1,2}\s")
AGE = re.compile(r"\b\d{1,2}[ -]?(?:years?|yrs?)[ -]old\b|(?:\baged?|\bis|\bturns?|\bturning|\bnow|"
                 r"\b(?:son|daughter|child|kid|boy|girl|lad|he|she)(?:'s|’s))\s+(?:only|just|nearly|almost)?\s*\d{1,2}\b"
                 r"(?![ -]?(?:%|weeks?\b|months?\b|days?\b|hours?\b|years?\b|per\b))", re.IGNORECASE)
PLAN_YEARS = re.compile(r"(?:(?<=\bplan)|(?<=\bstrategy)|(?<=\barrangements))\s+(?:19|20)\d{2}\s*"
                        r"(?:-|–|/|to)\s*(?:19|20)?\d{2}\b", re.IGNORECASE)
SHORT_YEARS = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+'?(\d{2})\b"
                         r"|\b(?:20)?(\d{2})/(\d{2})\b|\b20(\d{2})[-–](\d{2})\b")
NUMBER = re.compile(r"\b(?:19|20)\d{2}\b|\b\d+(?:\.\d+)?%?")

WEIGHTS = {"semantic": 0.5, "coverage": 0.3, "rank": 0.0, "shape": 0.08}
SEMANTIC_FLOOR = 0.2    # below this a span is never evidence (names MiniLM does not know, "Liaise", score low)
SEMANTIC_SURE = 0.50    # at or above this, meaning is enough with one of the question's own words
SEMANTIC_ALONE = 0.65   # at or above this, meaning alone is enough
LEAD_IN_WORDS = 12     # a lead-in (ending in a colon) this long says something of its own
COVERAGE_NEEDED = 0.3   # otherwise at least half the key terms must appear
STORY_TERMS = 8         # a question with this many key terms is judged only on those some passage found uses


_ACRONYM_PLURAL = re.compile(r"\b([A-Z]{2,})s\b")
# "send it to the team" is the verb, a key term; "SEND" (and "send" in "my son has send") names the field
_SEND_THE_VERB = re.compile(r"\b(?:send|Send)(?=\s+(?:it|them|this|that|these|those|the|a|an|my|your|their|our|his|her|"
                            r"off|back|in|out|over|us|me|him|you)\b)")


def key_terms(text: str) -> set[str]:
    """The stems a passage must share with a question; an acronym's plural ("CCGs") is the acronym (the stemmer
    leaves a word with no vowel as it is), and a month is its short form ("November" is "Nov", as tables write it)."""
    text = _SEND_THE_VERB.sub("sendverb", _ACRONYM_PLURAL.sub(r"\1", text))
    stems = _content_stems(re.findall(r"[A-Za-z][A-Za-z’']+|\d+", text.lower()))
    return {stem for stem in stems if stem not in GENERIC and stem not in CHATTER and len(stem) > 1}


def _content_stems(words: list[str]) -> set[str]:
    """The stems of lower-cased words, less stop words, negations ("aren't") and councils' names."""
    plain = (word.replace("’", "'").removesuffix("'s") for word in words)
    return {_dictionary_stem(word) for word in plain
            if word not in STOPWORDS and not word.endswith("n't") and not _names_a_place(word)}


@lru_cache(maxsize=65536)
def _dictionary_stem(word: str) -> str:
    """A word's stem, from its dictionary form: the stemmer keeps "built" and "build" apart, a lemmatiser does not."""
    return _MONTHS.get(word) or _STEM(simplemma.lemmatize(word, lang="en").lower())


def _names_a_place(word: str) -> bool:
    """A council's name, also as a possessive typed without its apostrophe ("eastmoors plan")."""
    return word in PLACE_WORDS or (word.endswith("s") and word[:-1] in PLACE_WORDS)


# Months as plans write them in full or short ("Sept", "Nov"): one term each
_MONTHS = {word: month[:3] for month in map(str.lower, MONTHS)
           for word in {month, month[:3], "sept" if month == "september" else month}}


def _prefixes(terms: set[str]) -> set[str]:
    """Stems cut to five letters: the stemmer keeps "deliv" (deliver) and "deliveri" (delivery) apart."""
    return {term[:5] for term in terms}


def term_coverage(terms: set[str], text: str) -> float:
    """Share of the question's key terms (stems) that a passage contains."""
    return len(_prefixes(terms) & _passage_prefixes(text)) / len(terms) if terms else 0.0


@lru_cache(maxsize=8192)
def _passage_prefixes(text: str) -> frozenset[str]:
    """A passage's key terms, cut: the same passages are judged again and again, question after question."""
    return frozenset(_prefixes(key_terms(text)))


def shape_counter(question: str) -> Callable[[str], int]:
    """How many of the things this kind of question usually wants a passage holds (a date for "when"…),
    counting a plan's future tense for a question about what is going to happen. The question is read once;
    each passage it judges is then only searched."""
    wanted = [holds for asks, holds in (*ANSWER_SHAPES, FUTURE) if asks.search(question)]
    count = count_stated(question)
    if count is not None:
        wanted.append(count)

    def held(text: str) -> int:
        text = without_law_years(text)
        return sum(1 for holds in wanted if holds.search(text))
    return held


_ITEM_NOUNS = (r"area|priority|priorities|pledge|theme|recommendation|objective|outcome|aim|goal|workstream|"
               r"commitment|step|stage|strand|ambition|principle|action")
_LABEL_ASKED = re.compile(rf"\b(?:{_ITEM_NOUNS})s?\s+(?P<label>[A-Z]\b|\d{{1,2}}(?:\.\d{{1,2}})*\b)", re.IGNORECASE)
_ORDINAL_ASKED = re.compile(rf"\b(?P<ordinal>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+"
                            rf"(?:[\w-]+\s+)?(?:{_ITEM_NOUNS})\b", re.IGNORECASE)
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


_YES_NO = re.compile(r"^\s*(?:is|are|was|were|does|do|did|has|have|can|could|will|would|should)\b", re.IGNORECASE)


def item_labels(question: str) -> list[str]:
    """The label of the item a question points at: "area C" → C, "priority 2" → 2, "the second area" → 2 or B."""
    asked = _LABEL_ASKED.search(question)
    if asked:
        label = asked.group("label")
        return [label.upper() if label.isalpha() else label]
    ordinal = _ORDINAL_ASKED.search(question)
    if ordinal:
        place = _ORDINALS.index(ordinal.group("ordinal").lower()) + 1
        return [str(place), chr(ord("A") + place - 1)]
    return []


_ITEMS_ASKED = re.compile(rf"\b(?:what|which) (?:are|were) (?:the |its |their |[\w’']+(?:'s|’s) )?(?:main |key |headline )?"
                          rf"(?P<noun>{_ITEM_NOUNS})", re.IGNORECASE)


def introduces_the_items(question: str, span: Span) -> bool:
    """ "What are the council's actions for school places?" is answered by the list the plan introduces as its
    actions ("Our actions to deliver this are to: • …"), rather than by a sentence about school places."""
    asked = _ITEMS_ASKED.search(question)
    if asked is None or span.chunk.kind != "list":
        return False
    first_line = span.text.splitlines()[0] if span.text else ""
    introduction = f"{span.chunk.lead_in} {first_line if first_line.rstrip().endswith(':') else ''}".lower()
    return asked.group("noun").lower()[:5] in introduction


def item_named(question: str) -> str | None:
    """The item a question names by its label, as written ("priority 5", "area C"), to search for on its own."""
    asked = _LABEL_ASKED.search(question)
    return asked.group(0) if asked else None


def carries_label(labels: list[str], span: Span) -> bool:
    """The passage, or the heading it sits under, starts with the item's label ("C. EHC plans…", "2: Improving…",
    "Priority 2 – …"), or names the item in the title it opens with ("Delivery plan (Priority 4) – We will…")."""
    return any(_starts_with_label(labels, place) for place in [span.text, *span.chunk.section.split(" › ")[-2:]])


def _repeats_labelled_phrase(question: str, text: str) -> bool:
    """ "How many appeals got as far as stage 2?", "what were the stage 2 appeals about?": a label that qualifies what
    is asked about, or where a count is taken, is not the item the plan numbers; a passage saying "stage 2
    appeals" is about them, wherever it says it."""
    labelled = _LABEL_ASKED.search(question)
    if labelled is None:
        return False
    qualified = re.search(rf"{re.escape(labelled.group(0))}\s+[a-z]{{3,}}", question, re.IGNORECASE)
    said = [qualified.group(0)] if qualified else []
    return any(re.search(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE)
               for phrase in said + ([labelled.group(0)] if _HOW_MANY.search(question) else []))


def heading_with_label(labels: list[str], span: Span) -> str | None:
    """The heading that carries the item's label when the passage under it does not: what "what is the third
    aim?" asks is named there ("3: Faster assessments")."""
    if _starts_with_label(labels, span.text):
        return None
    return next((heading for heading in reversed(span.chunk.section.split(" › ")[-2:])
                 if _starts_with_label(labels, heading)), None)


def labels_pointed_at(question: str) -> list[str]:
    """The item labels a question asks about; "is X linked to priority 4?" may be answered "no", so not there."""
    return [] if _YES_NO.match(question) else item_labels(question)


def _starts_with_label(labels: list[str], text: str) -> bool:
    text = text.strip()
    title = _OPENING_TITLE.match(text)
    return any(re.match(rf"^\W{{0,3}}(?:(?:{_ITEM_NOUNS})\s+)?\(?{re.escape(label)}{_after(label)}(?:\s|$)",
                        text, re.IGNORECASE if label.isdigit() else 0)
               or (title and re.search(rf"\b(?:{_ITEM_NOUNS})\s+{re.escape(label)}\b", title.group(1), re.IGNORECASE))
               for label in labels)


_OPENING_TITLE = re.compile(r"^([^.:;–]{3,80}?)\s*(?::|\s[-–])\s")  # "Delivery plan (Priority 4) – …"


def _after(label: str) -> str:
    """What follows a label: "C." "2:" "(b)" "3 –"; a numbered paragraph's number ("4.1.5 Publish…") needs nothing."""
    return r"(?:[.):]|\s+[-–]|(?=\s))" if "." in label else r"(?:[.):]|\s+[-–])"


def span_evidence(span: Span) -> str:
    """Everything a passage says, including where it sits: its section, lead-in and table columns."""
    chunk = span.chunk
    return " ".join([span.text, chunk.section, chunk.lead_in, *chunk.fields, *chunk.fields.values()])


def with_columns(span: Span) -> str:
    """A table cell's column ("You Said") and period say what kind of statement it is."""
    return " ".join([span.text, *span.chunk.fields, *span.chunk.fields.values()])


def numbers_in(text: str) -> set[str]:
    """The figures and years a text gives; a year written short ("Nov 24", "2023/24", "2023-24", "21/22") counts in
    full, and only in full ("2026-27" gives 2026 and 2027, as "2026 to 2027" does)."""
    years: set[str] = set()

    def in_full(match: re.Match[str]) -> str:
        month_year, first, second, first_dashed, second_dashed = match.groups()
        first, second = first or first_dashed, second or second_dashed
        if month_year:
            years.add(f"20{month_year}")
        elif int(second) == (int(first) + 1) % 100:  # an academic or financial year, "2023/24"
            years.update({f"20{first}", f"20{second}"})
        else:
            return match.group(0)
        return " "
    return set(NUMBER.findall(SHORT_YEARS.sub(in_full, text))) | years


def without_ages(question: str) -> str:
    """ "My son is 17…", "my 9-year-old…": a child's age is not a figure the plans must repeat; nor are the years
    in a plan's name ("the Joint Commissioning Plan 2023–2026"), which say which plan, not when."""
    return " ".join(PLAN_YEARS.sub(" ", AGE.sub(" ", question)).split())


@dataclass(frozen=True)
class ScoredSpan:
    span: Span
    semantic: float
    coverage: float
    rank: int = 0          # the retrieval rank of the span's chunk (0 = best)
    shapes: int = 0         # answer shapes matched (see ANSWER_SHAPES)
    names_the_thing: bool = True  # holds the thing "is there a…?" / "what are the … of" asks about

    @property
    def score(self) -> float:
        return (WEIGHTS["semantic"] * self.semantic + WEIGHTS["coverage"] * self.coverage
                + WEIGHTS["rank"] / (1 + self.rank) + WEIGHTS["shape"] * self.shapes)


class EvidenceScorer:
    """Scores spans against a question. A span's vector is the one ingest stored (`stored`), else embedded on first
    sight and cached, because chunks repeat across questions."""

    def __init__(self, embedder: Embedder, glossary: Glossary | None = None,
                 stored: Callable[[Span], np.ndarray | None] = lambda span: None) -> None:
        self.embedder = embedder
        self.glossary = glossary or Glossary([])
        self.stored = stored
        self._vectors: dict[tuple[int, int, str], np.ndarray] = {}

    def score(self, question: str, question_vector: np.ndarray, hits: list[Hit],
              second: tuple[str, np.ndarray] | None = None) -> list[ScoredSpan]:
        """`second` is a second reading of the question and its vector (the question sentence of a parent's
        story, a follow-up with the question before it): a passage is judged by whichever it answers better."""
        # a sentence that leans on the one before is judged with it, as it will be quoted
        ranked = [(rank, with_antecedent(span)) for rank, hit in enumerate(hits) for span in sentence_spans(hit.chunk)]
        if counted_list(question):  # "what are the four areas…?": a list of any length may be the answer
            ranked += [(rank, Span(hit.chunk, hit.chunk.start, hit.chunk.end, hit.chunk.text))
                       for rank, hit in enumerate(hits) if hit.chunk.kind == "list"
                       and len(hit.chunk.text.split()) > LIST_WORDS]
        spans = [span for _, span in ranked]
        self._embed_missing(spans)
        terms = key_terms(without_ages(question))
        second_terms = key_terms(without_ages(second[0])) if second else set()
        vectors = [question_vector] + ([second[1]] if second else [])
        things = things_asked(question)
        bodies = bodies_asked(question)
        labels = item_labels(question)
        count_shapes = shape_counter(question)
        said_by = {span_key(span): self._words(span) for _, span in ranked if not _is_fragment(span)}
        # a story's own words ("worn out", "the kitchen table") are in no plan: they say who asks, not what
        if len(terms) >= STORY_TERMS:
            written = set().union(*(_passage_prefixes(words) for words in said_by.values()))
            terms = {term for term in terms if term[:5] in written}
        scored = []
        for rank, span in ranked:
            if span_key(span) not in said_by:
                continue
            vector = self._vectors[span_key(span)]
            words = said_by[span_key(span)]
            coverage = max(term_coverage(terms, words), term_coverage(second_terms, words))
            named = f"{span_evidence(span)} {words}"
            scored.append(ScoredSpan(span, max(float(vector @ asked) for asked in vectors), coverage, rank,
                                     count_shapes(f"{span.chunk.lead_in} {with_columns(span)}") + carries_label(labels, span),
                                     names_all(things, named) and names_the_bodies(bodies, named)))
        return sorted(scored, key=lambda s: -s.score)

    def _words(self, span: Span) -> str:
        """What a passage says, where it sits, and the same in the glossary's and parents' other words."""
        said = f"{span.text} {span.chunk.section} {span.chunk.lead_in}"
        return f"{said} {self.glossary.also_called(said)} {parents_words(said)}"

    def _embed_missing(self, spans: list[Span]) -> None:
        missing = []
        for span in spans:
            if span_key(span) not in self._vectors:
                vector = self.stored(span)
                if vector is None:
                    missing.append(span)
                else:
                    self._vectors[span_key(span)] = vector
        if missing:
            for span, vector in zip(missing, self.embedder.embed([embed_text(span) for span in missing])):
                self._vectors[span_key(span)] = vector


def _is_fragment(span: Span) -> bool:
    """A title line, an image's alt text, a short lead-in ("It includes:") or text addressed to the assistant is never
    an answer. A long lead-in states something itself ("…protected its 48 children's centres, … including:"), and so
    does a labelled line ("Chair - Sharon Patel", "Consultation closes: 3 March 2026")."""
    if ADDRESSES_ASSISTANT.search(span.text) or _LISTS_DOCUMENTS.match(span.chunk.heading):
        return True
    if span.chunk.kind not in ("paragraph", "list"):
        return False
    if span.text.startswith(("[image", "Figure ")):
        return True
    if _LABELLED.match(span.text):
        return False
    words = span.text.split()
    return (len(words) < 4 or (span.text.endswith(":") and len(words) < LEAD_IN_WORDS)
            or (len(words) < 8 and not re.search(r"[.!?\d]", span.text)))


# a report's list of the papers it draws on names documents: it says nothing itself
_LISTS_DOCUMENTS = re.compile(r"^\W*(?:background (?:papers|documents)|related documents|list of appendices)\W*$",
                              re.IGNORECASE)
_LABELLED = re.compile(r"^[A-Z][\w’' ]{1,40}?(?::| [-–]) +\S.*\w")
BARE_VALUE_WORDS = 6  # a labelled line this short gives a value and no more ("Deadline: May 2027")


def is_bare_value(text: str) -> bool:
    """A short labelled line: a value with no word of what it belongs to."""
    return len(text.split()) <= BARE_VALUE_WORDS and _LABELLED.match(text) is not None


def is_status_line(text: str) -> bool:
    """A line giving a status or a date and no more: a bare value, or a word or two with no full stop ("Ongoing")."""
    return is_bare_value(text) or (len(text.split()) <= 2 and not text.rstrip().endswith("."))


def span_key(span: Span) -> tuple[int, int, str]:
    """Where a passage is: the same slice of the same document is the same passage."""
    return (span.start, span.end, span.chunk.document)


_HOW_MANY = re.compile(r"\bhow many (?:of )?((?:[\w’'-]+ ?){1,3})", re.IGNORECASE)
_PEOPLE_WORDS = {"young", "child", "peopl", "kids", "pupil"}
_PEOPLE = r"(?:young|child|kids|peopl|pupil|cyp)"  # the plans write "CYP" for children and young people
_FIGURE = r"(?:\d[\d,.]*%?|no|none|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"


_COUNTED_ENDS = r"\b(?:are|is|were|was|do|does|did|have|has|had|will|would|can|could|came|come|got|get|went|there|in|on|at|" \
                r"of|for|from|with)\b|(?<=[a-z] )[a-z]+ed\b"  # "how many parents rated…": a verb after the noun


_AFTER_YEAR = re.compile(r"\b(?:after|beyond|past|post-?)\s*((?:19|20)\d{2})\b", re.IGNORECASE)


def reaches_past(question: str, evidence: str) -> bool:
    """ "What will the strategy focus on after 2026?" is not answered by the title of a 2023 – 2026 strategy: the
    evidence must name a later year."""
    asked = _AFTER_YEAR.search(question)
    return asked is None or any(int(year) > int(asked.group(1)) for year in re.findall(r"\b(?:19|20)\d{2}\b", evidence))


_MONTH_AND_YEAR = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+'?(?:20)?\d{2}\b", re.I)


def names_the_months(question: str, evidence: str) -> bool:
    """ "Did it go up by November 2024?" is not answered by a March 2024 figure: a month asked with its year must
    be in the evidence too ("Nov 24" counts)."""
    return all(re.search(rf"\b{month}", evidence, re.IGNORECASE)
               for month in {match.group(1).lower() for match in _MONTH_AND_YEAR.finditer(question)})


# "when is the forum's next session?" too: it is on a day ("at its next session" dates nothing else)
_ASKS_THE_DAY = re.compile(r"\b(?:exact|precise|actual) date\b|\b(?:what|which) day\b"
                           r"|\bwhen(?:'s|’s| is| will)? (?:be )?(?:the|its|their) next (?:meeting|session|drop-in|panel)\b",
                           re.IGNORECASE)
_DAY_OF_MONTH = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{MONTH}(?!\w)|\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
                           r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b", re.IGNORECASE)


def names_the_day(question: str, evidence: str) -> bool:
    """ "On what exact date does the forum sit?" is not answered by "in June 2027": a day must be given."""
    return not _ASKS_THE_DAY.search(question) or bool(_DAY_OF_MONTH.search(evidence))


def counts_what_is_asked(question: str, evidence: str) -> bool:
    """ "How many staff…?" needs a figure next to "staff" (the thing counted) in the evidence, not any number."""
    match = _HOW_MANY.search(question)
    if match is None:
        return True
    phrase = re.split(_COUNTED_ENDS, match.group(1).lower())[0]  # "recommendations came out" → "recommendations"
    words = [w.replace("’", "'").removesuffix("'s")[:5] for w in phrase.split() if w not in STOPWORDS]
    if not words:
        return True
    head = words[-1]  # "how many special schools": schools, not "special" (as in "special educational needs")
    noun = _PEOPLE if head in _PEOPLE_WORDS else re.escape(head)
    near = rf"\b{_FIGURE}\b(?:\W+\w+){{0,10}}?\W+{noun}|\b{noun}\w*(?:\W+\w+){{0,10}}?\W+{_FIGURE}\b"
    counted = _uncounted(question, evidence).replace("’", "'")
    share = (re.search(rf"\b(?:percentage|proportion|number) of {noun}", counted, re.IGNORECASE)
             and re.search(r"\d%", counted))  # "how many parents…?": "the percentage of parents… (baseline 42%)"
    cells = counted.split("\t")  # a table row's figures measure what its first cell names
    in_row = (len(cells) > 1 and re.search(rf"\b{noun}", cells[0], re.IGNORECASE)
              and any(re.search(rf"\b{_FIGURE}", cell) for cell in cells[1:]))
    return bool(share or in_row) or re.search(near, counted, re.IGNORECASE) is not None


def counted_in(question: str, span: Span) -> str | None:
    """Where the count "how many…?" asks for is given: "passage", or "heading" when only the heading the passage sits
    under gives it ("Our aims: four themes"), else None. A table cell counts what its column names ("Places today: 45")."""
    if counts_what_is_asked(question, NUMBERED_PARAGRAPH.sub("", span.text)) or any(
            counts_what_is_asked(question, f"{column}: {value}") for column, value in span.chunk.fields.items()):
        return "passage"
    heading = span.chunk.heading
    return "heading" if heading and _HOW_MANY.search(question) and counts_what_is_asked(question, heading) else None


def heading_counts(question: str, span: Span) -> bool:
    return counted_in(question, span) == "heading"


# "Wave 3", "Year 6", "tier 2": a number that says which one of a series, outside the plans' own item labels
_SERIES_NUMBER = re.compile(r"\b(phase|tier|wave|level|year|band|key stage|cohort|round)\s+(\d{1,2})\b", re.IGNORECASE)


def names_the_series_number(question: str, evidence: str) -> bool:
    """ "When does wave 3 of the training start?" is not answered by a row whose "3" is an age ("3 to 5"): the number
    must come with its word in the evidence too."""
    return all(re.search(rf"\b{noun}\s+{number}\b", evidence, re.IGNORECASE)
               for noun, number in _SERIES_NUMBER.findall(without_ages(question)))


_AGE_RANGE = re.compile(r"\b\d{1,2}\s*(?:-|–|to)\s*\d{1,2}\b")


def _uncounted(question: str, evidence: str) -> str:
    """The evidence without figures that cannot be the count: an age range ("the full 0-25 offer") and the
    numbers the question itself gives ("how many band 5 keyworkers?" is not answered by "band 5")."""
    evidence = _AGE_RANGE.sub(" ", evidence)
    for number in numbers_in(question):
        evidence = re.sub(rf"(?<![\d.]){re.escape(number)}(?![\d.])", " ", evidence)
    return evidence


_WHAT_ARE_THE_N = re.compile(r"\b(?:(?:what (?:are|were)|list|name|tell me|give me) (?:all )?(?:the|its|their|[\w’']+'s) "
                             r"|which (?=\d))(\d+|two|three|four|five|six|seven|"
                             r"eight|nine|ten)(?:\b((?:\s+[\w’'-]+){1,3})|([A-Z](?:['’]?s)\b))", re.IGNORECASE)
# a set named by its size and letter ("the 4Cs", "our 3 P's") is counted the same way


# "It came up with 8 key recommendations. Can you list them?"
_LIST_THEM = re.compile(r"\b(?:list|name|what are|tell me) (?:them|they|those|all of them)\b", re.IGNORECASE)
_N_THINGS = re.compile(r"\b(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)((?:\s+[\w’'-]+){1,3}?s)\b", re.IGNORECASE)


def counted_list(question: str) -> tuple[str, str] | None:
    """ "What are Northshire's four priorities?" → ("4", "priorities"): the size and the noun of the list asked for."""
    match = _WHAT_ARE_THE_N.search(question) or (_LIST_THEM.search(question) and _N_THINGS.search(question))
    named = next((group for group in match.groups()[1:] if group), "") if match else ""
    words = [word for word in named.lower().split() if word not in STOPWORDS]
    if not words:
        return None
    number = match.group(1).lower()
    return str(NUMBER_WORDS.get(number, number)), words[-1]


def count_stated(question: str) -> re.Pattern[str] | None:
    """ "What are the five clinical priorities?" is answered where a plan says "The 5 clinical priorities … are": the
    pattern of that statement, for a question asking for a counted list."""
    asked = counted_list(question)
    if asked is None:
        return None
    wanted, noun = asked
    spelled = next((word for word, value in NUMBER_WORDS.items() if str(value) == wanted), wanted)
    letters = "['’]?".join(re.escape(letter) for letter in re.sub(r"['’]", "", noun)[:5])  # "4C's" is "4 Cs"
    return re.compile(rf"\b(?:{wanted}|{spelled})\s*(?:[\w-]+\s+){{0,2}}?{letters}", re.I)


# "Is there a mediation service?", "Does the plan cover youth justice?": the thing asked about by name. "Why does
# the council fund holiday clubs?" asks why, not whether there are any (nor does "how do they run it?").
_THING_ASKED = re.compile(
    r"\b(?:is there|are there|(?<!why )(?<!how )do(?:es)? (?:(?!to\b)[\w’']+ ){0,3}?(?:have(?! to\b)|run|keep|offer|provide|cover|include|mention)"
    r"|(?:say|says|mention|mentions|talk|talks) anything about|what (?:is|are) the)\s+"
    # "how many nurses does the team have right now?" names its thing before the verb: a time after it is none
    r"(?:an?y?\s+|the\s+|some\s+)?(?!(?:at|in|on|by|for|now|currently|already|today|yet|right now)\b)"
    r"(?P<thing>[\w’' -]+?)"
    r"(?P<end>\s+(?:of|to|for|in|at|with|that|who|which|from|on|by|where|when|anyway|though|at all|as well|too)\b"
    r"|\s*[?,.;(]|\s+-\s|$)", re.IGNORECASE)


# "How many young people are on the dynamic support register?": a count of young people elsewhere is no answer.
_COUNTED_ON = re.compile(
    r"\bhow many\b[^?]*?\b(?:are|is|were)\s+(?:currently\s+|now\s+|still\s+)?(?:on|using|receiving|attending)\s+"
    r"(?:the\s+|[\w’']+(?:'s|’s)\s+)?(?P<thing>[\w’' -]+?)"
    r"(?:\s*[?,.;]|$|\s+(?:in|at|for|by|since|now|currently)\b)",
    re.IGNORECASE)


# "How often does the SEND health committee meet?", "How much will the new SENDIASS service cost?": another
# group's meetings, or the report's costs, are no answer.
_HOW_OFTEN_OR_MUCH = re.compile(
    r"\bhow (?:often|frequently|much) (?:does|do|is|are|will|would|should|did)\s+(?:the\s+|[\w’']+(?:'s|’s)\s+)?"
    r"(?P<thing>[\w’' -]+?)\s+(?:meet|be|get|happen|take place|run|report|reviewed|updated|refreshed|cost)\b",
    re.IGNORECASE)


# "Which company holds the mediation contract?", "Will she qualify for the packages of care pilot?": a provider
# or a criterion found elsewhere is no answer.
_PROVIDER_OR_PLACE_ON = re.compile(
    r"(?:\bwhich (?:company|companies|provider|charity|firm|agency|organisation)\s+(?:\w+\s+){0,7}?"
    r"(?:delivers?|provides?|holds?|runs?|won)|\b(?:qualify|qualifies|eligible|entitled)\s+(?:for|to))\s+"
    r"(?:the\s+|an?\s+|[\w’']+(?:'s|’s)\s+)?(?P<thing>[\w’' -]+?)"
    r"(?:\s+(?:that|which|for|in|on|at|if|when|across|contract)\b|\s*[?,.;]|$)", re.IGNORECASE)


_WHEN_THING = re.compile(r"(?:(?:target|end|start) )?(?:deadline|date|timescale|time ?frame|timeline)s?", re.I)


# "Does the council have issues with portage?" names no thing a plan would write: it asks what the trouble is.
_TROUBLE = key_terms("problem problems issue issues difficulty difficulties concern concerns challenge challenges "
                     "trouble troubles")


def things_asked(question: str) -> list[set[str]]:
    """The key terms of each thing a question asks about by name ("is there a mediation service?")."""
    things = []
    match = _THING_ASKED.search(question)
    # "what are the five priorities?" asks for a list, not about one named thing
    if (match and (match.group(0)[:4].lower() != "what" or match.group("end").strip().lower() == "of")
            and not _WHEN_THING.fullmatch(match.group("thing").strip())
            and not key_terms(match.group("thing")) <= _TROUBLE):
        things.append(match.group("thing"))
    for pattern in (_COUNTED_ON, _HOW_OFTEN_OR_MUCH, _PROVIDER_OR_PLACE_ON):
        named = pattern.search(question)
        if named:
            things.append(named.group("thing"))
    things.extend(acronyms_asked_about(question))  # "what is POWAR?" is answered only where POWAR is named
    if _ASKS_WHEN.match(question):  # "when does the new SENDIASS service begin?" needs SENDIASS named
        things.extend(named_services(question))
        things.extend(_NEXT_EVENT.findall(question))  # "when is the next drop-in?" needs a drop-in named
        things.extend(_DATE_OF.findall(question))  # "when is the milestone for the new hub due?" needs the hub named
    # "how often does that group meet?" points back to a thing named before, perhaps by another name
    named = [_DOING.sub("", thing.strip()) for thing in things if not _POINTS_BACK.match(thing.strip())]
    return [terms for terms in map(key_terms, named) if terms]


# "anything about cutting down paperwork" asks about paperwork: what is done to a thing is said in the plan's words
# ("a waiting list" is a kind of list: only a verb with its particle or article goes, "sorting out", "improving the")
_DOING = re.compile(r"^[a-z]+ing\s+(?:out|up|down|off|back|with|on|in|for|to|about|the|a|an|their|our|more|better)\s+"
                    r"(?=\w)",
                    re.IGNORECASE)
# "that group" points back; "that NHS regional group" names one
_POINTS_BACK = re.compile(r"(?:that|this|these|those|its|their)\s+[\w’'-]+$", re.IGNORECASE)


def named_services(question: str) -> list[str]:
    """Acronyms naming one service or body ("SENDIASS", "CAMHS"). A date in a passage that never names it (or
    spells it out) is some other thing's date. The field's own name (SEND, SEN) and councils' short forms name
    no service."""
    return [word for word in dict.fromkeys(_ACRONYM_WORD.findall(question))
            if word.upper() not in FIELDS_OWN | {"SENS"} and word.lower() not in council_words()]


_ASKS_WHEN = re.compile(r"^\s*(?:and\s+)?(?:when|by when|what date|how soon)\b", re.IGNORECASE)
_NEXT_EVENT = re.compile(r"\b(?:the|its|their) next ([\w-]+)", re.IGNORECASE)
_DATE_OF = re.compile(r"\b(?:milestone|deadline|date|timescale|target)s? (?:for|to|of) ([\w’' -]+?)"
                      r"(?:\s+(?:due|set|be|is|are|in|by|going)\b|\s*[?,.;]|$)", re.IGNORECASE)
_ACRONYM_WORD = re.compile(r"\b[A-Z][A-Z]{2,}[a-z]?\b")
# a team, service or place by its name ("the Children's Sensory Team", "Larkfield House"). A question word or an
# article opening it is no part of the name, as in a council's.
_NAMED_BODY = re.compile(
    rf"\b(?!{NOT_A_NAME})((?:[A-Z][\w’'-]+\s+(?:(?:with|and|for|of|&)\s+)?){{1,4}}"
    r"(?:Team|Service|House|Centre|Hub|Panel|Unit|Clinic|Forum|Board|Group|Partnership|School|Academy|College|Trust))\b")


def names_all(things: list[set[str]], evidence: str) -> bool:
    return all(term_coverage(terms, evidence) == 1.0 for terms in things)


def bodies_asked(question: str) -> list[str]:
    """ "How long do families wait for the Sensory Support Team?": a question asking for a value (a wait, a date,
    an address) of a team, service or place it names wants that body's value, so the evidence must name it too."""
    return _NAMED_BODY.findall(question) if any(kind.asks.search(question) for kind in ANSWER_TYPES) else []


def names_the_bodies(bodies: list[str], evidence: str) -> bool:
    """Every word of each body's name is there, the field's everyday words too ("Disabled Children's Support Team"
    needs "children" and "disabled", which key terms leave out); an owner it was asked with ("Westvale's
    Sensory Team") and words that only name the field ("SEND") need not be."""
    written = _name_words(evidence) if bodies else set()
    return all(_name_words(_OWNER.sub("", body)) <= written for body in bodies)


_OWNER = re.compile(r"^[\w-]+(?:'s|’s)\s+")


def _name_words(text: str) -> set[str]:
    return {stem[:5] for stem in _content_stems(re.findall(r"[A-Za-z][A-Za-z’']+", text.lower()))}


def names_what_is_asked(question: str, evidence: str) -> bool:
    """ "Is there a mediation service?" is answered only where a plan names one: a passage on the same topic
    that never mentions mediation is not an answer. "What are the opening hours of X?" likewise needs hours."""
    return names_all(things_asked(question), evidence) and names_the_bodies(bodies_asked(question), evidence)


def lists_what_is_asked(question: str, span: Span) -> bool:
    """ "What are the eight recommendations?" needs a list of (at least) eight, not a sentence saying there are eight."""
    asked = counted_list(question)
    if asked is None:
        return True
    wanted = int(asked[0])
    items = len([line for line in span.text.splitlines() if line.strip()]) - (1 if span.chunk.lead_in else 0)
    enumerated = span.text.count(",") + span.text.count(";") >= wanted - 2  # "asthma, diabetes, epilepsy…"
    return (span.chunk.kind in ("list", "table_row") and items >= min(wanted, 2)) or enumerated


def is_covered(question: str, best: ScoredSpan, asked: str | None = None) -> bool:
    """Evidence must hold the years/numbers and the kind of answer asked for, and be close in meaning or words.

    `asked` is the question as typed when `question` is a follow-up searched with the one before it: "How do I
    phone her?" wants a number, whatever the previous question wanted."""
    asked = asked or question
    if best.semantic < SEMANTIC_SURE and best.coverage < COVERAGE_NEEDED:
        return False  # neither close in meaning nor in words (the last test below): the rest need not be read
    evidence = span_evidence(best.span)
    wanted_numbers = numbers_in(without_ages(asked))  # a follow-up's own figures, not the previous question's
    if wanted_numbers and not wanted_numbers <= numbers_in(evidence):
        return False
    if not names_the_series_number(asked, evidence):
        return False
    if not reaches_past(question, evidence) or not names_the_months(asked, evidence) or not names_the_day(asked, evidence):
        return False
    # The answer itself must be in the passage or its row ("3.1 The Strategy…" is a paragraph number, not a figure,
    # and the plan's years in a section heading do not say when one action will happen).
    unnumbered = NUMBERED_PARAGRAPH.sub("", with_columns(best.span))
    counted = counted_in(asked, best.span)
    if counted == "heading":  # the heading it sits under gives the count, and is quoted with it
        unnumbered = f"{unnumbered} {best.span.chunk.heading}"
    if lacks_answer_type(asked, unnumbered) or counted is None:
        return False
    if not lists_what_is_asked(asked, best.span):
        return False
    # a follow-up with no words of its own ("and how will they go about it?") is about the item asked about before
    labels = labels_pointed_at(asked) or (labels_pointed_at(question) if not key_terms(asked) else [])
    if labels and not carries_label(labels, best.span) and not _repeats_labelled_phrase(asked, best.span.text):
        return False  # "what is priority 3?" is not answered by priority 1, nor by a plan that lists two
    if best.semantic < SEMANTIC_FLOOR or not best.names_the_thing:
        return False
    if best.span.chunk.kind == "key_value" and asked == question:
        # A report header's "Telephone Number: …" is close in meaning to any question about a number: unless the
        # question follows up the header's own answer ("How do I phone her?"), its words must match too.
        return best.coverage >= COVERAGE_NEEDED
    # close in meaning is enough when the passage also holds one of the question's own words or the very thing
    # asked for (a phone number), or is very close
    shares_a_word = best.coverage > 0 or not key_terms(without_ages(question)) or holds_exact_answer(asked, unnumbered)
    # the question's years and figures are required above; on their own they say nothing of what a passage is about
    # ("the fee in 2027-28" is not answered by "a budget over 2027-28")
    terms = key_terms(without_ages(question))
    words = {term for term in terms if not term.isdigit()}
    said = span_evidence(best.span)
    shares_only_figures = (words != terms and bool(words)
                           and term_coverage(words, f"{said} {parents_words(said)}") == 0)
    return ((best.semantic >= SEMANTIC_SURE and shares_a_word) or best.semantic >= SEMANTIC_ALONE
            or (best.coverage >= COVERAGE_NEEDED and not shares_only_figures))
