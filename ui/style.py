"""The page's look, kept small: Gradio's default theme with AA contrast, a few CSS rules, one script.

The script makes `#announcer` the polite live region that reads each finished answer once, and turns
off the chat log's own live region, which would otherwise read a streamed answer word group by group.
It also gives each chat message a plain-text accessible name (Gradio's holds the message's raw HTML),
brings each new question and the start of its answer into view, moves focus from a skip link to the
question box, and from a citation marker to its source card.
"""

from __future__ import annotations

import gradio as gr

CSS = """
.skip-link { position: absolute; left: 8px; top: -100px; z-index: 1000; padding: 0.5em 1em; background: #ffffff;
  color: #1d4ed8; border: 2px solid #1d4ed8; border-radius: 6px; font-weight: 700; }
.skip-link:focus { top: 8px; }
#skip { min-height: 0 !important; padding: 0 !important; margin: 0 !important; }
#chat { height: auto !important; max-height: none !important; }
#chat .bubble-wrap, #chat [role="log"] { height: auto !important; max-height: none !important;
  overflow: visible !important; }
#chat .message .prose { opacity: 1 !important; }
#chat a.marker, #chat a.to-question { font-weight: 700; color: #1d4ed8 !important; text-decoration: underline; }
.dark #chat a.marker, .dark #chat a.to-question { color: #93c5fd !important; }
.row-cells { display: grid; grid-template-columns: minmax(6em, max-content) 1fr; gap: 0.2em 0.75em; }
.row-cells dt { font-weight: 700; }
.row-cells dd { margin: 0; }
.context-table tr.cited-row td { background: #fde68a; color: #111827; }
.source-card.highlighted { outline: 3px solid #b45309; outline-offset: 2px; background: #fef3c7; color: #111827; }
.sr-only { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
:is(button, a, input, textarea, select, summary, [tabindex]):focus-visible {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px; }
.dark :is(button, a, input, textarea, select, summary, [tabindex]):focus-visible { outline-color: #93c5fd !important; }
.answer-text, .refusal-text, .source-quote, .context-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.sources-heading, .refusal-heading { font-weight: 700; margin: 0.75em 0 0.25em; }
.source-card { border: 1px solid #6b7280; border-radius: 8px; padding: 0.5em 0.75em; margin: 0.5em 0; }
.source-card p { margin: 0.2em 0; }
.source-marker { font-weight: 700; }
.source-quote { border-left: 4px solid #1d4ed8; margin: 0.4em 0; padding: 0.2em 0.75em; font-style: normal; }
.source-file code { display: inline; white-space: normal; overflow-wrap: anywhere; }
.source-card mark { background: #fde68a; color: #111827; }
.refusal { border-left: 6px solid #0369a1; background: #e0f2fe; color: #0c4a6e; padding: 0.5em 1em;
  border-radius: 6px; }
.dark .refusal { background: #0c4a6e; color: #e0f2fe; border-color: #7dd3fc; }
.refusal-heading { margin-top: 0; }
.caveat { border-left: 6px solid #0369a1; padding: 0.3em 0.75em; margin: 0 0 0.5em; }
.dark .caveat { border-color: #7dd3fc; }
.refusal-icon { display: inline-block; width: 1.3em; height: 1.3em; margin-right: 0.4em; border-radius: 50%;
  background: currentColor; text-align: center; line-height: 1.3em; font-style: normal; }
.refusal-icon::after { content: "i"; color: #e0f2fe; font-weight: 700; }
.dark .refusal-icon::after { color: #0c4a6e; }
.prose h2 { font-size: 1.25rem; }
.gradio-container .main.app { padding-left: clamp(8px, 2.5vw, 32px); padding-right: clamp(8px, 2.5vw, 32px); }
@media (max-width: 480px) {
  #chat .message-row { padding-left: 4px; padding-right: 4px; }
  .source-card { padding: 0.4em 0.5em; }
  .source-quote { padding: 0.2em 0.5em; }
}
#chat .answered-by { font-size: 0.85em; color: #374151 !important; margin: 0.3em 0 0; }
.dark #chat .answered-by { color: #e5e7eb !important; }
.checking-notes { font-size: 0.85em; margin: 0.2em 0; }
.checking-notes ul { margin: 0.2em 0 0 1.2em; }
.draft { border-left: 4px dashed #6b7280; padding: 0.3em 0.75em; }
.draft-heading { font-weight: 700; font-style: italic; margin: 0 0 0.25em; }
.draft-text { white-space: pre-wrap; overflow-wrap: anywhere; color: #374151; }
.dark .draft-text { color: #e5e7eb; }
.glossary dt { font-weight: 700; }
.glossary dd { margin: 0 0 0.5em 0; }
.ok { color: #166534; font-weight: 600; }
.error { color: #b91c1c; font-weight: 600; }
.dark .ok { color: #86efac; }
.dark .error { color: #fca5a5; }
.table-wrap { overflow-x: auto; }
.table-wrap table { border-collapse: collapse; width: 100%; }
.table-wrap th, .table-wrap td { border: 1px solid #9ca3af; padding: 0.3em 0.5em; text-align: left; }
.table-wrap td.num { text-align: right; }
.chart img { max-width: 100%; height: auto; }
"""
JS = """() => {
  const plain = (el) => (el.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 300);
  let asked = 0;
  const mark = () => {
    document.querySelectorAll('#chat [aria-label]').forEach(el => {
      const name = el.getAttribute('aria-label');
      if (name && /[<>]/.test(name)) el.setAttribute('aria-label', plain(el));
    });
    const questions = document.querySelectorAll('#chat [data-testid="user"]');
    if (questions.length > asked) questions[questions.length - 1].scrollIntoView({block: 'start'});
    asked = questions.length;
    document.querySelectorAll('#chat [role="log"][aria-live="polite"]')
      .forEach(el => el.setAttribute('aria-live', 'off'));
    const live = document.getElementById('announcer');
    if (live && live.getAttribute('aria-live') !== 'polite') {
      live.setAttribute('role', 'status');
      live.setAttribute('aria-live', 'polite');
      live.setAttribute('aria-atomic', 'true');
    }
  };
  new MutationObserver(mark).observe(document.body, {childList: true, subtree: true});
  mark();
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a.skip-link, a.marker, a.to-question');
    if (!link) return;
    event.preventDefault();
    const id = link.getAttribute('href').slice(1);
    if (id === 'question') {
      document.querySelector('#question textarea').focus();
      return;
    }
    const card = document.getElementById(id);
    if (!card) return;
    document.querySelectorAll('.source-card.highlighted').forEach(c => c.classList.remove('highlighted'));
    card.classList.add('highlighted');
    card.setAttribute('tabindex', '-1');
    card.scrollIntoView({block: 'start'});
    card.focus();
  }, true);
}"""


def theme() -> gr.themes.Base:
    """Gradio's default look with AA contrast: dark blue primary buttons and selected tab, darker hint text."""
    return gr.themes.Default(primary_hue="blue", font=("system-ui", "Arial", "sans-serif"),
                             font_mono=("ui-monospace", "DejaVu Sans Mono", "monospace")).set(
        button_primary_background_fill="#1d4ed8", button_primary_background_fill_hover="#1e40af",
        button_primary_background_fill_dark="#1d4ed8", button_primary_background_fill_hover_dark="#1e40af",
        button_primary_text_color="#ffffff", button_primary_text_color_dark="#ffffff",
        body_text_color_subdued="#4b5563", body_text_color_subdued_dark="#d1d5db",
        input_placeholder_color="#6b7280", input_placeholder_color_dark="#9ca3af",
        color_accent="#1d4ed8", color_accent_soft="#dbeafe")
