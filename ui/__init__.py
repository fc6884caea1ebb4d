"""The web app's parts: wording, HTML rendering, chat streaming, feedback, documents, evaluation, look, layout.

`app.py` builds the objects (assistant, feedback log, document library, evaluation) once and
`ui.page.build` lays them out in Gradio; every module except `page` and `style` works without Gradio
and is tested without a browser (tests/test_app.py); tests/test_ui_browser.py drives the real page.
"""
