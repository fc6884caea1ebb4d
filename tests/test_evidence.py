"""The evidence rules on small hand-made passages: answer shapes, other names for a term, what counts as covered."""

from __future__ import annotations

import pytest

from assistant.answerkinds import has_answer_shape
from assistant.evidence import (
    ScoredSpan,
    count_stated,
    counted_in,
    counted_list,
    counts_what_is_asked,
    is_covered,
    key_terms,
    lists_what_is_asked,
    names_the_months,
    names_what_is_asked,
    reaches_past,
    shape_counter,
    without_ages,
)
from assistant.glossary import Glossary, acronyms_asked_about, find_definitions
from assistant.sentences import Span
from ingest.chunk import Chunk


def span_of(text: str, kind: str = "paragraph", fields: dict[str, str] | None = None, section: str = "Voice") -> Span:
    chunk = Chunk("doc.txt#0", "doc.txt", "Lincolnshire", "A plan", section, kind, text, 0, len(text),
                  len(text.split()), fields or {})
    return Span(chunk, 0, len(text), text)


@pytest.mark.parametrize("question, passage", [
    ("What have parents said about annual reviews?", "“One hour not long enough for an annual review meeting”"),
    ("Since when has the ICB existed?", "The ICB is a statutory body in place since 1st July 2022."),
    ("What is the e-learning course called?", "an award winning programme called ”A rough guide to it”."),
    ("Where will the new home be?", "The new home will be located in Skegness."),
    ("How do I phone her?", "Contact Officer: Eleanor Moulton Tel: 0151 934 2068"),
    ("How often do they meet?", "Fortnightly meetings are held to review the register."),
])
def test_a_passage_with_what_the_question_wants_has_its_shape(question, passage):
    assert has_answer_shape(question, passage)


@pytest.mark.parametrize("question, passage", [
    ("Where will the new home be?", "The new home will open in Lancashire by 31 August 2025."),
    ("What have parents said about annual reviews?", "Annual reviews will be audited each term."),
    ("What is the course called?", "The course is for professionals working with children with SEND."),
])
def test_a_passage_without_it_does_not(question, passage):
    assert not has_answer_shape(question, passage)


def test_since_when_prefers_since_and_a_date_over_any_date():
    question = "Since when has the ICB existed?"
    assert shape_counter(question)("The ICB is a statutory body in place since 1st July 2022.") == 2
    assert shape_counter(question)("The ICB reported to NHSE at the end of 2023.") == 1


def test_a_passage_matches_a_question_that_uses_the_other_name_for_its_acronym():
    source = "full implementation of Lincolnshire young voices (LYV); a participation group"
    glossary = Glossary(find_definitions("doc.txt", source))
    assert "Lincolnshire young voices" in glossary.also_called("LYV have created an e-learning programme")
    assert "LYV" in glossary.also_called("Lincolnshire Young Voices have created a programme").split()


def test_a_question_that_nearly_spells_out_an_acronym_names_it():
    source = "findings of the Joint Strategic Needs Assessment (JSNA) and the integrated care boards (ICB)"
    glossary = Glossary(find_definitions("doc.txt", source))
    [jsna] = glossary.spelled_nearly("When will they finish updating the joint needs assessment?")
    assert jsna.acronym == "JSNA"
    assert glossary.spelled_nearly("Is a needs assessment planned?") == []  # two words are not enough
    assert glossary.spelled_nearly("Which integrated care boards take part?") == []  # in full: search finds it


def test_a_small_word_can_be_an_initial_of_an_acronym():
    source = "the implementation of the SEND written statement of action (WSOA) plan was agreed"
    [definition] = find_definitions("doc.txt", source)
    assert (definition.acronym, definition.expansion) == ("WSOA", "written statement of action")


