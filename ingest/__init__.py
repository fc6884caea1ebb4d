"""Files → structured records → chunks, with exact character offsets."""

from core import offline as _offline  # noqa: F401  (sets offline env before any library import)
