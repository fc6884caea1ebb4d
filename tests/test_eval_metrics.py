"""The eval metrics on hand-built answers, judged with the real MiniLM model: what passes, what is caught."""

from __future__ import annotations

import pytest

from assistant.types import Answer, Citation, RefusalKind
from core.errors import ConfigError
from core.support import citation_evidence, claim_support, split_claims
from evals.dataset import EvalItem, GoldEvidence
from evals.metrics import (
    load_thresholds,
    missed_thresholds,
    missing_facts,
    score_answer,
    summarise,
)

SHORT_BREAKS = ("Further strengthen the short breaks offer for children and young people with complex needs "
                "31 March 2025 LA with support from health Families of children and young people with complex needs "
                "are better supported to remain together. Reduction in new entrants in to care. Work in progress")
JSNA = ("Refresh the SEND JSNA 31 July 2024 LA and ICB Refreshed joint evidence base to inform future joint "
        "commissioning.")
PLAN = "lancashire-joint-send-commissioning-action-plan-appendix-1.txt"


def cite(marker: int, text: str, start: int = 0) -> Citation:
    return Citation(marker=marker, chunk_id=f"{PLAN}#{marker}", document=PLAN, council="Lancashire",
                    title="Lancashire Action Plan", section="Appendix 1: Lancashire Action Plan", text=text,
                    start=start, end=start + len(text), context_start=start, context_end=start + len(text))


def answer(text: str, *citations: Citation) -> Answer:
    return Answer(question="q", answer=text, refused=False, citations=citations)


def refusal() -> Answer:
    return Answer(question="q", answer="The plans I have don't say.", refused=True,
                  refusal_kind=RefusalKind.NO_EVIDENCE)


def item(answerable: bool = True, facts=(("LA with support from health",),)) -> EvalItem:
    return EvalItem(id="t-1", category="table_lookup", council="Lancashire", question="q", answerable=answerable,
                    reference_answer="", required_facts=tuple(facts) if answerable else (),
                    gold_evidence=(GoldEvidence(document=PLAN, quote=SHORT_BREAKS[:60]),) if answerable else ())


def test_a_faithful_answer_scores_high_on_every_citation_metric(embedder):
    text = ("In Lancashire, the local authority with support from health leads the work to further strengthen the "
            "short breaks offer for children with complex needs, by 31 March 2025 [1].")
    score = score_answer(item(facts=(("31 March 2025",),)), answer(text, cite(1, SHORT_BREAKS)), embedder,
                         hits_gold=lambda c: SHORT_BREAKS[:60] in c.text)
    assert (score.faithfulness, score.citation_recall, score.citation_precision) == (1.0, 1.0, 1.0)
    assert score.correct and score.citation_hit


def test_the_engines_table_template_is_not_held_against_a_copied_row(embedder):
    text = ("In Lancashire, the plan's table lists: Action: Further strengthen the short breaks offer for children and "
            "young people with complex needs; Target Date: 31 March 2025; Lead: LA with support from health; What does "
            "success look like?: Families of children and young people with complex needs are better supported to "
            "remain together. Reduction in new entrants in to care.; Status: Work in progress [1].")
    score = score_answer(item(), answer(text, cite(1, SHORT_BREAKS)), embedder)
    assert score.faithfulness == 1.0 and score.citation_recall == 1.0 and score.correct


def test_an_invented_date_is_caught_and_named(embedder):
    text = "In Lancashire, the short breaks offer will be further strengthened by 31 March 2027 [1]."
    score = score_answer(item(), answer(text, cite(1, SHORT_BREAKS)), embedder)
    assert score.faithfulness == 0.0 and score.citation_recall == 0.0 and score.citation_precision == 0.0
    assert score.sentences[0].missing == ("2027",)


def test_an_invented_organisation_is_caught(embedder):
    support = claim_support("The ICB leads the work to strengthen short breaks.", [SHORT_BREAKS], embedder)
    assert not support.supported and support.missing == ("ICB",)


