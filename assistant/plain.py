"""The plain sentence that opens an answer: for each council, just what the question asked for.

A parent asking "who leads it?" wants the lead, not a whole table row. The answer for a council is the table
column that holds what this kind of question asks for (a lead, a date, a status, a frequency), or the one phrase
of a quoted sentence that does ("led by the Head of Inclusion", "by March 2026"). Only the evidence's own words
are used, and the proof is quoted under it. When a passage holds none, or two different candidates, no sentence
is written from it: a guess here would be a confident wrong answer, and the quoted proof still answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answerkinds import ASKS_HOW_OFTEN, ASKS_STATUS, ASKS_WHEN, ASKS_WHO, MONTH, without_law_years
from assistant.compose import MARK_FIELD, Claim, Lead
from assistant.glossary import FIELDS_OWN, Glossary
from assistant.prompts import template
from core.text import squash

_YEAR = r"(?:19|20)\d{2}(?:\s?[/–-]\s?(?:19|20)?\d{2})?"
_SEASON = r"(?:spring|summer|autumn|winter|the end of|end of|early|late|mid-?)"
_DATE = (rf"(?:(?:{_SEASON})\s+)?(?:(?:(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?{MONTH}\s+{_YEAR}|{_YEAR}"
         rf"|(?:Q[1-4]|quarter [1-4]|term [1-3])\s+(?:of\s+)?{_YEAR})")
_DATE_PHRASE = re.compile(rf"\b(?:(?:by|in|from|until|before|after|during|since|starting|between|at|for)\s+)?{_DATE}"
                          rf"(?:\s*(?:to|until|–|-|and)\s*{_DATE})?", re.IGNORECASE)
_FREQUENCY_PHRASE = re.compile(
    r"\b(?:(?:on an?|at least|once|twice|\w+ times)\s+)?(?:(?:bi-|six-?|half-)?(?:annual|yearly|quarterly|monthly|weekly|"
    r"termly|fortnightly|daily)(?:ly)?(?:\s+basis)?|every\s+(?:\w+\s+)?(?:weeks?|months?|years?|terms?|quarters?)"
    r"|(?:a|per|each)\s+(?:year|month|week|term|quarter))\b", re.IGNORECASE)
_DOERS = ("led", "chaired", "run", "managed", "delivered", "overseen", "owned", "coordinated", "commissioned", "hosted",
          "provided", "funded")
_LEAD_PHRASE = re.compile(rf"\b(?:co-)?(?:{'|'.join(_DOERS)}|co-ordinated) by\s+[^.;:,()\n]{{3,160}}", re.IGNORECASE)


@dataclass(frozen=True)
class Wanted:
    """One kind of thing a question asks for, and where a passage holds it."""

    asked: re.Pattern[str]             # a question of this kind
    column: re.Pattern[str]            # a table column that holds it
    value: re.Pattern[str] | None      # what that column's value must contain
    phrase: re.Pattern[str] | None     # the phrase of a sentence that holds it


def _i(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


WANTED = (
    Wanted(ASKS_WHO, _i(r"\b(?:leads?|led|owners?|responsib\w*|accountab\w*|who|by whom)\b"), None, _LEAD_PHRASE),
    Wanted(ASKS_WHEN, _i(r"\b(?:dates?|when|timescales?|time ?frames?|timelines?|deadlines?|due|target|completion|"
                         r"milestones?|by|period|years?)\b"), _DATE_PHRASE, _DATE_PHRASE),
    Wanted(ASKS_STATUS, _i(r"\b(?:status|progress|rag|update|position)\b"), None, None),
    Wanted(ASKS_HOW_OFTEN, _i(r"\b(?:frequency|how often)\b"), None, _FREQUENCY_PHRASE),
)


def opening_lines(question: str, claims: list[Claim], glossary: Glossary,
                  define: Callable[[str, str], Claim | None]) -> list[Lead]:
    """One plain sentence per council that holds what the question asks for; the others are named as related.

    `define(acronym, document)` gives the claim for the plan's own definition of an acronym, so that an acronym in
    the sentence is expanded ("LA (local authority)") with the definition cited beside the evidence."""
    wanted = [kind for kind in WANTED if kind.asked.search(question)]
    if not wanted:
        return []
    answered: dict[str, Lead] = {}
    related: dict[str, Claim] = {}
    for claim in claims:
        council = claim.chunk.council
        if council in answered:
            continue
        found = [part for kind in wanted if (part := _what_it_holds(kind, claim, question))]
        if len(found) == len(wanted):
            text, definitions = _expanded("; ".join(found), claim, glossary, define)
            answered[council] = Lead(template("answer_lead.txt").fill(council=council, text=text, markers="{markers}"),
                                     (claim, *definitions))
        else:
            related.setdefault(council, claim)
    if not answered:
        return []
    also = [Lead(template("answer_related.txt").fill(council=council, markers="{markers}"), (claim,))
            for council, claim in related.items() if council not in answered]
    return [*answered.values(), *also]


def _what_it_holds(kind: Wanted, claim: Claim, question: str) -> str:
    """The one column value or phrase of this passage that answers this kind of question; "" when none or two."""
    fields = {name: value for name, value in claim.chunk.fields.items() if value and name != MARK_FIELD}
    if claim.chunk.kind == "table_cell":  # one cell: its column's name, and the period its table gives it
        column = fields.pop("column", "")
        if kind.column.search(column):
            return claim.quote.rstrip(".")
    quoted = squash(claim.quote)  # a field the quote lacks (a table's period heading) is not its words to cite
    values = [f"{value} ({name})" for name, value in fields.items() if kind.column.search(name)
              and (kind.value is None or kind.value.search(value)) and squash(value) in quoted]
    if len(values) == 1:
        return values[0]
    if kind.phrase is None:
        return ""
    phrases = list(dict.fromkeys(match.group(0).strip() for match in kind.phrase.finditer(without_law_years(claim.quote))))
    if kind.phrase is _LEAD_PHRASE:  # "who chairs it?" is answered by "chaired by…", not by "led by…"
        phrases = [phrase for phrase in phrases if _same_doing(question, phrase)]
    return phrases[0] if len(phrases) == 1 else ""


def _same_doing(question: str, phrase: str) -> bool:
    """Whether the phrase names the doing the question asks about, when the question names one."""
    asked = [doer for doer in _DOERS if re.search(rf"\b{doer[:4]}", question, re.IGNORECASE)]
    return not asked or any(re.search(rf"\b(?:co-)?{doer[:4]}", phrase, re.IGNORECASE) for doer in asked)


def _expanded(text: str, claim: Claim, glossary: Glossary,
              define: Callable[[str, str], Claim | None]) -> tuple[str, list[Claim]]:
    """Each acronym the plans define, spelled out after its first use, from the same document's definition."""
    definitions = []
    for acronym in glossary.acronyms_in(text):
        if acronym in FIELDS_OWN:
            continue
        definition = define(acronym, claim.chunk.document)
        if definition is None or definition.quote.lower() in text.lower():
            continue
        expansion = glossary_expansion(definition)
        text = re.sub(rf"\b{re.escape(acronym)}\b", f"{acronym} ({expansion})", text, count=1)
        definitions.append(definition)
    return text, definitions


def glossary_expansion(definition: Claim) -> str:
    """ "local authority" from the definition's quote "local authority (LA)"."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", definition.quote).strip()
