"""Acronyms the plans define themselves ("designated clinical officer (DCO)"), with where they do it.

A definition is a run of words directly before "(ABBR)" whose initials spell the acronym; only
definitions found in the indexed documents are used, so every expansion can be cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,9})\)")
_WORD = re.compile(r"[A-Za-z][\w’'-]*|&")
_SKIPPABLE = {"and", "of", "for", "the", "&", "in", "with", "to", "on", "a"}


@dataclass(frozen=True)
class Definition:
    acronym: str
    expansion: str
    document: str
    start: int  # the span "expansion (ACRONYM)" in the document's source text
    end: int


def find_definitions(document: str, text: str) -> list[Definition]:
    definitions = []
    for match in _ACRONYM.finditer(text):
        acronym = match.group(1)
        capitals = [ch for ch in singular(acronym) if ch.isupper()]
        if len(capitals) < 2:
            continue
        line_start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - 200)
        words = list(_WORD.finditer(text, line_start, match.start()))
        start = _expansion_start(words, [ch.lower() for ch in capitals])
        if start is not None:
            expansion = text[start:match.start()].rstrip(" \u00a0")
            definitions.append(Definition(singular(acronym), expansion, document, start, match.end()))
    return definitions


def singular(acronym: str) -> str:
    """ "CCGs" is the plural of CCG: defined once as "Clinical Commissioning Groups (CCGs)", asked as "a CCG"."""
    return acronym[:-1] if acronym.endswith("s") and acronym[:-1].isupper() and len(acronym) > 2 else acronym


def _expansion_start(words: list[re.Match[str]], initials: list[str]) -> int | None:
    """Walk back over the words before "(ABBR)", matching initials from the last letter to the first.

    A small word is usually skipped ("Special Educational Needs and Disabilities"), but may be an initial
    itself ("written statement of action (WSOA)"): both readings are tried."""

    def walk(position: int, wanted: int) -> int | None:
        if wanted < 0:
            return words[position + 1].start()
        if position < 0:
            return None
        word = words[position].group(0)
        lowered = word.lower()
        readings = []
        if len(lowered) > 1 and "".join(initials[:wanted + 1]).endswith(lowered) and word.isupper():
            readings.append(wanted - len(lowered))  # an acronym inside the expansion: "SEND information … (SENDIASS)"
        if lowered in _SKIPPABLE:
            readings.append(wanted)
        if lowered[0] == initials[wanted]:
            readings.append(wanted - 1)
        return next((start for left in readings if (start := walk(position - 1, left)) is not None), None)

    return walk(len(words) - 1, len(initials) - 1)


# How a question asks what an acronym means: "what is the DCO?", "what does ITB stand for?",
# "people keep mentioning the WSOA. What is it?"
_WHAT_IS = (r"^\s*(?:[\w’']+\s+){{0,8}}?(?:what|who)(?:'s|’s| is| are)\s+(?:an?\s+|the\s+)?(?-i:[A-Z]{{2,}}\s+)?"
            r"{acronym}\b(?!(?-i:\s+[A-Z]{{2,}}\b))")  # "what is the SEND JSNA?" asks about the JSNA
_WHAT_IS_THAT = re.compile(r"\b(?:who|what)(?:'s|’s| is| are) (?:that|this|it|they|those)\b"
                           r"|\bwhat (?:does|do) (?:that|this|it|they|those) (?:stand for|mean)\b", re.IGNORECASE)
_DEFINITION_ASKED = re.compile(r"\bstands? for\b|\bmean(?:s|ing)?\b", re.IGNORECASE)
FIELDS_OWN = {"SEND", "SEN"}  # the field's own name: what a question is about, rarely what it asks about
_ACRONYM_LIKE = re.compile(r"\b[A-Z][A-Za-z]{1,9}\b")


def acronyms_asked_about(question: str) -> list[str]:
    """The acronyms (two or more capitals) whose meaning a question asks for, first the likeliest; defined or not."""
    acronyms = [word for word in dict.fromkeys(_ACRONYM_LIKE.findall(question)) if sum(ch.isupper() for ch in word) >= 2]
    named = [acronym for acronym in acronyms
             if re.search(_WHAT_IS.format(acronym=re.escape(acronym)), question, re.IGNORECASE)
             or (_DEFINITION_ASKED.search(question)
                 and re.search(rf"\b{re.escape(acronym)}\b\W+(?:\w+\W+|(?:(?:and|or|&|[A-Z]{{2,}}s?)\W+){{1,6}})?"
                               r"(?:stands? for|mean)", question)
                 # "what does the SEND strategy mean by transitions?" asks about transitions, not SEND
                 and (acronym not in FIELDS_OWN or re.search(rf"\b{acronym}\W+(?:stands? for|mean)", question)))]
    if named or not _WHAT_IS_THAT.search(question):
        return named
    # "…the WSOA. What is it?": any of them, but "SEND" in "Northshire's SEND plan talks about a DSCO" names the plan
    return sorted((acronym for acronym in acronyms if len(acronym) > 2), key=lambda acronym: acronym in FIELDS_OWN)


class Glossary:
    def __init__(self, definitions: list[Definition]) -> None:
        self.by_acronym: dict[str, list[Definition]] = {}
        for definition in definitions:
            self.by_acronym.setdefault(definition.acronym.upper(), []).append(definition)
        # each acronym's expansions once, in lower case: every passage judged is searched for them
        self._expansions = {acronym: {d.expansion.lower() for d in definitions}
                            for acronym, definitions in self.by_acronym.items()}
        # a passage's other names are read once: the same passages are judged question after question
        self.also_called = lru_cache(maxsize=8192)(self._also_called)

    def lookup(self, acronym: str) -> list[Definition]:
        return self.by_acronym.get(singular(acronym).upper(), [])

    def acronyms_in(self, text: str) -> list[str]:
        return [word for word in dict.fromkeys(re.findall(r"\b[A-Z][A-Za-z]{1,9}\b", text))
                if word.upper() in self.by_acronym and sum(ch.isupper() for ch in word) >= 2]

    def _also_called(self, text: str) -> str:
        """The other names a passage's terms go by: expansions of its acronyms, acronyms of its expansions."""
        lowered = text.lower()
        expansions = [definitions[0].expansion for acronym in self.acronyms_in(text)
                      for definitions in [self.lookup(acronym)]]
        acronyms = [acronym for acronym, expansions in self._expansions.items()
                    if any(expansion in lowered for expansion in expansions)]
        return " ".join(expansions + acronyms)

    def spelled_nearly(self, text: str) -> list[Definition]:
        """Definitions whose expansion the text spells out all but one word of ("joint needs assessment": JSNA), so
        a question in the words people use finds a row that only uses the acronym. A name spelled in full is left
        to the search itself."""
        said = {word.lower()[:5] for word in _WORD.findall(text)}
        found = []
        for definitions in self.by_acronym.values():
            words = [w.lower()[:5] for w in _WORD.findall(definitions[0].expansion) if w.lower() not in _SKIPPABLE]
            present = sum(word in said for word in words)
            if present >= 3 and present == len(words) - 1:
                found.append(definitions[0])
        return found

    def entries(self) -> list[tuple[str, str]]:
        """(acronym, expansion) pairs for the UI's glossary, one expansion per acronym."""
        return sorted((acronym, defs[0].expansion) for acronym, defs in self.by_acronym.items())
