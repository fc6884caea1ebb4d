"""Lines of a source text with their exact offsets, and the small tests the parser asks of them.

Everything downstream cites `source[start:end]`, so nothing here ever copies or normalises text:
a `Line` only remembers where it is, and trimming moves offsets instead of building new strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters the exports use as padding: ordinary whitespace plus no-break and zero-width spaces.
PADDING = " \t\r\n\u00a0\u200b\ufeff"

BULLET_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>[-•·*–▪◦]|\(\d+\)|\d+\))[ \t\u00a0]+")
NUMBERED_PARAGRAPH_RE = re.compile(r"^(?:- )?(?P<number>\d{1,2}\.\d{1,2})[ \t\u00a0]+\S")
NUMBERED_HEADING_RE = re.compile(r"^\d{1,2}\.?[ \t]+[A-Z][^.]{1,60}$")
MARKDOWN_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})[ \t]+\S")
SENTENCE_END = tuple(".!;,\"”’") + ("etc…",)
SENTENCE_OPENERS = {"this", "the", "it", "we", "our", "there", "these", "they"}
DANGLING_WORDS = {"to", "and", "or", "the", "of", "for", "with", "a", "an", "in", "by", "are", "is", "include"}


@dataclass(frozen=True)
class Line:
    """One line of the source: `start`/`end` exclude the newline."""

    number: int
    start: int
    end: int
    raw: str

    @property
    def stripped(self) -> str:
        return self.raw.strip(PADDING)

    @property
    def is_blank(self) -> bool:
        return not self.stripped

    @property
    def has_tab(self) -> bool:
        return "\t" in self.raw.rstrip(PADDING.replace("\t", "")) and bool(self.stripped)

    @property
    def starts_with_tab(self) -> bool:
        return self.raw.startswith("\t")

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip(" \t\u00a0"))

    def trimmed_span(self, offset: int = 0, stop: int | None = None) -> tuple[int, int]:
        """Offsets of raw[offset:stop] with padding removed at both ends, in source coordinates."""
        piece = self.raw[offset:stop]
        left = len(piece) - len(piece.lstrip(PADDING))
        right = len(piece.rstrip(PADDING))
        return self.start + offset + left, self.start + offset + max(right, left)


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    position = 0
    for number, raw in enumerate(text.split("\n")):
        body = raw[:-1] if raw.endswith("\r") else raw
        lines.append(Line(number, position, position + len(body), body))
        position += len(raw) + 1
    return lines


def bullet_match(line: Line) -> re.Match[str] | None:
    return BULLET_RE.match(line.raw)


def is_heading(line: Line, next_line: Line | None) -> bool:
    """Short title-like lines: no sentence punctuation, few words, not a lead-in to a list."""
    text = line.stripped
    if not text or line.has_tab or line.starts_with_tab or text.startswith(("<", "[", "Figure ")):
        return False
    if MARKDOWN_HEADING_RE.match(text) or NUMBERED_HEADING_RE.match(text):
        return True
    if bullet_match(line) or NUMBERED_PARAGRAPH_RE.match(text):
        return False
    words = text.replace("*", "").split()
    if not any(len(word) >= 3 and word[0].isalpha() for word in words):
        return False
    if words[-1].lower() in DANGLING_WORDS or text.endswith(SENTENCE_END):
        return False
    if text.endswith((":", "-", "–")):
        # "Summary:" is a heading; "Inclusive aims are:" introduces the list below it.
        return len(words) <= 5 and not (next_line is not None and bullet_match(next_line))
    if "%" in text or "£" in text or (words[0].lower() in SENTENCE_OPENERS and len(words) >= 7):
        return False
    if text.endswith("?"):
        return len(words) <= 12
    if " – " in text:  # "Joint Commissioning Plan – Our journey so far …": a titled subtitle
        return len(words) <= 16 and text[0].isupper()
    return len(words) <= 9 and (text[0].isupper() or text[0].isdigit() or text[0] in "*(")


def heading_level(text: str) -> int:
    markdown = MARKDOWN_HEADING_RE.match(text)
    if markdown:
        return len(markdown.group("hashes"))
    return 2 if text.startswith("(") else 1


def heading_title(text: str) -> str:
    return text.lstrip("#").strip(PADDING + "*").rstrip(":").strip()
