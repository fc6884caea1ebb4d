"""`Assistant.ask` on the real corpus: grounded table answers, exact citations, honest refusals."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS

from assistant.engine import Assistant
from assistant.types import RefusalKind


@pytest.fixture(scope="module")
def assistant(corpus_index):
    return Assistant(corpus_index.settings, corpus_index)


def assert_exact_citations(answer):
    for citation in answer.citations:
        source = (CORPUS / citation.document).read_text(encoding="utf-8")
        assert source[citation.start:citation.end] == citation.text
        assert f"[{citation.marker}]" in answer.answer


@pytest.mark.parametrize("question, fact", [
    ("When will the new children's home open in Lancashire?", "31 August 2025"),
    ("Who leads the work on alternative provision and vocational options in Lancashire?", "LA /Schools and settings"),
    ("When is Lancashire meant to have its SEND JSNA refreshed by?", "31 July 2024"),
    ("Who is the contact officer for Sefton's SEND report?", "Eleanor Moulton"),
])
def test_table_lookups_copy_values_exactly_and_cite_the_row(assistant, question, fact):
    answer = assistant.ask(question)
    assert not answer.refused and fact in answer.answer
    assert any(fact in citation.text for citation in answer.citations)
    assert_exact_citations(answer)


def test_an_acronym_is_expanded_from_the_plans_own_definition(assistant):
    answer = assistant.ask("What does DCO stand for?")
    assert "designated clinical officer" in answer.answer.lower()
    assert "(DCO)" in answer.citations[0].text
    assert_exact_citations(answer)


def test_a_name_the_embedding_model_does_not_know_is_answered_where_the_plan_says_what_it_is(assistant):
    answer = assistant.ask("What is Liaise?")
    assert any("Liaise - Lincolnshire’s SEND information, advice and support service" in citation.text
               for citation in answer.citations)
    assert_exact_citations(answer)


def test_a_name_the_plans_use_without_defining_it_is_answered_from_where_it_appears(assistant):
    answer = assistant.ask("What is NELPFF? It's mentioned in the NE Lincs plan.")
    assert not answer.refused and "self-referral process with NELPFF and SENDIASS" in answer.citations[0].text
    assert_exact_citations(answer)


@pytest.mark.parametrize("question, kind", [
    ("How much has Sefton budgeted for SEND in 2026?", RefusalKind.NO_EVIDENCE),
    ("What is Lancashire planning for SEND in 2031?", RefusalKind.NO_EVIDENCE),
    ("What does Stockport offer for short breaks?", RefusalKind.UNKNOWN_COUNCIL),
    ("Will my son get an EHCP?", RefusalKind.PERSONAL),
    ("Quel est le plan pour les enfants handicapés?", RefusalKind.OTHER_LANGUAGE),
    ("How much funding is Lancashire giving the Family Hubs Networks?", RefusalKind.NO_EVIDENCE),
    ("What's the phone number for the Lancashire Parent Carer Forum?", RefusalKind.NO_EVIDENCE),
    # The topic is in another council's plan (NE Lincs has a siblings group), or the plan names the body
    # but not what is asked about it (its chair, its opening hours, the inspection's grade).
    ("Is there a support group for siblings in Sefton?", RefusalKind.NO_EVIDENCE),
    ("Who chairs Sefton's SEND Continuous Improvement Board?", RefusalKind.NO_EVIDENCE),
    ("What are the opening times of the Lincoln mental health urgent assessment centre?", RefusalKind.NO_EVIDENCE),
    ("How was Lancashire graded after its joint targeted area inspection?", RefusalKind.NO_EVIDENCE),
    ("Who is the chief executive of Sefton Council?", RefusalKind.NO_EVIDENCE),
    ("Where is the Lincolnshire autism hub going to be?", RefusalKind.NO_EVIDENCE),  # no place in the plan
    ("When does Sefton's new SENDIASS service begin?", RefusalKind.NO_EVIDENCE),  # its row gives no date
    ("How often does Lincolnshire's SEND health committee meet?", RefusalKind.NO_EVIDENCE),
    ("My daughter has an EHCP at a mainstream primary in Sefton. Should we move her to a special school?",
     RefusalKind.PERSONAL),
])
def test_unanswerable_questions_are_refused_plainly_with_where_to_get_help(assistant, question, kind):
    answer = assistant.ask(question)
    assert answer.refused and answer.refusal_kind == kind and not answer.citations
    if kind != RefusalKind.OTHER_LANGUAGE:
        assert "SENDIASS" in answer.answer


@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * 100_000, "\x00\x01\x02\x03\x04\x05" * 20])
def test_bad_input_is_refused_with_a_reason_never_an_exception(assistant, question):
    answer = assistant.ask(question)
    assert answer.refused and answer.refusal_kind == RefusalKind.BAD_INPUT and answer.answer


def test_a_question_about_one_child_gets_what_the_plans_say_about_the_service_with_a_caveat(assistant):
    answer = assistant.ask("My daughter has tics - can she get a diagnosis through a pathway in Lincolnshire?")
    assert not answer.refused and "no diagnostic pathway" in answer.answer and "tics" in answer.citations[0].text
    assert "can't say what will happen for your child" in answer.caveat and "SENDIASS" in answer.caveat
    assert_exact_citations(answer)


def test_a_question_about_one_child_the_plans_do_not_cover_is_refused_as_personal(assistant):
    answer = assistant.ask("Will Lancashire pay for my daughter's bus pass to get to college?")
    assert answer.refused and answer.refusal_kind == RefusalKind.PERSONAL and "SENDIASS" in answer.answer


@pytest.mark.parametrize("question", [
    "Lincolnshire's plan mentions the DSR - what is it and who manages it?",
    "What does DSR stand for in Lincolnshire, and who runs it?",  # the second half follows up the definition
])
def test_two_questions_in_one_are_both_answered(assistant, question):
    answer = assistant.ask(question)
    assert "dynamic support register" in answer.answer.lower() and "LPFT" in answer.answer
    cited = " ".join(citation.text for citation in answer.citations)  # one passage may answer both halves
    assert "dynamic support register" in cited.lower() and "LPFT" in cited
    assert_exact_citations(answer)


def test_the_second_of_two_questions_keeps_the_council_of_the_first(assistant):
    answer = assistant.ask("How many years of parent carer surveys did Sefton go back through when drafting the new "
                           "strategy, and which years did the previous strategy run for?")
    assert "4 years" in answer.answer and "2020 - 2023" in answer.answer
    assert {citation.council for citation in answer.citations} == {"Sefton"}
    assert_exact_citations(answer)


def test_two_questions_in_a_follow_up_both_follow_up_the_earlier_question(assistant):
    history = _turn("What is Lincolnshire's ITB?", "In Lincolnshire: The purpose of the ITB is to provide strategic "
                    "oversight of CYP services [1]")
    answer = assistant.ask("And who chairs it, and how often does it meet?", history)
    assert not answer.refused and "co-chaired" in answer.answer and "bi-monthly" in answer.answer
    assert_exact_citations(answer)


def test_two_questions_no_passage_answers_together_are_answered_one_by_one(assistant):
    answer = assistant.ask("My son is 15 and keen on Lincolnshire Young Voices. Roughly how many young people are "
                           "in it, and do young people run it?")
    assert not answer.refused and "around 15 young people" in answer.answer and "co-chairs" in answer.answer
    assert_exact_citations(answer)


def test_a_list_asked_for_by_its_size_is_found_and_quoted_whole(assistant):
    """The four priorities are one short list, easily outweighed by the many delivery-plan rows ticked "Priority"."""
    answer = assistant.ask("Can you list Sefton's 4 priorities?")
    assert not answer.refused and "High aspirations" in answer.answer and "choice and control" in answer.answer
    assert_exact_citations(answer)


@pytest.mark.parametrize("question, lead_in, last_item", [
    ("What four-stage process will Sefton use for the annual review of its strategy?", "four-stage process of:",
     "Monitor processes."),  # the list is in the chunks after the lead-in
    ("How many children's centres has Lincolnshire protected?", "48 children’s centres",
     "early years locality team practitioners"),  # the items are nested under it in its own list
])
def test_a_lead_in_that_answers_is_quoted_with_the_list_it_introduces(assistant, question, lead_in, last_item):
    answer = assistant.ask(question)
    assert not answer.refused
    cited = next(citation for citation in answer.citations if lead_in in citation.text)
    assert cited.text.rstrip().endswith(last_item)
    assert_exact_citations(answer)


def test_when_two_items_of_one_list_answer_the_whole_list_is_quoted(assistant):
    answer = assistant.ask("What did Sefton consider when it drew up its new SEND strategy?")
    assert "last 4 years of Parent Carer Surveys" in answer.answer and "2020 - 2023" in answer.answer
    assert_exact_citations(answer)


def test_what_happened_to_x_is_answered_with_everything_done_about_it(assistant):
    answer = assistant.ask("What happened to the EHCP case management system in NE Lincs?")
    assert "Procured a new EHCP case management system" in answer.answer
    assert "Build the new EHCP case management system" in answer.answer
    assert len(answer.citations) <= 4
    assert_exact_citations(answer)


def test_a_follow_up_that_names_its_own_topic_is_searched_on_its_own_too(assistant):
    history = _turn("How will Lancashire know whether its joint commissioning arrangements are working?",
                    "It will use three key measures.")
    answer = assistant.ask("How often do they report on the action plan itself, and who gets the reports?", history)
    assert "on a quarterly basis" in answer.answer and "SEND Partnership Board" in answer.answer
    assert_exact_citations(answer)


def test_a_parents_word_finds_the_plans_word(assistant):
    answer = assistant.ask("Is North East Lincolnshire doing anything for brothers and sisters of disabled children?")
    assert not answer.refused and any("sibling" in citation.text.lower() for citation in answer.citations)


def test_a_third_sentence_of_a_quoted_paragraph_as_relevant_is_quoted_too(assistant):
    answer = assistant.ask("Do young people in Lancashire get a say in what goes on the SEND Local Offer?")
    assert "POWAR" in answer.answer and "Parent Carer Forum" in answer.answer
    assert_exact_citations(answer)


def test_is_it_changing_is_answered_by_what_the_plan_will_do(assistant):
    answer = assistant.ask("Our portage worker in Lincolnshire comes from a special school. Is the portage service "
                           "changing?")
    assert "single lead provider" in answer.answer
    assert_exact_citations(answer)


def test_a_follow_up_that_stands_on_its_own_is_searched_on_its_own_too(assistant):
    history = _turn("What are Sefton's four priorities?",
                    "High aspirations, a comprehensive local offer, early support, choice.")
    answer = assistant.ask("who is the contact officer for the report?", history)
    assert not answer.refused and "Eleanor Moulton" in answer.answer


def test_what_about_another_council_asks_the_same_thing_there(assistant):
    history = _turn("Is there a siblings group in North East Lincolnshire?",
                    "Yes, a siblings group is planned for 2020/2021.")
    answer = assistant.ask("What about Sefton - do they have one?", history)
    assert answer.refused and answer.refusal_kind == RefusalKind.NO_EVIDENCE


def test_where_is_a_document_is_answered_by_where_the_plan_says_it_is(assistant):
    answer = assistant.ask("Where can I read Sefton's equality impact assessment?")
    assert not answer.refused and "Appendix A" in answer.answer


def test_is_there_a_deadline_asks_when_not_for_a_passage_naming_a_deadline(assistant):
    history = _turn("Is Lancashire doing anything to help parents get a break from caring?",
                    "Yes: the Break Time offer.")
    answer = assistant.ask("Who leads that, and is there a deadline?", history)
    assert not answer.refused and "LA with support from" in answer.answer


def test_a_follow_up_carries_the_previous_questions_topic(assistant):
    history = _turn("Who leads the Refresh of the SEND JSNA in Lancashire?",
                    "It is led by the LA and ICB.")
    answer = assistant.ask("And by when?", history)
    assert not answer.refused and "31 July 2024" in answer.answer


@pytest.mark.parametrize("question", [
    "What groups give young people with SEND a voice in each council?",
    "Which boards oversee SEND commissioning in each council?",
])
def test_an_answer_never_quotes_the_same_words_twice(assistant, question):
    answer = assistant.ask(question)
    markers = re.findall(r"\[\d+\]", answer.answer)
    assert len(markers) == len(set(markers)) == len(answer.citations)
    citations = answer.citations
    for i, one in enumerate(citations):
        for other in citations[i + 1:]:
            assert one.document != other.document or one.end <= other.start or other.end <= one.start


def _turn(asked: str, answered: str) -> list[dict]:
    """A chat history of one question and its answer."""
    return [{"role": "user", "content": asked}, {"role": "assistant", "content": answered}]


def _after(assistant, earlier: str) -> list[dict]:
    return _turn(earlier, assistant.ask(earlier).answer)


@pytest.mark.parametrize("follow_up", ["What happens after that?", "Is that going to change?"])
def test_what_happens_after_that_is_answered_by_the_next_passage(assistant, follow_up):
    answer = assistant.ask(follow_up, _after(assistant, "What is Lincolnshire doing about portage?"))
    assert not answer.refused and "single lead provider" in answer.answer
    assert_exact_citations(answer)


def test_a_follow_up_is_about_the_passage_the_person_was_shown(assistant):
    """Of the passages that answer the earlier question, the one in the previous answer is the one followed up."""
    history = _turn("When did Lincolnshire's key-working offer go live?",
                    "In Lincolnshire: a CYP key-working offer went live in Lincolnshire from April 2023 [1]")
    answer = assistant.ask("Was it only for under-18s, or has that changed?", history)
    assert not answer.refused and "18-25" in answer.answer
    assert_exact_citations(answer)


@pytest.mark.parametrize("earlier, follow_up", [
    ("Who leads the short breaks review in Lancashire?", "And where will it happen?"),
    ("When will Lancashire's new children's home open?", "How much will it cost?"),
    ("Who is the contact officer for Sefton's SEND report?", "What's her job title?"),
])
def test_a_follow_up_the_plans_do_not_answer_is_refused_not_answered_with_the_previous_answer(
        assistant, earlier, follow_up):
    answer = assistant.ask(follow_up, _after(assistant, earlier))
    assert answer.refused and answer.refusal_kind == RefusalKind.NO_EVIDENCE and not answer.citations


def test_a_follow_up_may_cite_the_previous_passage_when_it_holds_the_new_detail(assistant):
    answer = assistant.ask("What's her email?", _after(assistant, "Who is the contact officer for Sefton's SEND report?"))
    assert "Eleanor.moulton@sefton.gov.uk" in answer.answer


def test_question_text_is_logged_only_when_the_operator_opts_in(corpus_index, caplog):
    import logging

    private = "Will my daughter Amy get speech therapy in Sefton?"
    caplog.set_level(logging.INFO, logger="send_assistant")
    Assistant(corpus_index.settings, corpus_index).ask(private)
    assert "answered" in caplog.text and "Amy" not in caplog.text
    caplog.clear()
    opted_in = corpus_index.settings.model_copy(update={"log_questions": True})
    Assistant(opted_in, corpus_index).ask(private)
    assert "Amy" in caplog.text
