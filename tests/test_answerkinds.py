"""Every answer type is checked against its own examples: the question is of its kind, the answering passage
holds what it needs, and the passage on the same topic that does not answer it is refused."""

from __future__ import annotations

import pytest

from assistant.answerkinds import ANSWER_TYPES, has_answer_shape, lacks_answer_type


@pytest.mark.parametrize("kind", ANSWER_TYPES, ids=lambda kind: kind.question)
def test_an_answer_type_tells_its_answer_from_a_passage_on_the_same_topic(kind):
    assert kind.asks.search(kind.question)
    assert not lacks_answer_type(kind.question, kind.answer)
    assert lacks_answer_type(kind.question, kind.non_answer)


@pytest.mark.parametrize("question", ["What is Sefton doing about short breaks?",
                                      "Do Lancashire and Lincolnshire pool money with the NHS?",  # whether, not how much
                                      "What's Lancashire changing about its local offer website?",
                                      "Which of Sefton's priorities does the information helpline action come under?"])
def test_a_question_of_no_particular_kind_needs_nothing_particular(question):
    assert not lacks_answer_type(question, "partners will pool resources for short breaks")


def test_equipment_available_from_a_store_does_not_say_where_a_centre_is():
    assert lacks_answer_type("Where is the assisted living centre?", "Reviewed the performance framework for the "
                             "assisted living centre and made more equipment readily available from the store")


@pytest.mark.parametrize("question", ["right, and who's heading that up?", "So, who leads it?", "and who runs it?"])
def test_a_question_word_after_an_opening_word_still_sets_the_kind_of_answer(question):
    assert has_answer_shape(question, "ICB with LA support")


@pytest.mark.parametrize("question, passage", [
    ("Can you tell me what the 2023 Parent Carer Forum Survey actually found?",
     "Build upon the findings of the 2023 Joint Strategic Needs Assessment and the 2023 Parent Carer Forum Survey"),
    ("The review looked at our services - what did they recommend?",
     "A review of the healthy child programme to improve early identification of SEND"),
])
def test_a_passage_that_names_findings_without_saying_them_is_no_finding(question, passage):
    assert lacks_answer_type(question, passage)
    assert not lacks_answer_type(question, "The survey found that 61% of parents felt listened to")


@pytest.mark.parametrize("question, passage, holds", [
    # the year in a law's name says nothing about when
    ("When will the review report?", "Duties set out in the Equality Act 2010 will be reviewed with schools.", False),
    ("When will the review report?", "The guidance follows the SEND Code of Practice, 2015.", False),
    ("When will the review report?", "It draws on the Parent Carer Survey 2025 and the census.", False),
    ("When will the review report?", "The review under the Care Act 2014 will report in June 2027.", True),
    ("When will the review report?", "The review will report in 2027.", True),
    # what is "currently available" says nothing of when something new will be
    ("When does the new transport app launch?", "List the travel support currently available to families.", False),
    # where a place is: a website does not say, a named place ("at Brook Meadow") does
    ("Where is the new assessment centre?", "Details will be on the Local Offer website.", False),
    ("Where is the new assessment centre?", "the new assessment centre at Brook Meadow for children with complex needs",
     True),
    ("Where is the new assessment centre?", "the new assessment centre will open in the autumn", False),
    ("Where is the new assessment centre?", "the panel meets at regular intervals", False),
    # a job title is no school's name
    ("Which academies will host the nurture groups?", "Owner: Head of School Improvement", False),
    ("Which academies will host the nurture groups?", "at St Anne's Church of England Primary School", True),
    # "where is … heading?" asks which way a figure goes
    ("Where are tribunal appeals heading?", "appeals are expected to double by 2028", True),
])
def test_a_passage_holds_the_kind_of_answer_asked_or_not(question, passage, holds):
    assert lacks_answer_type(question, passage) is not holds


def test_channels_are_the_shape_of_an_answer_to_where_something_is_advertised():
    question = "and where will they advertise it?"
    assert has_answer_shape(question, "Promote the clubs through the school newsletter and the Local Offer website.")
    assert not has_answer_shape(question, "Review the clubs with parents each summer.")


def test_a_rating_is_answered_by_any_tense_of_rate():
    question = "What rating did families give the Local Offer?"
    assert not lacks_answer_type(question, "Families rate the Local Offer as good\t62%")
    assert lacks_answer_type(question, "Families use the Local Offer website")


def test_a_question_about_being_too_old_prefers_the_ages_a_service_is_for():
    question = "My daughter is 20 now, is she too old for the youth club?"
    assert has_answer_shape(question, "The youth club is open to young people aged 11-25.")
    assert not has_answer_shape(question, "The youth club meets on Tuesday evenings.")


@pytest.mark.parametrize("passage, holds", [
    ("Every family will have a named key worker.", False),
    ("The forum meets every six weeks in term time.", True),
    ("The forum meets every term.", True),
    ("The club runs every Saturday in term time.", True),
])
def test_every_says_how_often_only_with_a_period(passage, holds):
    assert lacks_answer_type("How often does the parent forum meet?", passage) is not holds


def test_a_place_asked_about_by_name_is_not_answered_by_its_name():
    question = "Where exactly is Fernside House? I'd like to visit first."
    assert lacks_answer_type(question, "Overnight stays are offered at Fernside House, our respite centre.")
    assert not lacks_answer_type(question, "Fernside House is located on Mill Road, next to the health centre.")
    assert not lacks_answer_type("Where is the new hub?", "The hub will open at Brook Street Library.")


@pytest.mark.parametrize("question", ["Who's going to be the head at the new school in Brackenfold?",
                                      "who will be the manager of the new respite service?"])
def test_who_will_hold_a_role_is_not_answered_by_the_body_that_runs_it(question):
    assert lacks_answer_type(question, "The school will be run by the Oakvale Learning Trust from 2027.")
    assert not lacks_answer_type(question, "Head: Priya Lomax (appointed in May). Manager: Tom Reyes")


def test_when_the_next_event_is_needs_a_date_not_how_often_it_happens():
    question = "when's the next carers' drop-in at the library?"
    assert lacks_answer_type(question, "The parent forum holds a drop-in at the library every month.")
    assert not lacks_answer_type(question, "The next drop-in is on Tuesday 3 February.")



@pytest.mark.parametrize("passage", ["New coordinators must finish the course within two years.",
                                     "We will reply within 10 working days.",
                                     "You can ask for a review up to two months after the decision."])
def test_a_duration_written_in_words_says_how_long(passage):
    assert not lacks_answer_type("How long have I got to do it?", passage)
    assert lacks_answer_type("How long have I got to do it?", "You must do it before you can apply.")
