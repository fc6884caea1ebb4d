"""Prompt and answer templates, loaded from `prompts/*.txt` with a check for unfilled placeholders.

Keeping every phrase the assistant says in files lets reviewers read and change the wording without
touching code; a template filled with a missing value fails loudly instead of printing "{lead}".
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache

from core.errors import ConfigError
from core.settings import PROJECT_ROOT

PROMPTS_DIR = PROJECT_ROOT / "prompts"


@dataclass(frozen=True)
class Template:
    name: str
    text: str

    @property
    def placeholders(self) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(self.text) if field}

    def fill(self, **values: object) -> str:
        missing = self.placeholders - set(values)
        if missing:
            raise ConfigError(f"prompts/{self.name}: no value for {', '.join(sorted(missing))}.")
        return self.text.format(**values)


@lru_cache(maxsize=None)
def template(name: str) -> Template:
    path = PROMPTS_DIR / name
    try:
        return Template(name, path.read_text(encoding="utf-8").rstrip("\n"))
    except OSError as exc:
        raise ConfigError(f"Missing template {path}; restore it from the repository.") from exc
