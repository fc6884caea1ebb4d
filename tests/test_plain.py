"""The plain opening sentence: what a question asks for, from the evidence's own fields and words, or nothing."""

from __future__ import annotations

from assistant.compose import Claim, assemble, claim_for_definition, claim_for_span
from assistant.glossary import Glossary, find_definitions
from assistant.plain import opening_lines
from assistant.sentences import Span
from ingest.chunk import Chunk

NO_GLOSSARY = Glossary([])


def _chunk(text: str, council: str = "Northshire", kind: str = "paragraph", fields: dict | None = None,
           document: str = "northshire-plan.txt") -> Chunk:
    return Chunk(chunk_id=f"{document}#0", document=document, council=council, title="Plan", section="Actions",
                 kind=kind, text=text, start=0, end=len(text), token_count=len(text.split()), fields=fields or {})


def _claim(chunk: Chunk) -> Claim:
    return claim_for_span(Span(chunk, chunk.start, chunk.end, chunk.text), asks_who=False)


def _row(council: str = "Northshire", **fields: str) -> Claim:
    text = "\t".join(fields.values())
    return _claim(_chunk(text, council, "table_row", {name.replace("_", " "): value for name, value in fields.items()},
                         document=f"{council.lower()}-actions.txt"))


def _lines(question: str, claims: list[Claim], glossary: Glossary = NO_GLOSSARY, define=lambda *_: None) -> list[str]:
    return [lead.text for lead in opening_lines(question, claims, glossary, define)]


ROW = {"Action": "Recommission the holiday play scheme", "Timescale": "December 2026", "Owner": "Head of Inclusion",
       "Progress": "Not started"}


def test_a_who_question_gets_the_lead_column_and_a_when_question_the_date_column():
    assert _lines("Who is in charge of the holiday play scheme?", [_row(**ROW)]) == [
        "Northshire: Head of Inclusion (Owner) {markers}"]
    assert _lines("So by when?", [_row(**ROW)]) == ["Northshire: December 2026 (Timescale) {markers}"]
    assert _lines("What's the progress on the play scheme?", [_row(**ROW)]) == [
        "Northshire: Not started (Progress) {markers}"]


def test_two_candidate_dates_give_no_sentence_rather_than_a_guess():
    row = _row(Action="Open a resource base", Start_date="April 2025", End_date="March 2027")
    assert _lines("When will the resource base open?", [row]) == []


def test_a_sentence_gives_the_phrase_that_answers_and_the_doing_must_match():
    sentence = _claim(_chunk("The inclusion panel is chaired by the Assistant Director for Education and meets termly."))
    assert _lines("Who chairs the inclusion panel?", [sentence]) == [
        "Northshire: chaired by the Assistant Director for Education and meets termly {markers}"]
    assert _lines("How often does the inclusion panel meet?", [sentence]) == ["Northshire: termly {markers}"]
    led = _claim(_chunk("The review is led by the parent carer forum."))
    assert _lines("Who chairs the review group?", [led]) == []


def test_a_date_written_with_of_is_one_date():
    sentence = _claim(_chunk("The survey will run from the 3rd of March until the 14th of April 2027."))
    assert _lines("When does the survey close?", [sentence]) == ["Northshire: until the 14th of April 2027 {markers}"]


def test_a_question_of_no_such_kind_gets_no_opening_line():
    assert _lines("What does the plan say about transport?", [_row(**ROW)]) == []


def test_a_council_whose_evidence_lacks_the_answer_is_named_as_related_only():
    lines = _lines("Who leads the play scheme work?", [_row(**ROW), _claim(_chunk("Play schemes will grow.", "Eastbury"))])
    assert lines == ["Northshire: Head of Inclusion (Owner) {markers}", "Also related, from Eastbury: {markers}"]


def test_an_acronym_the_plans_define_is_spelled_out_and_its_definition_cited():
    text = "The local authority (LA) will work with partners."
    found = find_definitions("northshire-actions.txt", text)
    glossary = Glossary(found)
    definition = claim_for_definition(found[0], _chunk(text, document="northshire-actions.txt"),
                                      text[found[0].start:found[0].end])
    row = _row(Action="Review transport", Lead="LA with the parent carer forum")
    leads = opening_lines("Who leads the transport review?", [row], glossary, lambda acronym, document: definition)
    answer, citations = assemble([row], leads)
    assert answer.startswith("Northshire: LA (local authority) with the parent carer forum (Lead) [1][2]\n\n")
    assert [c.text for c in citations][1] == "local authority (LA)"