@pytest.mark.parametrize("question, asked", [
    ("What is the SEND JSNA?", ["JSNA"]),
    ("what does ITB stand for in Lincolnshire?", ["ITB"]),
    ("People keep mentioning the WSOA in the SEND plan. What is it?", ["WSOA", "SEND"]),
    ("I keep seeing 'DSR' in the SEND strategy. What does it stand for?", ["DSR", "SEND"]),
    ("Who leads the SEND JSNA refresh in Lancashire?", []),
    ("Sefton's SEND plan talks about recruiting a DSCO. What is that?", ["DSCO", "SEND"]),
])
def test_the_acronym_a_question_asks_about(question, asked):
    assert acronyms_asked_about(question) == asked


def test_a_question_about_an_acronym_needs_a_passage_that_names_it():
    passage = span_of("The arrangements will see commissioning for joint objectives and better use of resources.")
    question = "What does LSC mean in the Lancashire joint commissioning arrangements?"
    assert not is_covered(question, ScoredSpan(passage, semantic=0.7, coverage=0.5,
                                               names_the_thing=names_what_is_asked(question, passage.text)))


def test_the_years_of_a_section_heading_do_not_say_when_its_action_happens():
    question = "When will Sefton's new SENDIASS service start?"
    row = "Establish a new SENDIASS service which will improve the SENDIASS offer"
    assert not is_covered(question, ScoredSpan(span_of(row, section="Delivery plan 2023-2026"), 0.7, 0.6))
    dated = span_of(row, "table_row", {"Target Date": "April 2024"}, section="Delivery plan 2023-2026")
    assert is_covered(question, ScoredSpan(dated, 0.7, 0.6))


def test_a_report_header_line_answers_only_a_question_in_its_own_words():
    header = span_of("Telephone Number:\tTel: 0151 934 2068", "key_value", {"Telephone Number": "Tel: 0151 934 2068"})
    helpline = "Sefton are setting up a SEND information helpline. What's the number?"
    assert not is_covered(helpline, ScoredSpan(header, semantic=0.59, coverage=0.14))
    # …unless it follows up the header's own answer ("Who is the contact officer?" → "How do I phone her?")
    assert is_covered("Who is the contact officer? How do I phone her?", ScoredSpan(header, 0.59, 0.0),
                      "How do I phone her?")


@pytest.mark.parametrize("question", ["What are the 8 key recommendations?", "Can you list the eight recommendations?",
                                      "The 2024 assessment made 8 key recommendations. Can you list them?"])
def test_a_list_asked_for_needs_the_list_not_a_sentence_counting_it(question):
    counting = span_of("The 2024 SEN Needs assessment identified 8 key recommendations for the Lancashire system.")
    listing = span_of("- sufficiency\n- early help\n- inclusion\n- transitions\n- health\n- voice\n- data\n- workforce",
                      "list")
    assert not lists_what_is_asked(question, counting)
    assert lists_what_is_asked(question, listing)


@pytest.mark.parametrize("question, left", [
    ("My son's 9 and autistic. What is Lancashire doing?", "My and autistic. What is Lancashire doing?"),
    ("my 16 yr old wants to join", "my wants to join"),
    ("My girl is only 4 and deaf. Is there a nursery outreach team?", "My girl and deaf. Is there a nursery outreach team?"),
    ("he's nearly 11, what happens at secondary transfer?", ", what happens at secondary transfer?"),
    ("Which rate is about 5 times the national one?", "Which rate is about 5 times the national one?"),  # no age
    ("What are Sefton's 4 priorities?", "What are Sefton's 4 priorities?"),  # a council's figure is no age
    # The years in a plan's name say which plan; "the plan for 2024/2025" asks about a period.
    ("When did Cabinet consider the Joint Commissioning Plan 2023–2026?", "When did Cabinet consider the Joint "
     "Commissioning Plan ?"),
    ("What's in the plan for 2024/2025?", "What's in the plan for 2024/2025?"),
])
def test_a_childs_age_is_not_a_figure_to_look_up(question, left):
    assert without_ages(question) == left


def test_which_13_schools_asks_for_a_list_of_them():
    assert counted_list("Which 13 Lincolnshire special schools are being expanded?") == ("13", "schools")
    assert counted_list("Which two councils plan short breaks?") is None  # a comparison, not a list of two


