"""Acronyms the plans define themselves ("designated clinical officer (DCO)"), with where they do it.

A definition is a run of words directly before "(ABBR)" whose initials spell the acronym; only
definitions found in the indexed documents are used, so every expansion can be cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
        capitals = [ch for ch in acronym if ch.isupper()]
        if len(capitals) < 2:
            continue
        line_start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - 200)
        words = list(_WORD.finditer(text, line_start, match.start()))
        start = _expansion_start(words, [ch.lower() for ch in capitals])
        if start is not None:
            expansion = text[start:match.start()].rstrip(" \u00a0")
            definitions.append(Definition(acronym, expansion, document, start, match.end()))
    return definitions


def _expansion_start(words: list[re.Match[str]], initials: list[str]) -> int | None:
    """Walk back over the words before "(ABBR)", matching initials from the last letter to the first."""
    wanted = len(initials) - 1
    for word in reversed(words):
        lowered = word.group(0).lower()
        remaining = "".join(initials[:wanted + 1])
        if len(lowered) > 1 and remaining.endswith(lowered) and word.group(0).isupper():
            wanted -= len(lowered)  # an acronym inside the expansion: "SEND information … (SENDIASS)"
        elif lowered not in _SKIPPABLE and lowered[0] == initials[wanted]:
            wanted -= 1
        elif lowered in _SKIPPABLE:
            continue
        else:
            return None
        if wanted < 0:
            return word.start()
    return None


class Glossary:
    def __init__(self, definitions: list[Definition]) -> None:
        self.by_acronym: dict[str, list[Definition]] = {}
        for definition in definitions:
            self.by_acronym.setdefault(definition.acronym.upper(), []).append(definition)

    def lookup(self, acronym: str) -> list[Definition]:
        return self.by_acronym.get(acronym.upper(), [])

    def acronyms_in(self, text: str) -> list[str]:
        return [word for word in dict.fromkeys(re.findall(r"\b[A-Z][A-Za-z]{1,9}\b", text))
                if word.upper() in self.by_acronym and sum(ch.isupper() for ch in word) >= 2]

    def also_called(self, text: str) -> str:
        """The other names a passage's terms go by: expansions of its acronyms, acronyms of its expansions."""
        lowered = text.lower()
        expansions = [definitions[0].expansion for acronym in self.acronyms_in(text)
                      for definitions in [self.lookup(acronym)]]
        acronyms = [acronym for acronym, definitions in self.by_acronym.items()
                    if any(d.expansion.lower() in lowered for d in definitions)]
        return " ".join(expansions + acronyms)

    def entries(self) -> list[tuple[str, str]]:
        """(acronym, expansion) pairs for the UI's glossary, one expansion per acronym."""
        return sorted((acronym, defs[0].expansion) for acronym, defs in self.by_acronym.items())
