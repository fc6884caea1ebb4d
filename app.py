"""The web app (Gradio): ask a question, get a grounded answer and the passages it rests on.

A first, minimal page until the full chat UI lands: one question box, the answer with numbered
sources, and the top search hits. Everything is built here once and passed to the handlers.
"""

from __future__ import annotations

import html

from assistant import offline as _offline  # noqa: F401  (before gradio is imported)
from assistant.engine import Assistant
from assistant.errors import SendAssistantError
from assistant.settings import load_settings


def _render(assistant: Assistant, question: str) -> tuple[str, str]:
    try:
        answer = assistant.ask(question)
        hits = [] if answer.refusal_kind == "bad_input" else assistant.index.search(answer.question, 5)
    except SendAssistantError as exc:
        return f"**Sorry:** {exc}", ""
    sources = "\n".join(
        f"{c.marker}. **{html.escape(c.council)} — {html.escape(c.title)}**, {html.escape(c.section or 'no section')}"
        f"\n\n   > {html.escape(c.text)}" for c in answer.citations)
    body = html.escape(answer.answer) + (f"\n\n**Sources**\n\n{sources}" if sources else "")
    passages = "\n\n".join(f"**{h.chunk.council}** · {html.escape(h.chunk.section or h.chunk.title)}\n\n"
                           f"> {html.escape(h.chunk.text[:400])}" for h in hits)
    return body, passages


def build(assistant: Assistant):
    import gradio as gr

    with gr.Blocks(title="SEND Plans Assistant") as page:
        gr.Markdown("# SEND Plans Assistant\nAsk about the councils' SEND joint-commissioning plans. "
                    "Every answer shows the exact passage it comes from.")
        question = gr.Textbox(label="Your question", placeholder="Who leads the short-breaks review?")
        ask = gr.Button("Ask", variant="primary")
        answer = gr.Markdown(label="Answer", elem_id="answer")
        with gr.Accordion("Passages found", open=False):
            passages = gr.Markdown()
        ask.click(lambda q: _render(assistant, q), question, [answer, passages], api_name="ask")
        question.submit(lambda q: _render(assistant, q), question, [answer, passages])
    return page


def serve(host: str = "127.0.0.1", port: int = 7860) -> None:
    page = build(Assistant.from_settings(load_settings()))
    page.launch(server_name=host, server_port=port, show_error=False)


if __name__ == "__main__":
    serve()
