"""The web app's parts without a browser: rendering, history, streaming, feedback, uploads, evaluation.

Real index and model throughout (the session's `corpus_index`); tests that write get a copy of its
data folder. The browser tests (test_ui_browser.py) drive the same parts through the real page.
"""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest

import app
from assistant.engine import Assistant
from assistant.types import Answer, Citation, RefusalKind
from core.errors import SendAssistantError
from core.settings import load_settings
from ingest.chunk import Chunk
from ui import render
from ui.chat import Chat, content_text, history_for_ask
from ui.evaluation import Evaluation, metric_explanations
from ui.feedback import AnswerRef, FeedbackLog
from ui.live import LiveAssistant
from ui.passages import Passages
from vectorstore.index import HybridIndex

JSNA = "Who leads the Refresh of the SEND JSNA in Lancashire?"


@pytest.fixture(scope="module")
def assistant(corpus_index):
    return Assistant(corpus_index.settings, corpus_index)


@pytest.fixture
def writable_assistant(corpus_settings, corpus_index, tmp_path):
    """An assistant on a copy of the session index, for tests that upload or write feedback."""
    data = tmp_path / "data"
    shutil.copytree(corpus_settings.data_dir, data)
    settings = load_settings(data_dir=data)
    return Assistant(settings, HybridIndex.open(settings, corpus_index.embedder))


def _between(markup: str, tag_class: str) -> str:
    match = re.search(rf'class="{tag_class}">(.*?)</', markup, re.DOTALL)
    return html.unescape(match.group(1)) if match else ""


def _quoted(index: HybridIndex, citation: Citation, message: str) -> bool:
    """Whether `message` quotes the citation: a table row cell by cell, anything else as its exact slice."""
    chunk = index.chunks[citation.chunk_id]
    quoted = chunk.fields.values() if chunk.kind == "table_row" and chunk.fields else [citation.text]
    return all(render.text(words) in message for words in quoted if words)


def test_source_card_quotes_the_exact_slice_even_with_tabs_and_blank_lines():
    source = "Heading\n\nAction\tTarget Date\n\n  Refresh the JSNA\t31 July 2024\n\nNext paragraph"
    start, end = source.index("Action"), source.index("\n\nNext")
    citation = Citation(1, "doc.txt#0", "doc.txt", "Lancashire", "Plan", "Appendix 1:  Plan", source[start:end],
                        start, end, 0, len(source))
    card = render.source_card(citation, Passages({}, lambda name: source), "a1")
    assert "\n" not in card and "\t" not in card  # Markdown can neither end the block nor expand the TABs
    assert _between(card, "source-quote") == source[start:end]
    assert html.unescape(re.search(r"<mark>(.*?)</mark>", card).group(1)) == source[start:end]
    assert "Section: Appendix 1: Plan" in card and "[1]" in card
    assert "doc.txt" not in card and "characters" not in card  # file names and offsets stay in the JSON


def _row(number: int, action: str, due: str, page: int = 3) -> Chunk:
    text = f"{action}\t{due}\tHarbour trust"
    return Chunk(f"ferry.pdf#{number}", "ferry.pdf", "Gullhaven", "Ferry plan", "Actions", "table_row", text,
                 100 * number, 100 * number + len(text), 9, page=page,
                 fields={"Action": action, "Due by": due, "Lead": "Harbour trust"})


def test_a_table_row_card_shows_labelled_cells_its_page_and_its_table_with_the_row_marked():
    rows = [_row(1, "Paint the jetty", "May 2027"), _row(2, "Open a quiet room", "June 2027"),
            _row(3, "Train ferry staff", "July 2027")]
    heading = Chunk("ferry.pdf#0", "ferry.pdf", "Gullhaven", "Ferry plan", "Actions", "paragraph", "Actions", 0, 7, 1)
    passages = Passages({c.chunk_id: c for c in [heading, *rows]}, lambda name: "")
    cited = rows[1]
    citation = Citation(1, cited.chunk_id, "ferry.pdf", "Gullhaven", "Ferry plan", "Actions", cited.text, cited.start,
                        cited.end, cited.start, cited.end)
    card = render.source_card(citation, passages, "a1")
    cells = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", card)
    assert cells == [("Action", "Open a quiet room"), ("Due by", "June 2027"), ("Lead", "Harbour trust")]
    assert "Page 3" in card and 'id="source-a1-1"' in card
    table = card.split("<details", 1)[1]
    assert re.findall(r'<th scope="col">(.*?)</th>', table) == ["Action", "Due by", "Lead"]
    assert table.count("<tr") == 4 and "Paint the jetty" in table and "Train ferry staff" in table
    cited_row = re.search(r"<tr class=cited-row>(.*?)</tr>", table).group(1)
    assert "Open a quiet room" in cited_row and "Cited row:" in cited_row and cited_row.count("<mark>") == 3


