"""Evaluation over any corpus: index the given folders in a scratch data dir, optionally as another file format.

`send-assistant eval --corpus DIR … --formats html,docx,pdf` answers the same questions from the same plans
published three ways. A web page becomes a Word file and a PDF as a council's own would: LibreOffice opens the
page as a document (headings become heading styles, tables keep ruled borders) and exports it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from core.errors import ConfigError
from core.settings import Settings
from ingest.manifest import plan_files

CONVERTIBLE = {".html", ".htm"}
_TABLE_TAG = re.compile(r"<table(?![^>]*\bborder=)", re.IGNORECASE)
def prepared_corpus(folders: list[Path], fmt: str, scratch: Path) -> list[Path]:
    """The plans of `folders`, web pages converted to `fmt` ("html" keeps them as they are)."""
    files = [path for folder in folders for path in plan_files(folder)]
    if fmt == "html":
        return files
    converted = scratch / f"as-{fmt}"
    converted.mkdir(parents=True, exist_ok=True)
    pages = [path for path in files if path.suffix.lower() in CONVERTIBLE]
    for page in pages:
        bordered = converted / page.name  # a PDF's tables are ruled; a web page's borders are in its stylesheet
        bordered.write_text(_TABLE_TAG.sub('<table border="1"', page.read_text(encoding="utf-8")), encoding="utf-8")
    _soffice(converted, [converted / page.name for page in pages], "docx:MS Word 2007 XML",
             infilter="HTML (StarWriter)")
    if fmt == "pdf":
        _soffice(converted, [converted / f"{page.stem}.docx" for page in pages], "pdf")
    return [path for path in files if path.suffix.lower() not in CONVERTIBLE] + \
        [converted / f"{page.stem}.{fmt}" for page in pages]


def _soffice(out: Path, inputs: list[Path], target: str, infilter: str | None = None) -> None:
    if not inputs:
        return
    if shutil.which("soffice") is None:
        raise ConfigError("Converting plans to DOCX or PDF needs LibreOffice (soffice); install "
                          "libreoffice-writer-nogui, or evaluate with --formats html.")
    with tempfile.TemporaryDirectory() as profile:
        command = ["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
                   *([f"--infilter={infilter}"] if infilter else []), "--convert-to", target, "--outdir", str(out),
                   *map(str, inputs)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    missing = [path.name for path in inputs if not (out / f"{path.stem}.{target.split(':')[0]}").is_file()]
    if result.returncode or missing:
        raise ConfigError(f"LibreOffice could not convert {', '.join(missing) or 'the plans'} to "
                          f"{target.split(':')[0]} ({result.stderr.strip()[:200]}).")


def scratch_settings(settings: Settings, scratch: Path) -> Settings:
    """The same settings over an index of its own, so an evaluation never touches the served index."""
    return settings.model_copy(update={"data_dir": scratch / "data"})