def test_a_set_named_by_its_size_and_letter_asks_for_its_members():
    """ "What are the 3 P's?" is answered by the three, not by a sentence that names the set."""
    assert counted_list("List the 3Ps.") == ("3", "ps")
    assert counted_list("what are the 5Rs") == ("5", "rs")
    assert count_stated("what are the 5Rs").search("Our 5R’s are respect, …")


def test_more_than_a_decade_answers_how_long():
    passage = span_of("Commissioners have been developing integrated approaches for more than a decade.")
    assert is_covered("How long have commissioners been working in an integrated way?",
                      ScoredSpan(passage, semantic=0.7, coverage=0.4))


@pytest.mark.parametrize("evidence, reaches", [
    ("Special Educational Needs and Disabilities Joint Commissioning Plan 2023 – 2026", False),
    ("The strategy will be refreshed for 2027 – 2030", True),
])
def test_a_question_about_after_a_year_needs_a_later_year(evidence, reaches):
    assert reaches_past("What will the strategy focus on after 2026?", evidence) is reaches
    assert reaches_past("What will the strategy focus on in 2026?", evidence)


@pytest.mark.parametrize("passage, states", [
    ("The 5 clinical priorities for CYP are, asthma, diabetes, epilepsy, oral health, and mental health.", True),
    ("3.2 It highlights five clinical priorities.", True),
    ("Marked under Priority 5, Priority 1", False),
    ("The programme outlines key clinical priorities.", False),
])
def test_what_are_the_n_things_prefers_a_passage_stating_that_count(passage, states):
    assert bool(count_stated("What are the five clinical priorities for children?").search(passage)) is states


@pytest.mark.parametrize("question, passage, names", [
    ("Is there a mediation service in Sefton?", "Sefton will commission a new SENDIASS service.", False),
    ("Is there a mediation service in Sefton?", "A mediation service is available to families.", True),
    ("Does Lincolnshire keep a dynamic support register?", "LPFT manages the dynamic support register (DSR).", True),
    ("What are the opening hours of the assessment centre?", "The assessment centre became all-age in 2023.", False),
    ("What are the five priorities?", "Our priorities are listed below.", True),  # a list, not one named thing
    ("How many young people are on the dynamic support register?", "More than 90% of young people were reached.",
     False),
    ("How many young people are on the dynamic support register?", "40 young people are on the DSR (dynamic "
     "support register).", True),
    ("How often does Lincolnshire's SEND health committee meet?", "Fortnightly meetings are held to review CYP on "
     "the DSR", False),
    ("How often does Lincolnshire's SEND health committee meet?", "The SEND health committee meets quarterly", True),
    ("Does the strategy say anything about direct payments?", "This strategy is dynamic with regular review", False),
    ("Is there a support group for siblings in Sefton?", "A new support group has been set up.", True),
    ("Is there any crisis help for teenagers?", "CYP mental health crisis liaison across Lincoln", True),
    ("How much will Sefton's new information helpline cost to run?", "The contents of the report do not constitute "
     "additional revenue costs", False),
    ("Does Sefton's plan cover youth justice?", "The Strategy has been developed with input from the Board", False),
    # "that group" points back to a group named before, perhaps by another name; "that NHS regional group" names one
    ("How often does that group meet?", "The Partnership Board meets every six weeks", True),
    ("How often does that NHS regional group meet?", "The Partnership Board meets every six weeks", False),
    ("Does Sefton's plan cover youth justice?", "Review of health input into the youth justice service", True),
    ("Which company holds the East Midlands mediation contract?", "Liaise provide confidential advice", False),
    ("Which organisation has been awarded the contract to run the new SENDIASS service?", "Establish a new service",
     False),
    ("Will she qualify for the joint packages of care pilot?", "young people who are eligible for an EHCP", False),
    ("Will she qualify for the joint packages of care pilot?", "The joint packages of care pilot is open to all", True),
    # "have to" is not "have", and "problems with X" asks what the trouble with X is
    ("What does the panel have to consider?", "The panel considers the views of the family first", True),
    ("Do they have to keep reviewing the offer?", "The offer is reviewed every year", True),
    ("Does the council have issues with its portage service?", "Portage visits are delayed by staff shortages", True),
    # "why do they…" asks why, not whether there is one
    ("Why does the council provide holiday clubs?", "Families told us they need a break in the summer", True),
    ("Does the council provide holiday clubs?", "Families told us they need a break in the summer", False),
])
def test_is_there_an_x_needs_a_passage_naming_x(question, passage, names):
    assert names_what_is_asked(question, passage) is names


