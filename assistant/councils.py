"""Which indexed councils a question names ("NE Lincs", "Lancashire's", "Sefton").

Names come from the index (each document's council plus the aliases in its manifest entry), longest
first, so "North East Lincolnshire" is not also counted as "Lincolnshire".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping


class CouncilMatcher:
    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:
        spellings = sorted(((alias, council) for council, aliases in names.items() for alias in {council, *aliases}),
                           key=lambda pair: -len(pair[0]))
        self._council_of = {alias.casefold(): council for alias, council in spellings}
        alternatives = "|".join(re.escape(alias) for alias, _ in spellings) or r"(?!x)x"
        self._pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)

    def mentioned(self, text: str) -> list[str]:
        """Councils in order of first mention, each once."""
        found: list[str] = []
        for match in self._pattern.finditer(text):
            council = self._council_of[match.group(0).casefold()]
            if council not in found:
                found.append(council)
        return found
