"""The Gradio page: three tabs (Ask, Documents, Evaluation) wired to objects built in `app.py`.

API endpoints, named for `gradio_client`: "/ask" (question, history, council → the `ask --json`
object), "/chat" (the streamed chat), "/feedback", "/upload" (council, title, replace, staff password:
indexes the file chosen in this session), "/remove" and "/evaluate". Everything else is private,
including the backend switch in the "Settings" accordion, which applies to that browser session only
(the operator's `SEND_ASSISTANT_BACKEND` answers everyone else).
Accessibility: one polite live region announces each finished answer once (the chat log itself is
kept quiet so streaming is not read word by word), every control has a label and a visible focus ring.
"""

from __future__ import annotations

import time
from pathlib import Path

import gradio as gr

from assistant.contract import AnswerJSON
from core.errors import SendAssistantError
from ui import render, style, wording
from ui.chat import Chat, council_of, history_for_ask
from ui.documents import UPLOAD_SUFFIXES, DocumentLibrary
from ui.evaluation import Evaluation, metric_explanations
from ui.feedback import AnswerRef, FeedbackLog
from ui.live import BACKENDS
from ui.staff import HourlyLimit, StaffGate

PRIVATE = {"api_visibility": "private"}
POLL_SECONDS = 0.5  # how often an upload's progress is shown