@pytest.mark.parametrize("question, evidence, counts", [
    ("How many special school places are there in Lancashire?", "15.5% of pupils have a special educational need",
     False),
    ("How many special school places are there in Lancashire?", "There are 4,000 special school places in Lancashire",
     True),
    ("How many recommendations came out of the assessment?", "It identified 8 key recommendations", True),
    ("How many young people are on the register?", "more than 90% of eligible CYP", True),
    ("How many children have been admitted since April 2023?", "as at November 2023, there were no admissions of "
     "autistic CYP", True),
    ("How many parents are confident about independent living?", "The percentage of parents that say “I am confident "
     "that my child will be supported to live independently” increases year on year (baseline 42% in 2020)", True),
    # A table row's figures measure what its first cell names; "rated" ends what is counted.
    ("How many carers rated the short breaks offer as good?", "Carers rating the short breaks offer good\t41% (2024)"
     "\t75%", True),
    ("How many carers rated the short breaks offer as good?", "Schools rating the offer good\t41% (2024)", False),
    # Neither the figure the question gives nor an age range is a count.
    ("How many extra band 5 keyworkers is Lincolnshire taking on?", "the full 0-25 offer, by recruiting additional "
     "fixed-term band 5 keyworkers", False),
])
def test_how_many_needs_a_figure_next_to_the_thing_counted(question, evidence, counts):
    assert counts_what_is_asked(question, evidence) is counts


def test_how_a_parent_talks_around_a_question_is_not_what_it_asks_about():
    terms = key_terms("We've had a nightmare getting equipment for my son at home. Has anything been done about it?")
    assert {"equip", "home"} <= terms and not terms & {"get", "done", "we'v"}


def test_an_acronym_defined_in_the_plural_is_found_in_the_singular():
    glossary = Glossary(find_definitions("plan.txt", "Schools and Primary Care Networks (PCNs) share the duty."))
    assert [d.expansion for d in glossary.lookup("PCN")] == ["Primary Care Networks"]
    assert glossary.lookup("PCNs") == glossary.lookup("PCN")


def test_a_labelled_line_is_evidence_not_a_title():
    from assistant.evidence import _is_fragment

    assert not _is_fragment(span_of("Chair - Priya Natarajan"))
    assert not _is_fragment(span_of("Deadline for comments: 12 May 2026"))
    assert _is_fragment(span_of("Our shared priorities"))
    assert _is_fragment(span_of("It includes:"))


@pytest.mark.parametrize("question, labels", [
    ("What does outcome B in the inclusion plan cover?", ["B"]),
    ("tell me about priority 3 in the strategy", ["3"]),
    ("What's the third pledge about?", ["3", "C"]),
    ("What are the priorities?", []),
])
def test_a_question_can_point_at_an_item_by_its_label(question, labels):
    from assistant.evidence import item_labels

    assert item_labels(question) == labels


def test_the_item_carrying_the_label_is_the_one_pointed_at():
    from assistant.evidence import carries_label, heading_with_label

    assert carries_label(["B"], span_of("• B. Transport – families wait too long for routes to be agreed."))
    assert carries_label(["3"], span_of("We will recruit more therapists.", section="Plan › 3: Better therapy"))
    assert not carries_label(["B"], span_of("Band B funding is reviewed every year."))
    assert not carries_label(["3"], span_of("3 new resource bases will open.", section="Plan"))
    assert carries_label(["4"], span_of("Improvement plan (Priority 4) – Aims to cut waiting times for therapy."))
    assert heading_with_label(["3"], span_of("We will recruit more therapists.", section="Plan › 3: Better therapy")) \
        == "3: Better therapy"
    assert heading_with_label(["B"], span_of("• B. Transport – families wait too long.", section="Plan › B. Travel")) is None
    assert not carries_label(["4"], span_of("Therapy waits are long. This links to priority 4 – see below."))


