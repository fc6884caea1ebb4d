"""SEND Plans Assistant: grounded answers about SEND joint-commissioning plans."""

from core import offline as _offline  # noqa: F401  (sets offline env before any library import)
