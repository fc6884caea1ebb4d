"""Which councils a question names ("NE Lincs", "BCP", "Bucks", "Northshire's"), indexed or not.

Names come from the index (each document's councils and their other names) and from the list of England's
councils (`core.councils`), matched longest first: "North Northshire" is not also counted as
"Northshire", and "West Northshire", a different council, is not counted as "Northshire" at all. A
council whose name is also an everyday word ("Reading", "Bury") counts only when it is written as a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from core.councils import council_named, english_councils

# Council names that are also ordinary English words: "support with reading" is not about Reading.
EVERYDAY_WORDS = frozenset({"reading", "bury", "bath", "hull", "slough", "derby"})
# Words inside council names that also carry meaning in a question ("forest school", "city", "central").
_SHARED_WORDS = frozenset({"forest", "central", "city", "tower", "royal", "county", "borough", "and", "of",
                           "the", "upon", "on", "under", "isle", "isles", "council", "metropolitan"})


@lru_cache(maxsize=1)
def national_spellings() -> tuple[str, ...]:
    """Every written name of every English council (web-address stems left out)."""
    return tuple(spelling for council in english_councils() for spelling in council.written_names)


@lru_cache(maxsize=1)
def council_words() -> frozenset[str]:
    """Words that only name a place: in a question they say which council, never what is asked about."""
    words = {word for spelling in national_spellings() for word in re.findall(r"[a-z]+", spelling.lower())}
    return frozenset(words - EVERYDAY_WORDS - _SHARED_WORDS)


class CouncilMatcher:
    def __init__(self, names: Mapping[str, Iterable[str]], others: Iterable[str] = ()) -> None:
        indexed = {alias: council for council, aliases in names.items() for alias in {council, *aliases}}
        known = {alias.casefold() for alias in indexed}
        spellings = [*indexed.items(), *((other, None) for other in others if other.casefold() not in known)]
        spellings.sort(key=lambda pair: -len(pair[0]))
        self._council_of = {alias.casefold(): council for alias, council in spellings}
        alternatives = "|".join(re.escape(alias) for alias, _ in spellings) or r"(?!x)x"
        # a possessive is often typed without its apostrophe ("eastmoors plan", "NYCs offer")
        self._pattern = re.compile(rf"(?<![\w-])(?P<name>{alternatives})s?(?![\w-])", re.IGNORECASE)

    def _matches(self, text: str) -> Iterable[re.Match[str]]:
        return (match for match in self._pattern.finditer(text)
                if not (match.group("name").casefold() in EVERYDAY_WORDS
                        and (match.group(0)[0].islower() or match.group(0) != match.group("name"))))

    def mentioned(self, text: str) -> list[str]:
        """Indexed councils in order of first mention, each once."""
        found: list[str] = []
        for match in self._matches(text):
            council = self._council_of[match.group("name").casefold()]
            if council is not None and council not in found:
                found.append(council)
        return found

    def without_names(self, text: str) -> str:
        """`text` with the indexed councils it names taken out ("in Mid Northshire's plan" → "in plan")."""
        kept, position = [], 0
        for match in self._matches(text):
            if self._council_of[match.group("name").casefold()] is not None:
                kept.append(text[position:match.start()])
                position = match.end() + len(re.match(r"['’]s\b|", text[match.end():]).group(0))
        return " ".join("".join([*kept, text[position:]]).split()) or text

    def unindexed(self, text: str) -> str | None:
        """The council a question asks about, as it spells it, when its plans are not indexed: the first council
        named ("Does Eastshire do short breaks like Northshire does?" asks about Eastshire, and Northshire's plan
        cannot answer for it), also when England's list does not know it and it is named in full ("Does Brackenfold
        District Council run a pass like Northshire's?")."""
        first = next(iter(self._matches(text)), None)
        # a council England's list does not know, named in full ("Brackenfold District Council")
        named = _NAMED_COUNCIL.search(text)
        if named is not None and named.group("name").strip().casefold() in self._council_of:
            named = None
        if first is not None and (named is None or first.start() < named.start()):
            return first.group("name") if self._council_of[first.group("name").casefold()] is None else None
        return named.group(0) if named is not None else None


# Capitalised words that open a sentence or phrase and are no part of a name ("Does", "The", "Which")
NOT_A_NAME = (r"(?:Does|Do|Did|Is|Are|Was|Were|Has|Have|Can|Will|Would|Should|Could|What|Which|When|Where|Who|Why|How|"
              r"The|This|That|Our|Your|My|Their|Its|A|An|In|At|For|From|By|On|To|And|Or|With|About|If)\b")
# "<Name> District Council", "<Name> County Council": a council by its full name (a "Youth Council" is none)
_NAMED_COUNCIL = re.compile(rf"\b(?P<name>(?:(?!{NOT_A_NAME})[A-Z][\w’'-]+ (?:(?:and|upon|on) )?){{1,4}}?)"
                            r"(?:District|Borough|County|City|Metropolitan Borough) Council\b")


def index_council_matcher(names: Mapping[str, Iterable[str]]) -> CouncilMatcher:
    """The matcher for an index's councils (`HybridIndex.council_names`, each with every name England's list
    gives it) beside every other English council."""
    with_national = {}
    for council, aliases in names.items():
        national = council_named(council)
        with_national[council] = {*aliases, *(national.written_names if national else ())}
    return CouncilMatcher(with_national, national_spellings())