def test_each_cited_marker_links_to_its_card_and_plain_text_keeps_the_marker(assistant):
    answer = assistant.ask(JSNA)
    message = render.answer_message(answer, Passages.of(assistant.index), "b7")
    for citation in answer.citations:
        assert f'href="#source-b7-{citation.marker}"' in message and f'id="source-b7-{citation.marker}"' in message
    assert render.plain_text(message) == answer.answer and 'href="#question"' in message


def test_answer_message_has_one_card_per_citation_and_plain_text_drops_them(assistant):
    answer = assistant.ask(JSNA)
    message = render.answer_message(answer, Passages.of(assistant.index), "a1")
    assert message.count('class="source-card"') == len(answer.citations) >= 1
    assert render.plain_text(message) == answer.answer
    for citation in answer.citations:
        assert _quoted(assistant.index, citation, message)


def test_a_caveat_is_said_before_the_answer_and_read_out_with_it(assistant):
    answer = assistant.ask("My daughter has tics - can she get a diagnosis through a pathway in Lincolnshire?")
    message = render.answer_message(answer, Passages.of(assistant.index), "a1")
    assert answer.caveat and message.index('class="caveat"') < message.index('class="answer-text"')
    assert render.plain_text(message) == f"{answer.caveat} {answer.answer}"
    assert render.announcement(answer).startswith(html.escape(f"Answer: {answer.caveat}"))


def test_refusal_is_a_help_box_with_the_refusal_text_and_no_sources(assistant):
    answer = assistant.ask("How much has Sefton budgeted for SEND in 2026?")
    message = render.answer_message(answer, Passages.of(assistant.index), "a1")
    assert answer.refused and 'class="refusal"' in message and "source-card" not in message
    assert "here is where to get help" in message and "SENDIASS" in message
    assert render.plain_text(message) == answer.answer


def test_streaming_grows_a_few_words_at_a_time_and_ends_with_the_whole_answer():
    answer = Answer(question="q", answer="one two three four five six seven eight nine [1].", refused=True,
                    refusal_kind=RefusalKind.NO_EVIDENCE)
    steps = [render.plain_text(step) for step in render.streaming_steps(answer)]
    assert len(steps) == 3 and steps[-1] == answer.answer
    assert all(len(a) < len(b) for a, b in zip(steps, steps[1:]))


def test_history_reads_gradio_parts_and_plain_strings_alike():
    card = render.answer_message(Answer("q", "Lead: LA and ICB [1].", False, (Citation(
        1, "d#0", "d", "Lancashire", "T", "S", "LA and ICB", 0, 10, 0, 10),)), Passages({}, lambda name: "LA and ICB"),
        "a1")
    messages = [{"role": "user", "content": [{"type": "text", "text": "Who &amp; when?"}]},
                {"role": "assistant", "content": [{"type": "text", "text": card}]},
                {"role": "user", "content": "And by when?"},
                {"role": "assistant", "content": [{"type": "file", "file": {"path": "x.png"}}]}]
    assert history_for_ask(messages) == [{"role": "user", "content": "Who & when?"},
                                         {"role": "assistant", "content": "Lead: LA and ICB [1]."},
                                         {"role": "user", "content": "And by when?"}]
    assert content_text({"type": "text", "text": "hi"}) == "hi" and content_text(None) == ""


def test_chat_streams_then_answers_a_follow_up_from_the_shown_conversation(assistant):
    chat = Chat(LiveAssistant(assistant), pause=0)
    replies = list(chat.reply(JSNA, [], "Lancashire"))
    assert replies[0].messages[-1]["role"] == "user" and replies[0].answer is None
    assert len(replies) > 3 and "source-card" in replies[-1].messages[-1]["content"]
    assert replies[-1].answer.markers == (1,) and "31 July 2024" in replies[-1].announcement
    shown = [{"role": m["role"], "content": [{"type": "text", "text": m["content"]}]} for m in replies[-1].messages]
    follow_up = list(chat.reply("And by when?", shown, "All councils"))[-1]
    assert "31 July 2024" in render.plain_text(follow_up.messages[-1]["content"])


class ScriptedAssistant:
    """A scripted fake of an LLM-backed `Assistant`: `ask_stream` yields two fixed draft pieces, then a fixed
    verified `Answer` (no model is run). It reads sources from the real index so the cards are real."""

    def __init__(self, index, answer: Answer) -> None:
        self.settings = index.settings.model_copy(update={"backend": "gguf"})
        self.index = index
        self.answer = answer

    def ask_stream(self, question, history, council):
        yield "The Refresh of the SEND JSNA is led by "
        yield "the LA and ICB, and nobody else."
        yield self.answer


