"""Errors a user can act on.

    SendAssistantError            base: one clear line, always says what to do
    ├── ConfigError               a setting is missing or out of bounds
    ├── IngestError               one file could not be read (the rest of the batch goes on)
    │   ├── UnsupportedFileError  the file type is not one we read
    │   ├── UnreadableFileError   empty, binary, corrupt or password-protected
    │   └── IngestCancelled       someone pressed cancel; nothing was written
    ├── IndexNotBuiltError        search/ask before any ingest
    ├── IndexStoreError           Chroma or the keyword index failed underneath us
    │   └── IngestRunningError    another ingest holds the data folder's lock
    └── BadQuestionError          empty, binary or oversized input

Library exceptions (chromadb, pdfplumber, docx, bm25s) are wrapped where they are raised, so the CLI
and the UI only ever catch `SendAssistantError`.
"""

from __future__ import annotations


class SendAssistantError(Exception):
    """Base class: the message is shown to the user as it is."""


class ConfigError(SendAssistantError):
    pass


class IngestError(SendAssistantError):
    pass


class UnsupportedFileError(IngestError):
    pass


class UnreadableFileError(IngestError):
    pass


class IngestCancelled(IngestError):
    pass


class IndexNotBuiltError(SendAssistantError):
    pass


class IndexStoreError(SendAssistantError):
    pass


class IngestRunningError(IndexStoreError):
    pass


class BadQuestionError(SendAssistantError):
    pass
