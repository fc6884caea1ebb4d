"""Answers from a plan nobody here has seen (written for this test): the plain opening sentence, and the refusals
for what no council-wide plan holds."""

from __future__ import annotations

import pytest

from assistant.engine import Assistant
from assistant.types import RefusalKind
from core.settings import load_settings
from vectorstore.build import ingest
from vectorstore.index import HybridIndex

PLAN = """<html><head><title>Rutland County Council SEND and Inclusion Action Plan 2026</title></head><body>
<h1>SEND and Inclusion Action Plan 2026</h1>
<p>Report to: Children's Scrutiny Panel</p><p>Date of meeting: 9 March 2026</p><p>Report of: Director of Children's
Services</p>
<h2>Why we have a written statement of action</h2>
<p>Rutland has a Written Statement of Action (WSoA) because inspectors found significant weaknesses in how quickly
education, health and care plans were issued.</p>
<h2>How many children have a plan</h2>
<p>In 2019 there were 310 children with an EHCP. In 2025 that number is 655, an increase of 111% in six years.</p>
<p>The SEND Partnership Board is chaired by the Director of Children's Services and meets every six weeks.</p>
<h2>Priority 2: Faster assessments</h2>
<p>We will recruit two more educational psychologists by spring.</p>
<h3>Quicker decisions</h3><p>Panels will decide on requests for assessment within four weeks.</p>
<h3>Clearer letters</h3><p>Every decision letter will explain the reasons in plain English.</p>
<h2>Our Commitments: Three Projects for Next Year</h2><p>Each project has a lead from the parent carer forum.</p>
<h3>Sensory Garden</h3><p>Build a sensory garden at the Oakham family centre.</p><p>Deadline: May 2027</p>
<h3>Travel Buddies</h3><p>Help more young people learn to travel on their own.</p><p>Deadline: January 2027</p>
<h3>Sibling Days</h3><p>Run days out for brothers and sisters of disabled children.</p><p>Deadline: May 2027</p>
<h2>Actions</h2>
<table><thead><tr><th>Action</th><th>Responsible officer</th><th>Completion date</th><th>RAG</th></tr></thead>
<tr><td>Recommission the holiday activity scheme for disabled children</td><td>Head of Early Help</td>
<td>December 2026</td><td>Amber</td></tr>
<tr><td>Publish a guide to requesting an assessment</td><td>SEND Service Manager</td><td>June 2026</td>
<td>Green</td></tr>
<tr><td>Train forty teaching assistants in autism awareness</td><td>Inclusion Lead</td><td>March 2027</td>
<td>Amber</td></tr>
</table></body></html>"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder) -> Assistant:
    folder = tmp_path_factory.mktemp("unseen")
    (folder / "plans").mkdir()
    (folder / "plans" / "action-plan.html").write_text(PLAN, encoding="utf-8")
    settings = load_settings(data_dir=folder / "data")
    ingest(settings, [folder / "plans"], embedder=embedder, progress=False)
    return Assistant(settings, HybridIndex.open(settings, embedder))


@pytest.mark.parametrize(("question", "opening"), [
    ("Who is responsible for the holiday activity scheme?", "Rutland: Head of Early Help (Responsible officer) [1]"),
    ("When will the guide to requesting an assessment be published?", "Rutland: June 2026 (Completion date) [1]"),
    ("How often does the partnership board meet?", "Rutland: every six weeks [1]"),
    ("Who chairs the partnership board?", "Rutland: chaired by the Director of Children's Services and meets every six"
                                          " weeks [1]"),
])
def test_the_answer_opens_with_what_was_asked_and_the_proof_follows(assistant, question, opening):
    answer = assistant.ask(question)
    first, _, proof = answer.answer.partition("\n\n")
    assert first == opening
    assert proof.startswith("In Rutland") and "[1]" in proof


def test_an_acronym_question_that_asks_more_gets_the_reason_too(assistant):
    answer = assistant.ask("What is a WSoA and why does Rutland have one?")
    assert "Written Statement of Action" in answer.answer and "significant weaknesses" in answer.answer


def test_a_follow_up_needs_its_own_figures_not_the_previous_questions(assistant):
    history = [{"role": "user", "content": "How many children had an EHCP in 2019 and in 2025?"},
               {"role": "assistant", "content": "310 in 2019 and 655 in 2025."}]
    assert "111%" in assistant.ask("so by what percentage did it rise?", history).answer


@pytest.mark.parametrize("question", [
    "What's the email address of my son's SENCO?",
    "What time does my daughter's school close on Fridays?",
])
def test_one_childs_own_school_or_professional_is_refused(assistant, question):
    answer = assistant.ask(question)
    assert answer.refused and answer.refusal_kind == RefusalKind.PERSONAL and "school" in answer.answer


def test_a_name_no_plan_writes_is_refused_by_name(assistant):
    answer = assistant.ask("How many children with EHCPs attend Oakmere Academy?")
    assert answer.refused and "Oakmere Academy" in answer.answer


def test_each_half_of_a_two_part_question_gets_its_own_passage(assistant):
    answer = assistant.ask("When will the holiday activity scheme be recommissioned and when does the guide come out?")
    assert "December 2026" in answer.answer and "June 2026" in answer.answer


def test_an_item_asked_for_by_its_label_is_named_by_its_heading_and_cited(assistant):
    answer = assistant.ask("What is the second priority in Rutland's action plan?")
    assert "Priority 2: Faster assessments" in answer.answer
    assert any(said in answer.answer for said in ("educational psychologists", "four weeks", "plain English"))
    heading = next(c for c in answer.citations if c.text == "Priority 2: Faster assessments")
    assert assistant.index.source_text(heading.document)[heading.start:heading.end] == heading.text


def test_figures_in_a_parents_story_are_not_asked_for(assistant):
    """ "We've waited 18 weeks" tells the story; the question after it asks for no figure."""
    answer = assistant.ask("We have waited 18 weeks for a reply from my son's school. How often does the partnership "
                           "board meet?")
    assert not answer.refused and "every six weeks" in answer.answer


def test_the_themes_under_a_labelled_item_are_its_sub_headings(assistant):
    answer = assistant.ask("What are the themes under priority 2 in Rutland's plan?")
    assert "Quicker decisions" in answer.answer and "Clearer letters" in answer.answer
    assert answer.answer.index("Quicker decisions") < answer.answer.index("Clearer letters")


def test_that_group_in_a_follow_up_is_the_one_asked_about_before(assistant):
    history = [{"role": "user", "content": "Who chairs the SEND Partnership Board?"},
               {"role": "assistant", "content": "The Director of Children's Services."}]
    assert "every six weeks" in assistant.ask("how frequently does that group get together?", history).answer


def test_projects_due_at_a_date_are_each_named_by_the_heading_their_deadline_sits_under(assistant):
    """ "Deadline: May 2027" ends two projects: each is a passage of its own, quoted with the project it belongs to."""
    answer = assistant.ask("Which of the projects in Rutland's plan have a May 2027 deadline?")
    assert "Sensory Garden" in answer.answer and "Sibling Days" in answer.answer
    assert "Travel Buddies" not in answer.answer


def test_a_project_is_quoted_with_the_deadline_line_that_closes_its_section(assistant):
    answer = assistant.ask("What is Rutland doing to help young people travel on their own?")
    assert "travel on their own" in answer.answer and "Deadline: January 2027" in answer.answer
    quoted = next(c for c in answer.citations if "Deadline: January 2027" in c.text)
    assert assistant.index.source_text(quoted.document)[quoted.start:quoted.end] == quoted.text


def test_a_count_stated_by_the_heading_is_quoted_from_the_heading(assistant):
    answer = assistant.ask("How many projects is Rutland committed to?")
    assert not answer.refused and "Three Projects" in answer.answer


def test_a_question_about_the_report_itself_is_answered_from_its_header(assistant):
    answer = assistant.ask("When is Rutland's scrutiny panel meeting about this report?")
    assert not answer.refused and "9 March 2026" in answer.answer.splitlines()[0]


def test_which_rows_are_marked_a_way_gets_every_row_so_marked(assistant):
    answer = assistant.ask("Which of Rutland's actions are rated amber?")
    assert "holiday activity scheme" in answer.answer and "teaching assistants" in answer.answer
    assert "guide to requesting" not in answer.answer
