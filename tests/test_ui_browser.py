"""The real app in a real browser: keyboard-only questions, streaming, source cards, follow-ups, refusals,
feedback, uploads, axe-core and small screens.

One app process for the module (`python -m cli serve` on a copy of the session index, so uploads
and feedback never touch the shared one) and one Debian chromium driven by Playwright; Playwright's
own browsers are never downloaded. Screenshots and the axe results go to `test-artifacts/`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from servers import free_port, stop

from core.settings import PROJECT_ROOT

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
JSNA = "Who leads the Refresh of the SEND JSNA in Lancashire?"
BUDGET = "How much has Sefton budgeted for SEND in 2026?"
BOT = '#chat [data-testid="bot"]'


@pytest.fixture(scope="module")
def server(corpus_settings, corpus_index, tmp_path_factory):
    """The app as `send-assistant serve` runs it, on a copy of the session's data folder."""
    folder = tmp_path_factory.mktemp("browser")
    data = folder / "data"
    shutil.copytree(corpus_settings.data_dir, data)
    port, log = free_port(), (folder / "server.log").open("w")
    env = os.environ | {"SEND_ASSISTANT_DATA_DIR": str(data), "GRADIO_ANALYTICS_ENABLED": "False",
                        "SEND_ASSISTANT_BACKEND": "extractive", "SEND_ASSISTANT_OPENAI_MODEL": ""}
    process = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--port", str(port)], cwd=PROJECT_ROOT,
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the app did not start:\n{(folder / 'server.log').read_text()[-3000:]}")
            time.sleep(0.5)
    yield url, data
    stop(process)
    log.close()