def build(chat: Chat, library: DocumentLibrary, feedback: FeedbackLog, evaluation: Evaluation, gate: StaffGate,
          upload_limit: HourlyLimit) -> gr.Blocks:
    live = chat.live

    def councils() -> list[str]:
        return [wording.ALL_COUNCILS, *live.current.index.councils]

    def ask_json(question: str, history: list[dict] | None = None, council: str | None = None) -> dict:
        """The same object as `send-assistant ask --json`."""
        try:
            answer = live.current.ask(question, history_for_ask(history), council_of(council))
            return AnswerJSON.from_answer(answer).model_dump(mode="json")
        except SendAssistantError as exc:
            raise gr.Error(str(exc)) from exc

    def respond(question: str, messages: list[dict], council: str, backend: str | None = None):
        cleared = ""  # empty the box once; later yields leave alone whatever the user types next
        for reply in chat.reply(question, messages, council, backend):
            yield cleared, reply.messages, reply.announcement, reply.answer
            cleared = gr.update()

    def send_feedback(answer: AnswerRef | None, rating: str | None, comment: str, share: bool) -> str:
        if answer is None:
            return render.status(wording.FEEDBACK_NO_ANSWER, ok=False)
        if not rating:
            return render.status(wording.FEEDBACK_NO_RATING, ok=False)
        if len((comment or "").strip()) > feedback.max_comment_chars:
            return render.status(wording.FEEDBACK_TOO_LONG.format(length=len(comment.strip()),
                                                                  limit=feedback.max_comment_chars), ok=False)
        feedback.record(answer, rating, comment, share)
        return render.status(wording.FEEDBACK_THANKS, ok=True)

    def refreshed(choice: str | None = None) -> tuple:
        """Everything that shows what is indexed: the table, the council filter, the glossary, the remove list."""
        names = councils()
        return (documents_table(), gr.update(choices=names, value=choice if choice in names else wording.ALL_COUNCILS),
                render.glossary(live.current.glossary.entries()),
                gr.update(choices=[d.name for d in library.documents()], value=None))

    def inspect_upload(file: str | None):
        """What the chosen file is: its detected council and title (editable), or why it cannot be added."""
        if not file:
            return None, "", "", False, render.status(wording.UPLOAD_NO_FILE, ok=False)
        found = library.inspect(Path(file))
        if found.problem:
            return None, "", "", False, render.status(found.problem, ok=False)
        message = wording.UPLOAD_DETECTED.format(name=found.name, title=found.title,
                                                 council=found.council or wording.UPLOAD_UNKNOWN_COUNCIL)
        if found.replaces:
            message += wording.UPLOAD_REPLACES.format(name=found.name)
        return file, found.council, found.title, False, render.status(message, ok=True)

    def index_upload(file: str | None, council_name: str, title: str, replace: bool, password: str, choice: str,
                     request: gr.Request):
        """Index the chosen file in the background, showing progress until it is done; answers keep coming."""
        visitor = request.client.host if request and request.client else "unknown"
        verdict = gate.check(password, visitor)
        unchanged = (gr.update(),) * 4
        if not verdict.allowed:
            yield render.status(verdict.message, ok=False), *unchanged
            return
        if not file:
            yield render.status(wording.UPLOAD_NO_FILE, ok=False), *unchanged
            return
        if upload_limit.exhausted(visitor):
            yield render.status(wording.UPLOAD_LIMIT.format(limit=upload_limit.limit), ok=False), *unchanged
            return
        job = library.start(Path(file), council_name or "", title or "", bool(replace))
        if not job.done:
            upload_limit.count(visitor)
        while not job.done:
            yield render.progress(job.fraction, job.name, job.seconds_left()), *unchanged
            time.sleep(POLL_SECONDS)
        yield render.status(job.message, job.ok), *refreshed(choice)

    def cancel_upload() -> str:
        if library.job is None or library.job.done:
            return ""
        library.job.cancel()
        return render.status(wording.UPLOAD_CANCELLING, ok=True)

    def remove_document(name: str | None, password: str, choice: str, request: gr.Request):
        visitor = request.client.host if request and request.client else "unknown"
        verdict = gate.check(password, visitor)
        if not verdict.allowed:
            return render.status(verdict.message, ok=False), *(gr.update(),) * 4
        ok, message = library.remove(name or "")
        return render.status(message, ok), *refreshed(choice)

    def evaluate(progress=gr.Progress()) -> str:
        try:
            view = evaluation.run(lambda fraction: progress(fraction, desc=wording.EVAL_PROGRESS))
        except ImportError as exc:
            return render.status(wording.EVAL_UNAVAILABLE.format(reason=exc), ok=False)
        except SendAssistantError as exc:
            return render.status(wording.ERROR_PREFIX.format(error=exc), ok=False)
        return view.to_html()

    def switch_backend(backend: str, before: str | None):
        """Answer this visitor with `backend` from now on (nobody else); if it cannot start, say why and keep theirs."""
        before = before or live.backend
        if backend == before:
            return gr.update(), "", before
        try:
            live.for_backend(backend)
        except SendAssistantError as exc:
            message = wording.BACKEND_FAILED.format(backend=backend, current=before, error=exc)
            return gr.update(value=before), render.status(message, ok=False), before
        return gr.update(), render.status(wording.BACKEND_SWITCHED.format(backend=backend), ok=True), backend

    def documents_table() -> str:
        rows = library.rows()
        return render.table(wording.DOCUMENTS_CAPTION.format(count=len(rows)), wording.DOCUMENTS_COLUMNS, rows,
                            numeric_from=4)

    with gr.Blocks(title=wording.TITLE, analytics_enabled=False) as page:
        gr.HTML(f'<a class="skip-link" href="#question">{wording.SKIP_TO_QUESTION}</a>', elem_id="skip")
        gr.Markdown(f"# {wording.TITLE}\n{wording.INTRO}")
        with gr.Tabs():
            with gr.Tab(wording.TAB_ASK, id="ask"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=280):
                        # The question box comes first so it is a few Tab stops from the top however long the
                        # conversation; the filter and examples come before the chat on every screen width.
                        question = gr.Textbox(label=wording.QUESTION_LABEL, elem_id="question", lines=1, max_lines=4,
                                              placeholder=wording.QUESTION_PLACEHOLDER, autofocus=False)
                        with gr.Row():
                            ask = gr.Button(wording.ASK_BUTTON, variant="primary", elem_id="ask-button")
                            clear = gr.Button(wording.NEW_CONVERSATION, elem_id="clear-button")
                        council = gr.Dropdown(councils(), value=wording.ALL_COUNCILS, label=wording.COUNCIL_LABEL,
                                              info=wording.COUNCIL_INFO, elem_id="council", filterable=False)
                        with gr.Accordion(wording.EXAMPLES_HEADING, open=True, elem_id="examples"):
                            examples = [gr.Button(q, size="sm", elem_classes=["example"])
                                        for q in wording.EXAMPLE_QUESTIONS]
                        chatbot = gr.Chatbot(label=wording.CHAT_LABEL, show_label=False, elem_id="chat",
                                             height=None, autoscroll=False,
                                             placeholder=wording.CHAT_PLACEHOLDER, feedback_options=None,
                                             buttons=["copy"], allow_tags=False, layout="panel")
                        announcer = gr.HTML("", elem_id="announcer", elem_classes=["sr-only"])
                        last_answer = gr.State(None)
                        with gr.Accordion(wording.FEEDBACK_HEADING, open=False, elem_id="feedback"):
                            rating = gr.Radio(list(wording.FEEDBACK_CHOICES), label=wording.FEEDBACK_RATING,
                                              elem_id="feedback-rating")
                            comment = gr.Textbox(label=wording.FEEDBACK_COMMENT, elem_id="feedback-comment",
                                                 placeholder=wording.FEEDBACK_COMMENT_PLACEHOLDER, lines=2)
                            share = gr.Checkbox(label=wording.FEEDBACK_SHARE, value=False, elem_id="feedback-share")
                            send = gr.Button(wording.FEEDBACK_SEND, elem_id="feedback-send", size="md")
                            feedback_status = gr.HTML("", elem_id="feedback-status")
                    with gr.Column(scale=1, min_width=240):
                        with gr.Accordion(wording.GLOSSARY_HEADING, open=False, elem_id="glossary"):
                            glossary = gr.HTML(render.glossary(live.current.glossary.entries()))
                        with gr.Accordion(wording.SETTINGS_HEADING, open=False, elem_id="settings"):
                            backend = gr.Radio(list(BACKENDS), value=live.backend, label=wording.BACKEND_LABEL,
                                               info=wording.BACKEND_INFO, elem_id="backend")
                            backend_status = gr.HTML("", elem_id="backend-status")
                            visitor_backend = gr.State(None)  # this browser session's choice; None: the operator's
            with gr.Tab(wording.TAB_DOCUMENTS, id="documents"):
                gr.Markdown(wording.DOCUMENTS_INTRO)
                documents = gr.HTML(documents_table(), elem_id="documents-table")
                gr.Markdown(f"## {wording.STAFF_HEADING}")
                gr.HTML(f"<p>{gate.notice()}</p>", elem_id="staff-notice")
                with gr.Column(visible=not gate.read_only, elem_id="staff"):
                    password = gr.Textbox(label=wording.STAFF_PASSWORD_LABEL, type="password", elem_id="staff-password",
                                          visible=gate.needs_password)
                    choose = gr.UploadButton(wording.UPLOAD_BUTTON, file_types=list(UPLOAD_SUFFIXES),
                                             elem_id="upload-button")
                    chosen = gr.State(None)  # the chosen file, until it is indexed
                    with gr.Row():
                        upload_council = gr.Textbox(label=wording.UPLOAD_COUNCIL_LABEL, elem_id="upload-council")
                        upload_title = gr.Textbox(label=wording.UPLOAD_TITLE_LABEL, elem_id="upload-title")
                    replace = gr.Checkbox(label=wording.UPLOAD_REPLACE_LABEL, value=False, elem_id="upload-replace")
                    with gr.Row():
                        index_button = gr.Button(wording.UPLOAD_INDEX_BUTTON, variant="primary", elem_id="index-button")
                        cancel_button = gr.Button(wording.UPLOAD_CANCEL, elem_id="cancel-button")
                    upload_status = gr.HTML("", elem_id="upload-status")
                    remove_choice = gr.Dropdown([d.name for d in library.documents()], value=None,
                                                label=wording.REMOVE_LABEL, elem_id="remove-choice", filterable=False)
                    remove_button = gr.Button(wording.REMOVE_BUTTON, elem_id="remove-button")
                    remove_status = gr.HTML("", elem_id="remove-status")
            with gr.Tab(wording.TAB_EVALUATION, id="evaluation"):
                gr.Markdown(wording.EVAL_INTRO)
                with gr.Accordion(wording.EVAL_EXPLAIN_HEADING, open=True, elem_id="eval-explained"):
                    gr.HTML(metric_explanations())
                run = gr.Button(wording.EVAL_BUTTON, variant="primary", elem_id="eval-button")
                results = gr.HTML("", elem_id="eval-results")

        gr.api(ask_json, api_name="ask")
        reset = dict(fn=lambda: (None, "", False, ""), inputs=None, outputs=[rating, comment, share, feedback_status],
                     **PRIVATE)
        chat_io = dict(fn=respond, inputs=[question, chatbot, council, visitor_backend],
                       outputs=[question, chatbot, announcer, last_answer])
        ask.click(**chat_io, api_name="chat").then(**reset)
        question.submit(**chat_io, **PRIVATE).then(**reset)
        for button in examples:
            button.click(lambda q: q, inputs=button, outputs=question, queue=False, **PRIVATE).then(
                **chat_io, **PRIVATE).then(**reset)
        clear.click(lambda: ([], "", None), None, [chatbot, announcer, last_answer], queue=False, **PRIVATE).then(
            **reset)
        chatbot.clear(lambda: ("", None), None, [announcer, last_answer], queue=False, **PRIVATE).then(**reset)
        send.click(send_feedback, [last_answer, rating, comment, share], feedback_status, api_name="feedback")
        index_lists = [documents, council, glossary, remove_choice]
        choose.upload(inspect_upload, choose, [chosen, upload_council, upload_title, replace, upload_status], **PRIVATE)
        index_button.click(index_upload, [chosen, upload_council, upload_title, replace, password, council],
                           [upload_status, *index_lists], api_name="upload")
        cancel_button.click(cancel_upload, None, upload_status, queue=False, **PRIVATE)
        remove_button.click(remove_document, [remove_choice, password, council], [remove_status, *index_lists],
                            api_name="remove")
        page.load(lambda choice: refreshed(choice), council, index_lists, **PRIVATE)
        run.click(evaluate, None, results, api_name="evaluate")
        backend.input(switch_backend, [backend, visitor_backend], [backend, backend_status, visitor_backend], **PRIVATE)
    return page


def launch(page: gr.Blocks, host: str, port: int, concurrency: int = 4, **options) -> None:
    """Serve `page`; `concurrency` requests are worked on at once, the rest wait in Gradio's queue."""
    page.queue(default_concurrency_limit=concurrency).launch(
        server_name=host, server_port=port, show_error=False, theme=style.theme(), css=style.CSS, js=style.JS,
        ssr_mode=False, pwa=False, max_file_size="50mb",
        footer_links=["api", "gradio"], **options)
