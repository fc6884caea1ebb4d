"""Which councils a question names ("NE Lincs", "Lancashire's", "Sefton"), indexed or not.

Names come from the index (each document's council plus the aliases in its manifest entry) and from a list of
English councils, matched longest first: "North East Lincolnshire" is not also counted as "Lincolnshire", and
"North Lincolnshire", a different council, is not counted as "Lincolnshire" at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from core.settings import PROJECT_ROOT

ENGLISH_COUNCILS = PROJECT_ROOT / "assistant" / "data" / "english_councils.txt"


@lru_cache(maxsize=1)
def english_councils() -> tuple[str, ...]:
    lines = ENGLISH_COUNCILS.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


class CouncilMatcher:
    def __init__(self, names: Mapping[str, Iterable[str]], others: Iterable[str] = ()) -> None:
        indexed = {alias: council for council, aliases in names.items() for alias in {council, *aliases}}
        known = {alias.casefold() for alias in indexed}
        spellings = [*indexed.items(), *((other, None) for other in others if other.casefold() not in known)]
        spellings.sort(key=lambda pair: -len(pair[0]))
        self._council_of = {alias.casefold(): council for alias, council in spellings}
        alternatives = "|".join(re.escape(alias) for alias, _ in spellings) or r"(?!x)x"
        self._pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)

    def mentioned(self, text: str) -> list[str]:
        """Indexed councils in order of first mention, each once."""
        found: list[str] = []
        for match in self._pattern.finditer(text):
            council = self._council_of[match.group(0).casefold()]
            if council is not None and council not in found:
                found.append(council)
        return found

    def unindexed(self, text: str) -> str | None:
        """The first council named whose plans are not indexed, as the question spells it."""
        return next((match.group(0) for match in self._pattern.finditer(text)
                     if self._council_of[match.group(0).casefold()] is None), None)


def index_council_matcher(names: Mapping[str, Iterable[str]]) -> CouncilMatcher:
    """The matcher for an index's councils (`HybridIndex.council_names`) beside every other English council."""
    return CouncilMatcher(names, english_councils())
