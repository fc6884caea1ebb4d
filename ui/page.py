"""The Gradio page: three tabs (Ask, Documents, Evaluation) wired to objects built in `app.py`.

API endpoints, named for `gradio_client`: "/ask" (question, history, council → the `ask --json`
object), "/chat" (the streamed chat), "/feedback", "/upload" and "/evaluate". Everything else is private,
including the backend switch in the "Settings" accordion, which applies to that browser session only
(the operator's `SEND_ASSISTANT_BACKEND` answers everyone else).
Accessibility: one polite live region announces each finished answer once (the chat log itself is
kept quiet so streaming is not read word by word), every control has a label and a visible focus ring.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from assistant.contract import AnswerJSON
from core.errors import SendAssistantError
from ui import render, style, wording
from ui.chat import Chat, council_of, history_for_ask
from ui.documents import UPLOAD_SUFFIXES, DocumentLibrary
from ui.evaluation import Evaluation
from ui.feedback import AnswerRef, FeedbackLog
from ui.live import BACKENDS

PRIVATE = {"api_visibility": "private"}


def build(chat: Chat, library: DocumentLibrary, feedback: FeedbackLog, evaluation: Evaluation) -> gr.Blocks:
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
        feedback.record(answer, rating, comment, share)
        return render.status(wording.FEEDBACK_THANKS, ok=True)

    def upload(file: str | None, choice: str, progress=gr.Progress()):
        if not file:
            return render.status(wording.UPLOAD_NO_FILE, ok=False), gr.update(), gr.update(), gr.update()
        result = library.add(Path(file), lambda fraction, message: progress(fraction, desc=message))
        names = councils()
        return (render.status(result.message, result.ok), documents_table(),
                gr.update(choices=names, value=choice if choice in names else wording.ALL_COUNCILS),
                render.glossary(live.current.glossary.entries()))

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
                add = gr.UploadButton(wording.UPLOAD_BUTTON, file_types=list(UPLOAD_SUFFIXES), variant="primary",
                                      elem_id="upload-button")
                upload_status = gr.HTML("", elem_id="upload-status")
            with gr.Tab(wording.TAB_EVALUATION, id="evaluation"):
                gr.Markdown(wording.EVAL_INTRO)
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
        add.upload(upload, [add, council], [upload_status, documents, council, glossary], api_name="upload")
        run.click(evaluate, None, results, api_name="evaluate")
        backend.input(switch_backend, [backend, visitor_backend], [backend, backend_status, visitor_backend], **PRIVATE)
    return page


def launch(page: gr.Blocks, host: str, port: int, **options) -> None:
    page.queue(default_concurrency_limit=4).launch(
        server_name=host, server_port=port, show_error=False, theme=style.theme(), css=style.CSS, js=style.JS,
        ssr_mode=False, pwa=False, max_file_size="50mb",
        footer_links=["api", "gradio"], **options)