def test_an_item_asked_for_by_its_label_is_answered_only_by_that_item():
    question = "What does priority 3 of the strategy say?"
    third = span_of("3: Make sure every young person has a plan for adult life.")
    first = span_of("1: Make sure every child is known early and supported in school.")
    assert is_covered(question, ScoredSpan(third, 0.6, 0.6))
    assert not is_covered(question, ScoredSpan(first, 0.6, 0.6))


def test_a_yes_no_question_about_a_labelled_item_may_be_answered_by_another_item():
    question = "Is the transport review part of priority 4?"
    row = span_of("Transport review\tx\t", kind="table_row",
                  fields={"Action": "Transport review", "Priority 2": "x", "Priority 4": ""})
    assert is_covered(question, ScoredSpan(row, 0.6, 0.6))


def test_a_figure_caption_is_not_a_labelled_line():
    from assistant.evidence import _is_fragment

    assert _is_fragment(span_of("Figure 2 – How referrals are decided"))


def test_a_year_written_short_counts_as_the_year():
    from assistant.evidence import numbers_in

    assert {"2024"} <= numbers_in("Actual Nov 24: 13.6%") and {"2023", "2024"} <= numbers_in("spend in 2023/24")
    assert "2012" not in numbers_in("on 12/05 the panel met")


def test_a_numbered_paragraph_carries_its_number_as_a_label():
    from assistant.evidence import carries_label, item_labels

    labels = item_labels("What does action 2.3.1 say?")
    assert carries_label(labels, span_of("2.3.1 Train every SENCo in the new graduated approach."))
    assert not carries_label(labels, span_of("2.3.11 Review the training offer."))


def test_what_are_the_n_things_can_be_answered_by_a_long_list(embedder):
    from assistant.evidence import EvidenceScorer
    from vectorstore.index import Hit

    items = "\n".join(f"• Area {n}: the partnership has not yet improved how families are told about service {n} "
                      f"and what they can expect from it while they wait." for n in range(1, 5))
    text = f"Inspectors found four areas of weakness:\n{items}"
    chunk = Chunk("w.html#0", "w.html", "Kent", "Plan", "Inspection", "list", text, 0, len(text), 200)
    question = "What are the four areas of weakness?"
    scored = EvidenceScorer(embedder).score(question, embedder.embed_query(question), [Hit(chunk, 1.0)])
    assert len(text.split()) > 80 and any(s.span.text == text and is_covered(question, s) for s in scored)


def test_a_service_named_by_its_acronym_must_be_named_by_the_answer():
    from assistant.evidence import named_services, names_what_is_asked

    question = "When does the new CAMHS hub open in Kent?"
    assert named_services(question) == ["CAMHS"]
    assert names_what_is_asked(question, "The CAMHS hub opens in September 2026.")
    assert not names_what_is_asked(question, "The progress report will go to Cabinet in September 2026.")
    assert named_services("What does the SEND strategy say about BCP schools?") == []


@pytest.mark.parametrize("question, evidence, holds", [
    ("Had waiting times fallen by October 2025?", "Actual Jun 25: 14 weeks", False),
    ("Had waiting times fallen by October 2025?", "Actual Oct 25: 11 weeks", True),
    ("What is due in May 2026?", "The review will finish by 31 May 2026.", True),
    ("What may change next year?", "The review will finish in 2026.", True),  # "may" with no year is no month
])
def test_a_month_asked_with_its_year_must_be_in_the_evidence(question, evidence, holds):
    assert names_the_months(question, evidence) is holds



def test_an_acronyms_plural_is_the_acronym():
    assert key_terms("Which PCNs take part?") == key_terms("Which PCN takes part?")


