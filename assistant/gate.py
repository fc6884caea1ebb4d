"""Refusals decided from the question alone, before any search: another language, advice, one child.
Each check is deliberately narrow: a false refusal fails a parent too. A question about one child is
not refused here: the plans may describe the service it asks about (see `Assistant.ask`).
"""

from __future__ import annotations

import re

from core.text import split_sentences

_PERSONAL = re.compile(
    r"\b(will|would|can|could|should|does|is|am i|are we)\b.{0,40}\bmy (?:[\w-]+ ){0,2}(son|daughter|child|kid|boy|girl|"
    r"grandson|granddaughter|teenager|\d+[ -]?(?:year|yr)[ -]?old)\b.{0,60}\b(get|have|be|qualify|eligible|entitled|need|"
    r"allowed|accepted|receive)\b"
    r"|\bmy (son|daughter|child|kid|boy|girl)('s)?\b.{0,60}\b(get|qualify|be eligible|be entitled|be accepted)\b"
    r"|\b(will|would|can|could|should)\b.{0,60}\bmy (son|daughter|child|kid|boy|girl)\b",
    re.IGNORECASE)
_ONE_CHILD = re.compile(r"\b(?:my|he|she|him|her|his|i|me)\b", re.IGNORECASE)
# One child's own school or professional ("my son's school", "her SENCO", "the school my daughter goes to"): the
# plans describe services across a council, never one school's or one person's details.
_CHILD = (r"(?:(?:[\w-]+ ){0,2}(?:son|daughter|child|kid|boy|girl|lad|grandson|granddaughter|twins?|teenager|toddler"
          r"|\d+[ -]?(?:year|yr)[ -]?old))")  # "my autistic 15 year old"
_CHILDS = rf"(?:(?:my|our|his|her|their) {_CHILD}(?:'s|’s)|my|our|his|her)"
_PROVIDER = (r"(?:(?:primary |secondary |special |infant |junior )?school|nursery|pre-?school|college|academy|class(?:room)?"
             r"|(?:class |form )?teacher|head ?teacher|head(?! ?teacher)|senco|tutor|teaching assistant|key ?worker|social worker|gp"
             r"|doctor|paediatrician|consultant|therapist|(?:ehcp |send )?(?:case ?worker|case officer|co-?ordinator)|bus driver"
             r"|childminder)")
# "our SENCo forum", "my school's cluster meetings": the provider names a kind of group, not one provider
_NAMES_A_KIND = (r"(?!['’]?s?\s+(?:networks?|forums?|groups?|teams?|meetings?|clusters?|partnerships?|associations?"
                 r"|conferences?)\b)")
_ONES_OWN = re.compile(rf"\b{_CHILDS} {_PROVIDER}\b{_NAMES_A_KIND}"
                       rf"|\b(?:the )?{_PROVIDER} (?:my|our) (?:son|daughter|child|kid)\b", re.IGNORECASE)
# …and what such a question asks for: its details, not what the plans say about that kind of service
_DETAILS = re.compile(r"\b(?:phone|telephone|number|e-?mail|address|postcode|website|open|opens|close|closes|opening|"
                      r"closing|times?|hours|term dates|name|called|who is|who's|contact|budget|uniform|size)\b",
                      re.IGNORECASE)
# "Is the bus pass scheme still running, or should we give up hope?" asks the first question; the second is a sigh
_ADVICE = re.compile(r"(?<!\bor )\b(?:should|shall|must) (?:i|we)\b|\bdo you (?:think|recommend|advise)\b|\bwhat would you\b"
                     r"|\bis it (?:worth|best|better)\b", re.IGNORECASE)
_ENGLISH_WORDS = {"the", "a", "an", "is", "are", "what", "who", "when", "where", "how", "why", "which", "does", "do",
                  "for", "of", "in", "to", "and", "will", "can", "my", "there", "any", "has", "have", "about"}
_FOREIGN_WORDS = {"le", "la", "les", "est", "pour", "des", "du", "qui", "quel", "quelle", "el", "los", "las", "que",
                  "por", "para", "der", "die", "das", "und", "ist", "wie", "jest", "czy", "dla", "nie", "jak", "sa",
                  "kto", "ce", "este", "pentru", "ni", "kwa", "ya", "hai", "kya", "mere", "ka", "ki"}


def is_personal(question: str) -> bool:
    """About what will happen for one child. A parent often says who they are before asking something general
    ("Is it just my kid? What share of pupils in Northshire have SEN?"): then the last question decides."""
    if _PERSONAL.search(question) is None:
        return False
    sentences = split_sentences(question.strip(), any_case=True)
    asked = next((s for s in reversed(sentences) if s.rstrip().endswith("?")), sentences[-1])
    return len(sentences) == 1 or _ONE_CHILD.search(asked) is not None


def asks_about_ones_own(question: str) -> bool:
    """ "What's the phone number for my son's school?", "Who is her SENCO?": the details of one child's own school
    or professional, which no council-wide plan holds."""
    return _ONES_OWN.search(question) is not None and _DETAILS.search(question) is not None


def asks_for_advice(question: str) -> bool:
    """ "Should I move him to a special school?" asks for a judgement about one child, which no plan can give."""
    return _ADVICE.search(question) is not None


def is_other_language(question: str) -> bool:
    words = re.findall(r"[^\W\d_]+", question.lower())
    if len(words) < 3:
        return False
    letters = "".join(words)
    non_ascii = sum(1 for ch in letters if ord(ch) > 127) / max(1, len(letters))
    english = sum(1 for word in words if word in _ENGLISH_WORDS)
    foreign = sum(1 for word in words if word in _FOREIGN_WORDS)
    return non_ascii > 0.3 or (foreign >= 2 and foreign > english)