def test_chat_shows_the_llm_draft_then_the_verified_answer_with_who_wrote_it_and_notes(assistant):
    citation = assistant.ask(JSNA).citations[0]
    note = "The gguf model's answer had 2 sentences; 1 was removed because its sources do not support it."
    verified = Answer(JSNA, "The LA and ICB lead the Refresh of the SEND JSNA [1].", False, (citation,),
                      answered_by="gguf", notes=(note,))
    replies = list(Chat(LiveAssistant(ScriptedAssistant(assistant.index, verified)), pause=0).reply(JSNA, [], None))
    drafts = [r.messages[-1]["content"] for r in replies[1:-1]]
    assert len(drafts) == 2 and all("Draft — checking against the plans…" in d for d in drafts)
    assert "nobody else" in drafts[-1] and "source-card" not in drafts[-1] and replies[1].answer is None
    final = replies[-1].messages[-1]["content"]
    assert "Draft" not in final and "nobody else" not in final and final.count('class="source-card"') == 1
    assert render.plain_text(final) == verified.answer and replies[-1].answer.markers == (1,)
    assert "Written by the local model (gguf), checked against the sources" in final
    assert "<summary>What checking removed</summary>" in final and html.escape(note) in final
    assert _quoted(assistant.index, citation, final)


def test_answered_by_wording_for_the_extractive_and_fallback_answers(assistant):
    answer = assistant.ask(JSNA)
    assert "Answered from the plans' own words" in render.answer_message(answer, Passages.of(assistant.index), "a1")
    assert "checking-notes" not in render.answer_message(answer, Passages.of(assistant.index), "a1")
    fallback = Answer("q", "x [1].", False, answer.citations[:1], answered_by="extractive (fallback)", notes=("n",))
    assert render.answered_by(fallback) == "The model's answer could not be checked, so this quotes the plans"


def test_a_backend_that_cannot_start_says_why_and_a_visitors_choice_never_changes_the_operators(assistant):
    start = Assistant(assistant.settings.model_copy(update={"openai_model": ""}), assistant.index)
    live = LiveAssistant(start)
    with pytest.raises(SendAssistantError):
        live.for_backend("openai")  # no model configured: fails before any network call
    assert live.current is start and live.backend == "extractive"
    assert live.for_backend("extractive") is start and live.current.index is assistant.index


def test_feedback_stores_the_question_only_when_shared(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    answer = AnswerRef("abc123", (1, 2), ("doc#0", "doc#4"), False, "Is my son's EHCP late?")
    log.record(answer, "Helpful", "clear", share_question=False)
    log.record(answer, "not helpful", "", share_question=True)
    first, second = [json.loads(line) for line in (tmp_path / "feedback.jsonl").read_text().splitlines()]
    assert first["rating"] == "helpful" and first["markers"] == [1, 2] and first["answer_id"] == "abc123"
    assert "question" not in first and "EHCP" not in json.dumps(first)
    assert second["rating"] == "not_helpful" and second["question"] == "Is my son's EHCP late?"
    assert {"timestamp", "comment", "sources", "refused"} <= first.keys()
    with pytest.raises(ValueError):
        log.record(answer, "meh")



def test_evaluation_tab_explains_each_metric_shows_thresholds_and_flags_weak_categories(assistant):
    from evals.dataset import load_items
    from evals.report import COLUMNS

    table = [item for item in load_items() if item.category == "table_lookup"][:3]
    other = next(item for item in load_items() if item.category != "table_lookup" and item.answerable)
    unmet = other.model_copy(update={"required_facts": (("a fact no plan states",),)})  # its category must be weak
    fractions = []
    view = Evaluation(LiveAssistant(assistant)).run(fractions.append, [*table, unmet])
    assert fractions[-1] == 1.0 and len(fractions) == 4
    assert view.headers[:3] == ("Question set", "Questions", "Correct (at least 0.93)")
    assert view.rows[0][:2] == ("overall", "4")
    weak_row = next(row for row in view.rows if row[0] == other.category)
    assert weak_row[2] == "0.000 ✗ misses" and any(line.startswith(f"{other.category}: Correct 0.000, should be "
                                                                    "at least 0.93") for line in view.weak)
    assert not any(line.startswith("table_lookup") for line in view.weak)
    page = view.to_html()
    assert page.count("data:image/png;base64,") == len(view.charts) >= 1 and "<caption>" in page
    assert "Weak categories" in page
    explained = metric_explanations()
    assert explained.count("<dt>") == len(COLUMNS) and "lower is better" in explained


def test_app_builds_the_page_with_named_api_endpoints(assistant):
    page = app.build(assistant)
    names = {dependency.get("api_name") for dependency in page.config["dependencies"]
             if dependency.get("api_visibility", "public") == "public"}
    assert {"ask", "chat", "feedback", "upload", "remove", "evaluate"} <= names