def test_meaning_alone_is_enough_only_when_very_close_or_holding_the_thing_asked():
    def scored(text, semantic, coverage):
        return ScoredSpan(span_of(text), semantic, coverage)
    question = "When will the inclusion hub open?"
    assert not is_covered(question, scored("The strategy will go to Cabinet in May 2026.", 0.58, 0.0))
    assert is_covered(question, scored("The hub opens its doors in May 2026.", 0.58, 0.5))
    assert is_covered(question, scored("Opening: May 2026", 0.70, 0.0))
    assert is_covered("How do I phone the hub?", scored("Telephone:\tTel: 0151 496 0000", 0.58, 0.0))


@pytest.mark.parametrize("question, beyond", [
    ("What does SENCO stand for?", False),
    ("What is the LAP?", False),
    ("Under the LAP's aim 2, what will change?", True),   # an item of it, not what the letters mean
    ("What is the LAP and who chairs it?", True),
])
def test_a_question_about_an_acronym_may_ask_more_than_what_it_stands_for(question, beyond):
    from assistant.engine import _asks_beyond_definition

    assert _asks_beyond_definition(question, question) is beyond


def test_a_question_for_a_councils_items_is_answered_by_the_list_it_introduces_as_them():
    from assistant.evidence import introduces_the_items

    actions = span_of("Our actions to achieve this are to:\n\n• open two hubs;\n• train every SENCo.", kind="list")
    aims = span_of("Our aims are to:\n\n• open two hubs.", kind="list")
    sentence = span_of("We will open two hubs for autistic pupils.")
    question = "What are Eastmoor's actions for making sure autistic pupils get help?"
    assert introduces_the_items(question, actions)
    assert not introduces_the_items(question, aims) and not introduces_the_items(question, sentence)
    assert not introduces_the_items("Who leads the actions?", actions)


def test_a_follow_up_with_no_words_of_its_own_keeps_the_item_the_previous_question_pointed_at():
    question = "What is priority 2 in the plan? and how will they go about it?"
    under_two = ScoredSpan(span_of("Open a second hub.", kind="list", section="Plan › Priority 2: Hubs"), 0.6, 0.5)
    under_one = ScoredSpan(span_of("Train every SENCo.", kind="list", section="Plan › Priority 1: Training"), 0.6, 0.5)
    assert is_covered(question, under_two, "and how will they go about it?")
    assert not is_covered(question, under_one, "and how will they go about it?")
    # a follow-up naming its own topic is not held to the item
    assert is_covered("What is priority 2 in the plan? what about SENCo training?", under_one, "what about SENCo training?")


@pytest.mark.parametrize("question, evidence, answers", [
    ("On what exact date does the forum sit?", "The forum sits in March 2027.", False),
    ("On what exact date does the forum sit?", "The forum sits on 4 March 2027.", True),
    ("On what exact date does the forum sit?", "The forum will visit 3 junior schools.", False),
    ("Which day does the drop-in run?", "The drop-in runs every Thursday morning.", True),
    ("When does the panel meet?", "The panel meets in March 2027.", True),
])
def test_a_question_for_the_exact_day_needs_a_day(question, evidence, answers):
    from assistant.evidence import names_the_day

    assert names_the_day(question, evidence) is answers


def test_a_negative_contraction_is_no_key_term():
    assert key_terms("Why aren't the buses running, and won't they fix it?") == {"bus", "run", "fix"}


def test_an_everyday_word_that_stems_like_a_council_short_form_is_still_a_key_term():
    """A council's short form is dropped as written; an everyday word with the same stem is what is asked about."""
    assert {"staff", "pool", "corpor"} <= key_terms("training for staff, pooled budgets and corporate parenting")


def test_a_month_in_full_and_written_short_is_one_key_term():
    assert key_terms("how many had a plan in February?") & key_terms("Quarter 4 (Feb 28)") == {"feb"}


@pytest.mark.parametrize("question, things", [
    ("Does the plan say anything about cutting down paperwork?", [{"paperwork"}]),  # what is done to it, in other words
    ("Does the plan say anything about improving the Local Offer?", [{"offer"}]),
    ("Is there a waiting list?", [{"wait"}]),  # "waiting" names the list
])
def test_what_is_done_to_the_thing_asked_about_is_not_the_thing(question, things):
    from assistant.evidence import things_asked

    assert things_asked(question) == things


