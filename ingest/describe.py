"""What a document is, read from the document itself: which council (or councils) wrote it, its title, the
years it covers, what kind of document it is and when it was published or discussed.

A plan names its council in its page title, its web address, its opening lines and its body ("Kent County
Council", "the London Borough of Barnet", derby.gov.uk). Each mention counts, more where a title or an
address names the author; the council with the most weight wins. Councils named together in the title
("Leicester, Leicestershire and Rutland SEND Strategy") wrote it jointly. When nothing names a council the
document is still indexed, and `notes` says what could not be told, so a person can set it by hand.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlparse

from core.councils import Council, english_councils
from core.text import MONTHS
from ingest.records import DocumentInfo, SourceText

UNKNOWN_COUNCIL = "Unknown council"
KIND_CHARS = 400              # a document says what it is near its start
OPENING_CHARS = 1500          # the first page or screen, where a plan says who wrote it
TITLE_WEIGHT, ADDRESS_WEIGHT, OPENING_WEIGHT, BODY_WEIGHT, STYLED_BONUS = 6, 4, 2, 1, 2
SITE_WORDS = {"", "localoffer", "council", "cc", "send", "fis", "fid", "families", "family", "services"}
JOINT_SHARE = 0.5             # a second council named in full on the title page, this nearly as often, co-wrote it
MIN_WEIGHT = 3                # below this, one passing mention in the body: not enough to say who wrote it
_MONTHS = "|".join(MONTHS)
_DATE = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\s+20\d{{2}}|(?:{_MONTHS})\s+20\d{{2}}"
_DATED = re.compile(rf"\b(?:date of (?:the )?meeting|meeting date|date of publication[^:\n]{{0,40}}|published|"
                    rf"publication date|last updated|updated|approved|date)\s*(?::|on)?\s*(?P<date>{_DATE})",
                    re.IGNORECASE)
_PERIOD = re.compile(r"\b(?P<first>20\d{2})\s*(?:-|–|—|/|to)\s*(?P<last>20\d{2}|\d{2})\b")
_LABELLED_TITLE = re.compile(r"^\s*(?:subject|title|report title|name of report)\s*:\s*(?P<title>\S.{3,150}?)\s*$",
                             re.IGNORECASE | re.MULTILINE)
_HEADER_LINE = re.compile(r"^[^:\n]{2,40}:\s")  # "Report to: Cabinet", "Date of Meeting: …": not a title
_PARTNER = re.compile(r"\b(?:NHS\s+)?(?:[A-Z][\w&'’-]*,?\s+(?:and\s+)?){1,6}(?:Integrated Care Board|Clinical "
                      r"Commissioning Group|Integrated Care System|Integrated Care Partnership)\b")
_STYLED_NAME = re.compile(r"\b(?:(?:London|Royal) Borough of (?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})|"
                          r"(?P<name>(?!The |This |Our )[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}?) (?:County |Borough |City |District |"
                          r"Metropolitan Borough )?Council)\b")
_AFTER_ROLE = re.compile(r"^.*(?:,\s+|\b(?:Council|Executive|Officer|Director)\s+(?:and\s+)?)")
# Kinds of document, most specific first; each a pattern looked for in the title, then the opening.
KINDS = (
    ("written statement of action", r"written statement of action|\bWSoA\b"),
    ("minutes", r"\bminutes\b"),
    ("committee report", r"\breport to\b|\bcabinet\b|\bdate of meeting\b|\bcommittee\b"),
    ("action plan", r"\b(?:accelerated progress|improvement|action|delivery|progress) plan\b"),
    ("strategy", r"\bstrateg(?:y|ies)\b"),
    ("joint commissioning plan", r"\bcommissioning (?:plan|arrangements|for)\b|\bjoint commissioning\b"),
    ("charter", r"\bcharter\b"),
    ("statement", r"\bstatement\b"),
    ("consultation", r"\bconsultation\b"),
    ("plan", r"\bplan\b"),
)


@dataclass(frozen=True)
class _Spelling:
    council: Council
    styled: bool  # "Kent County Council", not just "Kent"


def describe(source: SourceText) -> DocumentInfo:
    """Everything the text says about itself; unknown parts are listed in `notes`."""
    title = _title(source)
    weights = _council_weights(source, title, _spellings()[:2])
    names = _spellings()[:2]
    if not weights or weights.most_common(1)[0][1] < MIN_WEIGHT:
        names = _unlisted_councils(f"{source.meta_title}\n{source.text[:OPENING_CHARS * 2]}") or names
        weights = _council_weights(source, title, names)
    councils = _authors(weights, title, source.text[:KIND_CHARS], names)
    period = _period(title) or _period(source.text[:OPENING_CHARS])
    dated = _DATED.search(source.text[:OPENING_CHARS * 2])
    notes = () if councils else ("no council is named in the text; set one with --council",)
    names = tuple(council.name for council in councils)
    aliases = tuple(spelling for council in councils for spelling in council.spellings if spelling not in names)
    return DocumentInfo(
        name=source.name, council=joined(names) if names else UNKNOWN_COUNCIL, title=title, period=period,
        aliases=aliases, councils=names, kind=_kind(title, source.text[:OPENING_CHARS]),
        published=dated.group("date") if dated else "", partners=_partners(source.text[:OPENING_CHARS * 2]),
        notes=notes)


def joined(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- councils ----------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _spellings() -> tuple[re.Pattern[str], dict[str, _Spelling], dict[str, Council]]:
    """One pattern for every written name (longest first, so "North East Lincolnshire" is not "Lincolnshire"),
    and the web-address stems ("towerhamlets") matched only inside addresses."""
    written: dict[str, _Spelling] = {}
    stems: dict[str, Council] = {}
    for council in english_councils():
        stems.update(dict.fromkeys(council.address_stems, council))
        for spelling in council.written_names:
            written.setdefault(spelling.casefold(), _Spelling(council, spelling == council.official))
        stems.setdefault(re.sub(r"[^a-z]", "", council.name.lower()), council)
    alternatives = "|".join(re.escape(name) for name in sorted(written, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE), written, stems


Names = tuple[re.Pattern[str], dict[str, _Spelling]]


def _mentions(text: str, names: Names | None = None) -> list[_Spelling]:
    """Councils named in `text`. A bare name must be written as a name (capitalised), so "bath" is not Bath."""
    pattern, written = names or _spellings()[:2]
    found = []
    for match in pattern.finditer(text):
        spelling = written.get(match.group(0)) or written.get(match.group(0).casefold())
        if spelling is not None and (match.group(0)[0].isupper() or match.group(0)[0].isdigit()):
            found.append(spelling)
    return found


def _council_weights(source: SourceText, title: str, names: Names) -> Counter[Council]:
    weights: Counter[Council] = Counter()
    for spelling in _mentions(source.meta_title or title, names):
        weights[spelling.council] += TITLE_WEIGHT
    for council in _address_councils(source):
        weights[council] += ADDRESS_WEIGHT
    for position, text in ((OPENING_WEIGHT, source.text[:OPENING_CHARS]), (BODY_WEIGHT, source.text[OPENING_CHARS:])):
        for spelling in _mentions(text, names):
            weights[spelling.council] += position + (STYLED_BONUS if spelling.styled else 0)
    return weights


def _address_councils(source: SourceText) -> set[Council]:
    """Councils whose domain stem is part of a web address the document came from or gives ("derby.gov.uk")."""
    _, _, stems = _spellings()
    hosts = {urlparse(address if "//" in address else f"//{address}").hostname or "" for address in source.addresses}
    hosts |= set(re.findall(r"\b((?:[a-z0-9-]+\.)+gov\.uk)\b", source.text.lower()))
    found = set()
    for host in hosts:
        labels = host.removesuffix(".gov.uk").removesuffix(".org.uk").removesuffix(".co.uk").split(".")
        matches = [(stem, council) for stem, council in stems.items() for label in labels
                   if _names_site(label, stem)]
        if matches:
            found.add(max(matches, key=lambda pair: len(pair[0]))[1])  # "northlincs" is not "lincs"
    return found


def _names_site(label: str, stem: str) -> bool:
    """The address part is the council's stem, alone or with a word every council site uses
    ("localoffertowerhamlets", "suffolklocaloffer"): "canterbury" is not Bury."""
    label = label.replace("-", "")
    stem = stem.replace("-", "")
    for rest in (label.removeprefix(stem), label.removesuffix(stem)):
        if rest != label and rest in SITE_WORDS:
            return True
    return label == stem


def _authors(weights: Counter[Council], title: str, opening: str, names: Names) -> tuple[Council, ...]:
    """The council with the most weight. Councils named together in the title, or each named in full on the
    title page with nearly as much weight, wrote it together."""
    if not weights or weights.most_common(1)[0][1] < MIN_WEIGHT:
        return ()
    in_title = list(dict.fromkeys(spelling.council for spelling in _mentions(title, names)))
    if len(in_title) > 1:
        return tuple(in_title)
    top = weights.most_common(1)[0][1]
    on_title_page = dict.fromkeys(spelling.council for spelling in _mentions(opening, names) if spelling.styled)
    joint = [council for council in on_title_page if weights[council] >= JOINT_SHARE * top]
    return tuple(joint) if len(joint) > 1 else (weights.most_common(1)[0][0],)


def _unlisted_councils(text: str) -> tuple[re.Pattern[str], dict[str, _Spelling]] | None:
    """Councils the list does not know, by how they style themselves ("Wrenford Borough Council")."""
    names = {}
    for match in _STYLED_NAME.finditer(text):
        name = match.group("name") or match.group("place")
        official = " ".join(match.group(0).split())
        council = names.get(name, _Spelling(Council(name, official, "unlisted"), True)).council
        names[name] = _Spelling(council, True)
        names[official] = _Spelling(council, True)
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), names


def _partners(text: str) -> tuple[str, ...]:
    """NHS bodies named beside the council ("Lancashire and South Cumbria NHS Integrated Care Board")."""
    found = (_AFTER_ROLE.split(" ".join(match.group(0).split()))[-1] for match in _PARTNER.finditer(text))
    return tuple(dict.fromkeys(found))[:3]


# --- title, period, kind -------------------------------------------------------------------------------------

def _title(source: SourceText) -> str:
    """The page title without its site name, a "Subject:" line, the first heading, or the first short line."""
    if source.meta_title:
        parts = [part.strip() for part in re.split(r"\s+[-|–]\s+", source.meta_title) if part.strip()]
        kept = [part for part in parts if not (re.search(r"\bcouncil\b", part, re.IGNORECASE) or
                                               _is_council_name(part))]
        if kept:
            return " - ".join(kept)[:150]
    labelled = _LABELLED_TITLE.search(source.text[:OPENING_CHARS * 2])
    if labelled:
        return labelled.group("title")
    if source.headings:
        first = source.headings[0]
        return " ".join(source.text[first.start:first.end].split())[:150]
    for line in source.text[:OPENING_CHARS * 2].splitlines():
        if "\t" in line.strip():
            continue  # a table's header row
        line = " ".join(line.split())
        if line and not _HEADER_LINE.match(line) and len(line.split()) <= 20:
            return line[:150]
    return source.name.rsplit(".", 1)[0].replace("-", " ").replace("_", " ")


def _is_council_name(text: str) -> bool:
    pattern, _, _ = _spellings()
    match = pattern.fullmatch(text.strip())
    return match is not None


def _period(text: str) -> str:
    for match in _PERIOD.finditer(text):
        first, last = int(match.group("first")), match.group("last")
        last_year = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
        if 0 < last_year - first <= 10:
            return f"{first}-{last_year}"
    return ""


def _kind(title: str, opening: str) -> str:
    """The most specific kind the title or the first lines name ("Minutes:" under a strategy's name)."""
    text = f"{title}\n{opening[:KIND_CHARS]}"
    return next((kind for kind, pattern in KINDS if re.search(pattern, text, re.IGNORECASE)), "document")
