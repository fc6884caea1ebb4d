"""Embedder, Chroma store, keyword index and their fusion."""

from core import offline as _offline  # noqa: F401  (sets offline env before any library import)