@pytest.mark.parametrize("evidence, names", [
    ("Nursery outreach: 12 children aged 3 to 5, from January 2028", False),
    ("Wave 3 of the training starts in January 2028", True),
])
def test_a_numbered_one_of_a_series_needs_its_word_and_number(evidence, names):
    from assistant.evidence import names_the_series_number

    assert names_the_series_number("When does wave 3 of the autism training begin?", evidence) is names


def test_a_time_after_have_is_not_the_thing_asked_about():
    from assistant.evidence import things_asked

    assert things_asked("How many nurses does the team have right now?") == []
    assert things_asked("Does the council have a respite unit?") == [{"respit", "unit"}]


def test_when_is_the_next_drop_in_needs_a_drop_in_named_and_its_day():
    from assistant.evidence import names_the_day, names_what_is_asked

    question = "When is the next drop-in at the Eastmoor family hub?"
    assert not names_what_is_asked(question, "The hub's new lift was approved by Cabinet on 3 March 2026.")
    assert not names_the_day(question, "The hub will share its timetable at the next drop-in, in 2027.")
    assert names_what_is_asked(question, "The next drop-in is on 12 May 2026.")
    assert names_the_day(question, "The next drop-in is on 12 May 2026.")


def test_an_action_listed_under_what_we_will_do_is_something_planned(embedder):
    """ "Is the council going to…?" prefers what a plan will do; its actions are often bare verbs under a lead-in."""
    from assistant.evidence import EvidenceScorer
    from vectorstore.index import Hit

    planned = "Train two nurses in every secondary school to support pupils with epilepsy."
    heard = "Secondary schools do not have nurses who know about epilepsy."
    chunks = [Chunk("e.html#1", "e.html", "Eastmoor", "Plan", "Health", "list", planned, 0, len(planned), 20,
                    lead_in="Over the next three years we will:"),
              Chunk("e.html#2", "e.html", "Eastmoor", "Plan", "Survey results", "list", heard, 100,
                    100 + len(heard), 20, lead_in="Young people wrote:")]
    question = "Will Eastmoor put nurses who understand epilepsy into secondary schools?"
    scored = EvidenceScorer(embedder).score(question, embedder.embed_query(question), [Hit(c, 1.0) for c in chunks])
    shapes = {s.span.text: s.shapes for s in scored}
    assert shapes[planned] > shapes[heard]


def test_an_irregular_form_is_the_same_key_term_as_its_dictionary_form():
    assert key_terms("Did the council buy new minibuses?") & key_terms("two minibuses were bought") == {"buy", "minibus"}
    assert "teach" in key_terms("Who taught the staff?") & key_terms("staff teaching")


@pytest.mark.parametrize("question", ["where do i send the form?", "Who do we send it to"])
def test_send_the_verb_is_a_key_term_and_send_the_field_is_not(question):
    assert key_terms(question) & key_terms("Send the form to the assessment team by email.")
    assert not key_terms("my son has send") and key_terms("SEND in the county") == key_terms("the county")


def test_a_reports_list_of_background_papers_is_never_evidence():
    from assistant.evidence import _is_fragment
    from ingest.spans import Span

    text = "Transport Policy Review, report to Scrutiny, 4 April 2024"
    listed = Chunk("r.html#9", "r.html", "Eastmoor", "Report", "Home to school transport › Background papers", "list",
                   text, 0, len(text), 12)
    said = Chunk("r.html#3", "r.html", "Eastmoor", "Report", "Home to school transport › Finance", "list", text, 0,
                 len(text), 12)
    assert _is_fragment(Span(listed, 0, len(text), text)) and not _is_fragment(Span(said, 0, len(text), text))


