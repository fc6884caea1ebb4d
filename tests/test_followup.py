"""Reading a follow-up: "what happens after that?" asks for the next passage; a question of its own does not."""

from __future__ import annotations

import pytest

from assistant.followup import asks_what_next


@pytest.mark.parametrize("question, next_passage", [
    ("What happens after that?", True),
    ("And after that?", True),
    ("Has that changed?", True),
    ("is that changing?", True),
    ("And after that, how often does progress get reported to scrutiny, and from when?", False),
    ("Who leads it?", False),
])
def test_what_next_is_asked_only_on_its_own(question, next_passage):
    assert asks_what_next(question) is next_passage
