"""The bottom layer every package may use: errors, settings, the offline switch and text helpers."""

from core import offline as _offline  # noqa: F401  (sets offline env before any library import)