def test_a_team_asked_about_by_name_must_be_named_by_the_answer():
    question = "How long do families wait for the Hearing Support Team to visit?"
    assert not names_what_is_asked(question, "The council tells you within 6 weeks whether it will assess.")
    assert names_what_is_asked(question, "Families wait about 9 weeks for a first visit from the Hearing Support Team.")
    assert names_what_is_asked("What does the Hearing Support Team do?", "It visits schools.")  # no value asked


def test_a_table_cell_counts_what_its_column_names():
    row = span_of("Speech and language bases\t45\t60", "table_row",
                  {"Provision": "Speech and language bases", "Places today": "45", "Places needed": "60"})
    assert counted_in("How many places are there in the speech and language bases?", row) == "passage"
    assert counted_in("How many schools have a speech and language base?", row) is None


def test_a_long_story_is_judged_on_the_words_the_plans_use(embedder):
    """A parent's story is mostly about them ("exhausted", "kitchen table"): those words are in no passage, and
    counting them would leave no passage covering enough of the question."""
    from assistant.evidence import EvidenceScorer
    from vectorstore.index import Hit

    text = "A new hearing support base will open at Elm Road Primary School in September 2027."
    chunk = Chunk("f.html#4", "f.html", "Fenmarsh", "Plan", "New places", "list", text, 0, len(text), 20)
    story = ("I'm exhausted, we argue at the kitchen table every night about my deaf daughter's school. "
             "A friend mentioned a hearing base opening somewhere. Is it real and when?")
    assert len(key_terms(story)) >= 8
    scored = EvidenceScorer(embedder).score(story, embedder.embed_query(story), [Hit(chunk, 1.0)])
    assert scored[0].coverage >= 0.5  # hearing, base, open, school of the words a passage uses
    short = "When does the hearing base open for my tired daughter?"
    scored = EvidenceScorer(embedder).score(short, embedder.embed_query(short), [Hit(chunk, 1.0)])
    assert scored[0].coverage < 1.0  # a short question keeps every word it asks with


def test_a_financial_year_written_with_a_dash_is_both_years_in_full():
    from assistant.evidence import numbers_in

    assert numbers_in("What is the budget for 2027-28?") == numbers_in("we will spend £2m in 2027 to 2028") - {"2"}
    assert "28" not in numbers_in("the budget for 2027-28")
    assert numbers_in("pupils aged 14-15") == {"14", "15"}


@pytest.mark.parametrize("question, covered", [
    ("How many appeals got as far as stage 2 last year?", True),
    ("What were the stage 2 appeals about?", True),
    ("What is stage 2?", False),  # the item itself: a passage that only mentions it in passing is not it
])
def test_a_label_that_qualifies_what_is_asked_about_is_not_an_item_to_find(question, covered):
    text = "Last year 31 stage 2 appeals were heard, most about transport."
    span = span_of(text)
    scored = ScoredSpan(span, semantic=0.6, coverage=0.6)
    assert is_covered(question, scored) is covered


def test_the_date_of_a_named_milestone_needs_that_milestone():
    question = "When is the milestone for opening the sensory hub due?"
    assert not names_what_is_asked(question, "Milestone: Recruit two more therapists. Due: June 2027")
    assert names_what_is_asked(question, "Milestone: Open the sensory hub in Westvale. Due: June 2027")


def test_every_word_of_a_team_asked_about_is_needed_the_fields_own_words_too():
    question = "How long do families wait for the Disabled Children's Support Team to visit?"
    assert not names_what_is_asked(question, "The Early Help Team visits within 10 working days.")
    assert names_what_is_asked(question, "The Disabled Children's Support Team visits within 10 working days.")
    assert names_what_is_asked("When does Westvale's SEND Advice Group meet?", "Advice Group: meets every May.")


def test_a_passage_sharing_only_the_questions_years_does_not_cover_it():
    question = "What was the hourly rate for carers in 2025-26?"
    only_years = ScoredSpan(span_of("The programme will cost £2.4 million over 2025-26 and 2026-27."), 0.45, 0.4)
    assert not is_covered(question, only_years)
    rate = ScoredSpan(span_of("In 2025-26 the hourly rate for carers was £14.10."), 0.45, 0.8)
    assert is_covered(question, rate)
