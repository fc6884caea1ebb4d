"""The fixed evaluation set, its metrics, runner and reports."""

from core import offline as _offline  # noqa: F401  (sets offline env before any library import)
