"""Placeholder web app: serves search hits until the chat UI lands."""

from __future__ import annotations

from assistant import offline as _offline  # noqa: F401


def serve(host: str = "127.0.0.1", port: int = 7860) -> None:
    raise NotImplementedError