@pytest.fixture(scope="module")
def browser():
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test` (it installs axe-core with npm) and try again.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser, server, width: int = 1280) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(server[0])
    page.locator("#question textarea").wait_for(timeout=60_000)
    return page


@pytest.fixture
def page(browser, server):
    page = _open(browser, server)
    yield page
    page.close()


def _submit(page: Page, question: str) -> None:
    page.locator("#question textarea").fill(question)
    page.keyboard.press("Enter")


def _wait_for_answer(page: Page, count: int, timeout: float = 60_000) -> None:
    """Until the `count`-th reply is complete (the live region is filled only at the end of the stream)."""
    page.wait_for_function(f"document.querySelectorAll('{BOT}').length === {count} && "
                           "document.getElementById('announcer').innerText.trim().length > 0", timeout=timeout)


def test_keyboard_question_streams_an_answer_with_a_cited_exact_quote(page, corpus_index):
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#question')"):
            break
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA", "Tab never reached the question box"
    page.evaluate("""() => { window.lengths = []; new MutationObserver(() => {
        const texts = document.querySelectorAll('#chat [data-testid="bot"] .answer-text');
        const n = texts.length ? texts[texts.length - 1].textContent.length : 0;
        if (n && window.lengths[window.lengths.length - 1] !== n) window.lengths.push(n);
      }).observe(document.getElementById('chat'), {childList: true, subtree: true, characterData: true}); }""")
    page.keyboard.type(JSNA)
    page.keyboard.press("Enter")
    _wait_for_answer(page, 1)
    lengths = page.evaluate("window.lengths")
    assert len(lengths) >= 3 and lengths == sorted(set(lengths)), f"not streamed: {lengths}"
    assert "31 July 2024" in page.locator(f"{BOT} .answer-text").inner_text()

    card = page.locator(f"{BOT} .source-card").first
    cells = dict(zip(card.locator(".row-cells dt").all_inner_texts(), card.locator(".row-cells dd").all_inner_texts()))
    assert cells.get("Target Date") == "31 July 2024" and cells.get("Lead") == "LA and ICB"
    assert "[1]" in card.locator(".source-title").inner_text() and "Lancashire" in card.inner_text()
    assert card.locator(".source-section").inner_text().startswith("Section: ")
    assert ".txt" not in card.inner_text() and "characters" not in card.inner_text()
    card.locator("summary").click()
    cited = card.locator("tr.cited-row")
    expect(cited).to_be_visible()
    assert "31 July 2024" in cited.inner_text() and card.locator("tbody tr").count() > 1
    announcer = page.locator("#announcer")
    assert announcer.get_attribute("aria-live") == "polite" and "31 July 2024" in announcer.inner_text()
    assert page.locator('#chat [role="log"]').get_attribute("aria-live") == "off"  # no word-by-word reading


def _tab_until(page: Page, test: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(test):
            return
    raise AssertionError(f"Tab never reached {test}")


def test_keyboard_follows_a_marker_to_its_card_opens_its_context_and_returns_to_the_box(page):
    _submit(page, JSNA)
    _wait_for_answer(page, 1)
    page.locator("#question textarea").focus()
    _tab_until(page, "document.activeElement.matches('a.marker')")
    page.keyboard.press("Enter")
    card = page.locator(".source-card.highlighted")
    expect(card).to_have_count(1)
    assert page.evaluate("document.activeElement.classList.contains('source-card')")
    assert card.get_attribute("id") == page.locator("a.marker").first.get_attribute("href")[1:]
    _tab_until(page, "document.activeElement.tagName === 'SUMMARY'")
    page.keyboard.press("Enter")
    expect(card.locator("tr.cited-row")).to_be_visible()
    _tab_until(page, "document.activeElement.matches('a.to-question')")
    page.keyboard.press("Enter")
    assert page.evaluate("!!document.activeElement.closest('#question')")


def test_follow_up_question_uses_the_conversation(page):
    _submit(page, JSNA)
    _wait_for_answer(page, 1)
    _submit(page, "And by when?")
    _wait_for_answer(page, 2)
    reply = page.locator(BOT).nth(1)
    assert "31 July 2024" in reply.locator(".answer-text").inner_text()
    assert reply.locator(".source-card").count() >= 1


def test_council_filter_and_example_question_answer_from_that_council_only(page):
    page.locator("#council input").click()
    page.get_by_role("option", name="Lancashire", exact=True).click()
    expect(page.locator("#council input")).to_have_value("Lancashire")
    page.get_by_role("button", name="Who is leading the short breaks work?").click()
    _wait_for_answer(page, 1)
    assert "LA with support from health" in page.locator(f"{BOT} .answer-text").inner_text()
    titles = page.locator(f"{BOT} .source-title").all_inner_texts()
    assert titles and all("Lancashire" in title for title in titles)


def test_refusal_points_to_help_and_feedback_is_saved_privately(page, server):
    _submit(page, BUDGET)
    _wait_for_answer(page, 1)
    refusal = page.locator(f"{BOT} .refusal")
    assert "The plans don't say — here is where to get help" in refusal.inner_text()
    assert "SENDIASS" in refusal.inner_text() and page.locator(f"{BOT} .source-card").count() == 0

    page.locator("#feedback").get_by_text("Was the last answer helpful?").click()
    page.get_by_label("Not helpful").check()
    page.locator("#feedback-comment textarea").fill("I expected a budget figure")
    page.locator("#feedback-send").click()
    expect(page.locator("#feedback-status")).to_contain_text("Thank you")
    record = json.loads((server[1] / "feedback.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert record["rating"] == "not_helpful" and record["refused"] is True and "question" not in record
    assert record["comment"] == "I expected a budget figure"


def _choose(page: Page, path) -> None:
    page.get_by_role("tab", name="Documents").click()
    with page.expect_file_chooser() as chooser:
        page.locator("#upload-button").click()
    chooser.value.set_files(path)


def test_uploaded_docx_shows_its_council_is_answered_from_and_a_second_upload_is_refused(page, tmp_path):
    import docx

    plan = tmp_path / "kittiwake-cove-send-plan.docx"
    document = docx.Document()
    document.add_heading("Kittiwake Cove Council SEND Joint Commissioning Plan 2025-2028", level=1)
    document.add_paragraph("Kittiwake Cove Council and its partners wrote this plan with families.")
    document.add_paragraph("The Kittiwake Cove sensory garden opens to families on 14 March 2026.")
    document.save(plan)

    _choose(page, plan)
    expect(page.locator("#upload-status")).to_contain_text("detected council “Kittiwake Cove”", timeout=60_000)
    expect(page.locator("#upload-council textarea")).to_have_value("Kittiwake Cove")
    expect(page.locator("#upload-title textarea")).to_have_value("Kittiwake Cove Council SEND Joint Commissioning "
                                                              "Plan 2025-2028")
    page.locator("#index-button").click()
    expect(page.locator("#upload-status")).to_contain_text(f"{plan.name} was added for Kittiwake Cove",
                                                           timeout=120_000)
    expect(page.locator("#documents-table")).to_contain_text(plan.name)
    page.locator("#remove-choice input").click()
    expect(page.get_by_role("option", name=plan.name, exact=True)).to_be_visible()
    page.keyboard.press("Escape")

    page.get_by_role("tab", name="Ask").click()
    page.locator("#council input").click()
    expect(page.get_by_role("option", name="Kittiwake Cove", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    _submit(page, "When does Kittiwake Cove's sensory garden open to families?")
    _wait_for_answer(page, 1)
    assert "14 March 2026" in page.locator(f"{BOT} .answer-text").inner_text()
    card = page.locator(f"{BOT} .source-card").first
    assert "Kittiwake Cove" in card.locator(".source-title").inner_text()
    card.locator("summary").click()
    assert card.locator(".context-text mark").inner_text() in card.locator(".context-text").inner_text()

    renamed = tmp_path / "copy-of-the-plan.docx"
    renamed.write_bytes(plan.read_bytes())
    _choose(page, renamed)
    alert = page.locator('#upload-status [role="alert"]')
    expect(alert).to_contain_text(f"the same file is already indexed as {plan.name}", timeout=60_000)

    page.reload()
    page.get_by_role("tab", name="Documents").click()
    expect(page.locator("#documents-table")).to_contain_text(plan.name)  # lists are read again on every load


def test_a_bad_upload_gets_a_clear_error_in_the_page(page, tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a real Word file")
    _choose(page, broken)
    alert = page.locator('#upload-status [role="alert"]')
    expect(alert).to_contain_text("broken.docx could not be added.", timeout=60_000)


def test_a_backend_that_cannot_start_is_explained_and_the_answers_stay_extractive(page):
    page.locator("#settings").get_by_text("Settings", exact=True).click()
    expect(page.get_by_label("extractive")).to_be_checked()
    page.get_by_label("openai").check()  # no model configured for the test server
    alert = page.locator('#backend-status [role="alert"]')
    expect(alert).to_contain_text("The openai backend could not be started", timeout=30_000)
    expect(page.get_by_label("extractive")).to_be_checked()
    _submit(page, JSNA)
    _wait_for_answer(page, 1)
    assert "Answered from the plans' own words" in page.locator(f"{BOT} .answered-by").inner_text()


def test_a_backend_chosen_in_one_browser_session_does_not_change_anothers_answers(browser, server):
    pytest.importorskip("llama_cpp", reason="the gguf backend needs the llm extra (`make test` installs it)")
    chooser, other = browser.new_context(), browser.new_context()
    try:
        mine, theirs = (context.new_page() for context in (chooser, other))
        for page in (mine, theirs):
            page.goto(server[0])
            page.locator("#question textarea").wait_for(timeout=60_000)
        mine.locator("#settings").get_by_text("Settings", exact=True).click()
        mine.get_by_label("gguf").check()
        expect(mine.locator('#backend-status [role="status"]')).to_contain_text("this browser window only",
                                                                               timeout=120_000)
        _submit(theirs, JSNA)
        _wait_for_answer(theirs, 1)
        assert "Answered from the plans' own words" in theirs.locator(f"{BOT} .answered-by").inner_text()
        _submit(mine, JSNA)
        _wait_for_answer(mine, 1, timeout=300_000)  # the small local model on a shared CPU
        assert "Answered from the plans' own words" not in mine.locator(f"{BOT} .answered-by").inner_text()
    finally:
        chooser.close()
        other.close()


def test_every_control_is_reachable_by_keyboard_with_a_visible_focus_ring(page):
    reached, unringed = set(), []
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            continue  # past the last control, before the tab order starts again
        focus = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            const owner = e.closest('[id]');
            return {id: owner ? owner.id : '', text: (e.innerText || e.getAttribute('aria-label') || '').trim(),
                    ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }""")
        reached.add(focus["id"] or focus["text"])
        reached.add(focus["text"])
        if not focus["ring"]:
            unringed.append(focus)
    for control in ("Skip to the question box", "question", "ask-button", "clear-button", "council", "feedback",
                    "Who is leading the short breaks work?", "Documents"):
        assert control in reached, f"{control} not reachable by Tab; reached {sorted(reached)}"
    assert not unringed, f"focus not visible on {unringed}"


WIDTHS = (1280, 375, 320)
AXE_RUN = """async () => (await axe.run(document)).violations.map(v => (
    {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"""


def _top_of_latest_answer(page: Page) -> float:
    return page.evaluate(f"[...document.querySelectorAll('{BOT}')].pop().getBoundingClientRect().top")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_start_of_each_new_answer_is_on_screen_without_an_inner_scroll_box(browser, server, width):
    page = _open(browser, server, width)
    try:
        for count, question in enumerate((JSNA, "And by when?"), start=1):
            _submit(page, question)
            _wait_for_answer(page, count)
            page.wait_for_timeout(200)
            top, height = _top_of_latest_answer(page), page.viewport_size["height"]
            assert 0 <= top <= height - 60, f"answer {count} starts at {top}px, outside the {height}px screen"
        inner = page.evaluate("""() => [...document.querySelectorAll('#chat, #chat [role="log"]')]
            .map(e => e.scrollHeight - e.clientHeight)""")
        assert max(inner) <= 1, f"the conversation scrolls inside a box ({inner})"
        label = page.evaluate("""() => { const c = document.getElementById('chat'), l = c.querySelector('label');
            return l ? getComputedStyle(l).display : 'none'; }""")
        assert label == "none", "a floating label sits over the conversation"
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"answer-in-view-{width}.png"
        page.screenshot(path=str(shot))
        print(f"screenshot: {shot}")
    finally:
        page.close()


def test_on_a_phone_the_filter_and_examples_come_before_the_chat_and_feedback_folds_away(browser, server):
    page = _open(browser, server, 375)
    try:
        _submit(page, JSNA)
        _wait_for_answer(page, 1)
        y = {name: page.locator(f"#{name}").bounding_box()["y"] for name in ("question", "council", "examples",
                                                                             "chat", "feedback")}
        assert y["question"] < y["council"] < y["examples"] < y["chat"] < y["feedback"], y
        expect(page.locator("#feedback-comment")).to_be_hidden()
        page.locator("#feedback").get_by_text("Was the last answer helpful?").click()
        expect(page.locator("#feedback-comment textarea")).to_be_visible()
    finally:
        page.close()


def _start_from_the_top(page: Page) -> None:
    """Put the keyboard's starting point at the top of the page, as a fresh visit would."""
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.click(2, 2)


def test_keyboard_skip_link_and_question_box_within_five_tab_stops_after_a_long_conversation(page):
    for count, question in enumerate((JSNA, "And by when?", BUDGET), start=1):
        _submit(page, question)
        _wait_for_answer(page, count)
    _start_from_the_top(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the question box"
    page.keyboard.press("Enter")
    assert page.evaluate("!!document.activeElement.closest('#question')"), "the skip link did not reach the box"
    _start_from_the_top(page)
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#question')"):
            break
    assert page.evaluate("!!document.activeElement.closest('#question')"), "question box is more than 5 Tab stops"
    names = page.evaluate("[...document.querySelectorAll('#chat [aria-label]')].map(e => e.getAttribute('aria-label'))")
    assert names and not [name for name in names if "<" in name or ">" in name], names


@pytest.fixture(scope="module")
def conversation(browser, server):
    """A page with an answer (its context opened), a refusal and the glossary open."""
    page = _open(browser, server)
    _submit(page, JSNA)
    _wait_for_answer(page, 1)
    _submit(page, BUDGET)
    _wait_for_answer(page, 2)
    page.locator(f"{BOT} summary").first.click()
    page.get_by_text("Acronyms the plans define").click()
    expect(page.locator("#glossary dt").first).to_be_visible()
    yield page
    page.close()


def test_axe_finds_no_violations_on_any_tab_at_any_width(conversation):
    page = conversation
    page.add_script_tag(path=str(AXE))
    ARTIFACTS.mkdir(exist_ok=True)
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for tab in ("Ask", "Documents", "Evaluation"):
            page.get_by_role("tab", name=tab).click()
            page.wait_for_timeout(300)
            found[f"{tab} at {width}px"] = page.evaluate(AXE_RUN)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("tab", name="Ask").click()
    (ARTIFACTS / "axe-violations.json").write_text(json.dumps(found, indent=2), encoding="utf-8")
    print(f"axe violations per tab and width: { {key: len(v) for key, v in found.items()} }")
    assert not any(found.values()), json.dumps(found, indent=2)


def test_page_fits_narrow_screens_and_screenshots_are_saved(conversation):
    page = conversation
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "app-1280.png"), full_page=True)
    for width in (375, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
        page.screenshot(path=str(ARTIFACTS / f"app-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert all((ARTIFACTS / f"app-{w}.png").stat().st_size > 10_000 for w in WIDTHS)
    print("screenshots:", *(ARTIFACTS / f"app-{w}.png" for w in WIDTHS))
