"""The fixed evaluation set (`evals/questions.jsonl`) as typed items, and where its gold quotes sit.

Every field of every line is checked when the set is loaded (a known category, facts as lists of non-empty
wordings, facts and gold passages for answerable items only), so a mistyped label fails with its file and line
instead of scoring answers against nothing.

Each gold quote is located in its document once; a retrieved or cited passage "hits" the gold when it
overlaps that location, or when it is the same text in another file (an action plan may be
published twice, with and without TAB delimiters).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from assistant.contract import ChatMessage, error_summary
from core.errors import ConfigError
from core.text import squash

QUESTIONS = Path(__file__).with_name("questions.jsonl")
Category = Literal["table_lookup", "number", "narrative", "acronym", "cross_council", "ambiguous", "follow_up",
                   "unanswerable"]
CATEGORIES: tuple[str, ...] = get_args(Category)


def _not_blank(text: str) -> str:
    if not text.strip():
        raise PydanticCustomError("blank", "String should not be blank")
    return text


Text = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]
# Kept as plain {"role", "content"} dicts: the runner hands them to `Assistant.ask` as they are.
Message = Annotated[ChatMessage, AfterValidator(lambda message: message.model_dump())]


class GoldEvidence(BaseModel):
    """Where the answer is: a quote that occurs exactly in the named plan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    document: Text = Field(description="The plan's file name in corpus/.")
    quote: Text = Field(description="A passage of that file, copied exactly, that holds the answer.")


class EvalItem(BaseModel):
    """One labelled question: what to ask, and what a right answer (or a refusal) must contain."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Text = Field(description="Unique within its set, e.g. lan-001.")
    category: Category = Field(description="The kind of question, for per-category figures.")
    council: str | None = Field(description="The council the question is about; null when none or several.")
    question: Text = Field(description="The question as a parent would type it.")
    answerable: StrictBool = Field(description="Whether the plans answer it; false means the right answer is a "
                                               "refusal.")
    reference_answer: str = Field(description="A model answer for people reading the report (not scored).")
    required_facts: tuple[Annotated[tuple[Text, ...], Field(min_length=1)], ...] = Field(
        description="Facts a right answer states: each a list of accepted wordings, any one of which counts. "
                    "At least one for an answerable item, none for an unanswerable one.")
    gold_evidence: tuple[GoldEvidence, ...] = Field(
        description="The passages that hold the answer. At least one for an answerable item, none otherwise.")
    history: tuple[Message, ...] = Field((), description="The conversation before the question, oldest first.")

    @field_validator("required_facts", "gold_evidence")
    @classmethod
    def _only_answerable_items_have_answers(cls, value: tuple, info: ValidationInfo) -> tuple:
        answerable = info.data.get("answerable")
        if answerable is True and not value:
            raise PydanticCustomError("answer_missing", "must not be empty for an answerable item")
        if answerable is False and value:
            raise PydanticCustomError("answer_unexpected", "must be empty for an unanswerable item")
        return value


def load_items(path: Path = QUESTIONS) -> list[EvalItem]:
    """The items of a JSONL question set; a bad line raises ConfigError naming `FILE:LINE: field: message`."""
    items = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                items.append(EvalItem.model_validate_json(line))
            except ValidationError as exc:
                raise ConfigError(f"{path}:{number}: {error_summary(exc, quote=False)}") from exc
    return items


def passage_hits_gold(document: str, start: int, end: int, text: str, gold: GoldEvidence, source: str | None) -> bool:
    if document == gold.document and source is not None:
        where = source.find(gold.quote)
        if where >= 0 and start < where + len(gold.quote) and where < end:
            return True
    passage, quote = squash(text), squash(gold.quote)
    return bool(passage) and (quote in passage or (len(passage) >= 20 and passage in quote))
