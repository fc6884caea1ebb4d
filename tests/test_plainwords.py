"""Parents' words match the plans' words in both directions, and only whole words."""

from __future__ import annotations

from assistant.plainwords import parents_words, plans_words


def test_a_question_in_parents_words_is_searched_with_the_plans_words():
    assert "siblings" in plans_words("Is there a group for brothers and sisters?")
    assert "fund" in plans_words("Who pays for the team?")
    assert "pathway" in plans_words("Is there an assessment route for autism?")
    assert "led" in plans_words("Who runs the young people's group?")
    assert "training" in plans_words("Are there courses for parents?")
    assert "evaluate" in plans_words("How will they judge whether it is working?")
    assert "developed" in plans_words("Who put together the strategy?")
    assert "creating" in plans_words("Did they ask parents before writing the strategy?")
    assert "re-commissioned" in plans_words("Is the portage service changing?")
    assert plans_words("Who leads the team?") == ""


def test_a_passage_in_the_plans_words_counts_for_the_parents_words():
    assert "brothers" in parents_words("set up a siblings group")
    assert "pay" in parents_words("The ICB and LCC jointly fund the CICT.")
    assert "run" in parents_words("LPFT provides management of the dynamic support register")
    assert "worked" in parents_words("measures of success will be reviewed")  # "is the strategy working?"
    assert "evidence" in parents_words("Build upon the findings of the 2023 Joint Strategic Needs Assessment")
    assert "look at" in parents_words("A detailed review of the last 4 years of Parent Carer Surveys")
    assert parents_words("fundamental change") == ""  # whole words only


def test_a_figure_counts_for_its_word_only_when_it_stands_alone():
    assert "four" in parents_words("It highlights 4 priorities.")
    for passage in ("4.4 This strategy", "4. Financial implications", "in 2024"):
        assert parents_words(passage) == ""