def test_a_citation_that_does_not_contain_the_claim_scores_low(embedder):
    text = "Families of children with complex needs will be better supported to remain together [1]."
    score = score_answer(item(), answer(text, cite(1, JSNA)), embedder)
    assert score.faithfulness == 0.0 and score.citation_recall == 0.0
    assert claim_support(text, citation_evidence(cite(1, JSNA)), embedder).score < 0.5


def test_a_sentence_supported_only_by_another_sentences_citation_is_faithful_but_not_recalled(embedder):
    text = "The SEND JSNA will be refreshed by 31 July 2024 [1]. The LA leads the short breaks work [2]."
    score = score_answer(item(), answer(text, cite(1, SHORT_BREAKS), cite(2, JSNA, 500)), embedder)
    assert score.faithfulness == 1.0 and score.citation_recall == 0.0


def test_an_unneeded_citation_lowers_precision_but_not_recall(embedder):
    text = "The SEND JSNA will be refreshed by 31 July 2024, led by the LA and ICB [1][2]."
    score = score_answer(item(), answer(text, cite(1, JSNA), cite(2, SHORT_BREAKS, 500)), embedder)
    assert score.citation_recall == 1.0 and score.citation_precision == 0.5
    assert score.sentences[0].irrelevant == (2,)


def test_two_citations_each_needed_for_half_the_sentence_are_both_precise(embedder):
    text = "The SEND JSNA is due by 31 July 2024 and the short breaks offer by 31 March 2025 [1][2]."
    score = score_answer(item(), answer(text, cite(1, JSNA), cite(2, SHORT_BREAKS, 500)), embedder)
    assert score.citation_recall == 1.0 and score.citation_precision == 1.0


def test_refusing_an_answerable_question_is_a_false_refusal(embedder):
    wrong = score_answer(item(), refusal(), embedder)
    right = score_answer(item(answerable=False), refusal(), embedder)
    missed = score_answer(item(answerable=False), answer("The LA leads it [1].", cite(1, SHORT_BREAKS)), embedder)
    figures = summarise([wrong, right, missed], [10.0, 20.0, 30.0])
    assert wrong.correct is False and wrong.citation_hit is False
    assert figures["false_refusal_rate"] == 1.0 and figures["refusal_accuracy"] == 0.5
    assert figures["correctness"] == 0.0 and figures["latency_p50_ms"] == 20.0


def test_a_required_fact_is_met_by_any_alternative_in_any_case():
    facts = (("LA with support from health", "local authority with support from health"), ("31 March 2025",))
    assert missing_facts("The Local Authority with support from Health leads it, by 31 march 2025 [1].",
                                facts) == ()
    assert missing_facts("The LA leads it [1].", facts) == ("LA with support from health", "31 March 2025")


def test_a_short_fact_must_be_a_word_of_the_answer_not_part_of_one():
    assert missing_facts("A pilot for 148 other children [1].", [("OT",), ("48",), ("ten",)]) == ("OT", "48", "ten")
    assert missing_facts("OT and 48 places for ten intellectual disabilities [1].",
                         [("OT",), ("48",), ("ten",), ("intellectual disabilit",)]) == ()


def test_split_claims_gives_each_sentence_the_markers_that_vouch_for_it():
    claims = split_claims("In Sefton: The plan was agreed. [1] It runs to 2026. It is reviewed yearly [2][3]. Ask us.")
    assert claims == [("In Sefton: The plan was agreed", [1]), ("It runs to 2026", [2, 3]),
                      ("It is reviewed yearly", [2, 3]), ("Ask us", [])]


def test_thresholds_hold_or_miss_by_bound(tmp_path):
    path = tmp_path / "thresholds.toml"
    path.write_text("[min]\ncorrectness = 0.7\nrefusal_accuracy = 0.5\n[max]\nfalse_refusal_rate = 0.1\n")
    thresholds = load_thresholds(path)
    figures = {"correctness": 0.65, "refusal_accuracy": None, "false_refusal_rate": 0.2}
    assert missed_thresholds(figures, thresholds) == ["correctness 0.65 < min 0.7", "false_refusal_rate 0.2 > max 0.1"]
    path.write_text("[min]\ncorectness = 0.7\n")
    with pytest.raises(ConfigError, match="corectness is not a metric"):
        load_thresholds(path)
