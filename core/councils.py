"""England's councils with SEND duties, and every name people and plans give them.

Ingest uses the list to recognise which council wrote a document; the assistant uses it to recognise which
council a question is about, indexed or not. The data is `core/data/english_councils.tsv`: a short everyday
name, the formal name, the kind of authority and other names ("Bucks", "BCP", web domain stems).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

COUNCILS_FILE = Path(__file__).with_name("data") / "english_councils.tsv"
# How councils style themselves around their name: "Kent County Council", "London Borough of Barnet".
_STYLES = re.compile(r"^(?:the )?(?:london borough of|royal borough of|city of|borough of|county of)\s+|"
                     r"\s+(?:metropolitan borough|metropolitan district|borough|county|city|district)?\s*council$",
                     re.IGNORECASE)


@dataclass(frozen=True)
class Council:
    name: str
    official: str
    kind: str
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every way of writing this council, the everyday name first."""
        names = [self.name, self.official, _STYLES.sub("", self.official), *self.aliases]
        return tuple(dict.fromkeys(name for name in names if name))

    @property
    def written_names(self) -> tuple[str, ...]:
        """The spellings people write in text; the others are web-address stems ("towerhamlets")."""
        return tuple(spelling for spelling in self.spellings if not is_address_stem(spelling))

    @property
    def address_stems(self) -> tuple[str, ...]:
        return tuple(spelling for spelling in self.spellings if is_address_stem(spelling))


def is_address_stem(spelling: str) -> bool:
    """The list writes a web-address stem as one lower-case word; every written name has a capital or a space."""
    return spelling.islower() and " " not in spelling


@lru_cache(maxsize=1)
def english_councils() -> tuple[Council, ...]:
    councils = []
    for line in COUNCILS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, official, kind, *rest = (cell.strip() for cell in line.split("\t"))
        aliases = tuple(alias.strip() for alias in (rest[0] if rest else "").split(";") if alias.strip())
        councils.append(Council(name, official, kind, aliases))
    return tuple(councils)


def council_named(name: str) -> Council | None:
    """The council any of whose spellings is `name` (case-insensitive)."""
    wanted = name.strip().casefold()
    return next((council for council in english_councils()
                 if wanted in (spelling.casefold() for spelling in council.spellings)), None)
