"""Which questions are about one child: those are answered only with what the plans say about a service, and
with a caveat, or refused."""

from __future__ import annotations

import pytest

from assistant import gate


@pytest.mark.parametrize("question, personal", [
    ("Will my son get an EHCP?", True),
    ("My son is 9 and autistic. Will he get an EHCP?", True),
    # A parent says who they are, then asks something general: the last question decides.
    ("Honestly is it just my kid or do loads of children need extra help? What share of pupils in Lancashire have "
     "a special educational need?", False),
    ("My son has to travel miles every day to get to a special school. Is Lincolnshire building more special "
     "school places?", False),
    ("What share of pupils in Lancashire have a special educational need?", False),
])
def test_a_question_about_one_child(question, personal):
    assert gate.is_personal(question) is personal


@pytest.mark.parametrize("question, advice", [
    ("Should I move him to a special school?", True),
    ("Is it worth asking for an EHC needs assessment?", True),
    ("Should Sefton publish its short breaks statement?", False),
    ("Are they deciding on time these days, or should we expect a long wait?", False),  # a sigh after the question
])
def test_a_question_asking_for_a_judgement(question, advice):
    assert gate.asks_for_advice(question) is advice


@pytest.mark.parametrize("question, ones_own", [
    ("What is the phone number of my daughter's SENCO?", True),
    ("As a head, will I hear about the new funding through our headteacher forums, and in which newsletter number?",
     False),
])
def test_a_provider_naming_a_kind_of_group_is_not_one_childs_own(question, ones_own):
    assert gate.asks_about_ones_own(question) is ones_own
