"""What ingest says when a file goes past one of its limits (the `max_*` fields of `core.settings`).

Each message names the file, what was found, the limit and the setting that holds it, and what to do, so a
person who hits one can act on it; the file is refused whole, never cut short silently.
"""

from __future__ import annotations

from core.errors import UnreadableFileError


def over_limit(name: str, found: int, limit: int, what: str, setting: str) -> UnreadableFileError:
    """`found` `what` (pages, characters of text, passages) in `name`, more than `limit`."""
    return UnreadableFileError(
        f"{name}: the file has {found:,} {what}, more than the {limit:,} one file may have "
        f"(SEND_ASSISTANT_{setting}); split it into smaller files and add those.")


def too_much_text(name: str, found: int, limit: int) -> UnreadableFileError:
    return over_limit(name, found, limit, "characters of text", "MAX_FILE_CHARS")
