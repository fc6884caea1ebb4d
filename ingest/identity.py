"""What a document is called in the index, and where an uploaded file is kept.

A document is known by its content (the sha256 of its bytes) and a cleaned name, never by a path or name a
client sends: a name is taken only if it is one plain, printable file name of a sensible length, and an
upload is kept at `<data_dir>/uploads/<first 16 of its sha256>/<name>`, so two different files of the same
name never share a path and nothing can be written outside `uploads/`. When a different file arrives under
a name already indexed from somewhere else, it is indexed beside it under the name plus its hash
("plan~1a2b3c4d.txt"); it never replaces the other silently.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from core.errors import UnreadableFileError

MAX_NAME_BYTES = 200  # file systems stop at 255; room is left for "~<hash>" and the index's own ".txt"
HASH_MARK = "~"


def document_name(raw: str | bytes) -> str:
    """`raw` as a document name: the same words, spaces tidied; one line naming the problem if it cannot be one
    (a path, "..", a NUL or other control character, bytes that are not UTF-8, or too long a name)."""
    shown = _shown(raw)
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _bad(shown, "is not valid UTF-8 text") from None
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise _bad(shown, "is not valid UTF-8 text (it was saved in another encoding)") from None
    if "\x00" in raw or any(unicodedata.category(character) == "Cc" for character in raw):
        raise _bad(shown, "holds control characters")
    if "/" in raw or "\\" in raw or raw.strip() in ("", ".", ".."):
        raise _bad(shown, "is a path, not a file name")
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise _bad(shown, f"is too long ({len(name):,} characters, more than {MAX_NAME_BYTES} bytes)")
    return name


def beside(name: str, sha256: str) -> str:
    """The name a different file of the same name is indexed under: "plan.txt" → "plan~1a2b3c4d.txt"."""
    path = Path(name)
    return f"{path.stem}{HASH_MARK}{sha256[:8]}{path.suffix}"


def upload_path(uploads: Path, client_name: str | bytes, data: bytes) -> Path:
    """Where an upload called `client_name` with bytes `data` is kept: a folder named by its content inside
    `uploads`, so it never overwrites another upload; `document_name` lets through no separator and no "..", so
    the path cannot leave `uploads`."""
    return uploads / hashlib.sha256(data).hexdigest()[:16] / document_name(client_name)


def _shown(raw: str | bytes) -> str:
    """The name as it can safely be printed on one line: undecodable bytes and control characters escaped."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "backslashreplace")
    else:
        raw = raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    printable = "".join(c if unicodedata.category(c) != "Cc" else repr(c)[1:-1] for c in raw)
    return printable if len(printable) <= 60 else printable[:57] + "…"


def _bad(shown: str, problem: str) -> UnreadableFileError:
    return UnreadableFileError(f"{shown}: the file name {problem}; rename it to a plain file name (letters, digits, "
                               "spaces, dashes) and add it again.")
