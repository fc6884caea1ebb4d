"""PDFs written byte by byte for tests that need what an office export cannot be asked for: text drawn in
render mode 3 (invisible), in white, or too small to read, beside ordinary text, and as many pages as asked."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """One line of text on a page: `render` 3 draws nothing, `grey` 1.0 is white, `size` is in points."""

    text: str
    size: float = 11.0
    render: int = 0
    grey: float = 0.0
    behind: str = ""  # "box": a dark filled rectangle under the line; "image": a (one-pixel, stretched) image
    y: float | None = None  # where on the page (points from the bottom); None: the next line down


def pdf_bytes(pages: list[list[Run]]) -> bytes:
    """A valid PDF (Helvetica, A4) with each page's runs drawn top to bottom."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for runs in pages:
        lines = []
        for number, run in enumerate(runs):
            escaped = run.text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            y = 700 - 18 * number if run.y is None else run.y
            if run.behind == "box":
                lines.append(f"0.2 g 70 {y - 3} 400 15 re f")
            elif run.behind == "image":
                lines.append(f"q 400 0 0 15 70 {y - 3} cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q")
            lines.append(f"BT /F1 {run.size} Tf {run.render} Tr {run.grey} g 72 {y} Td ({escaped}) Tj ET")
        stream = "\n".join(lines).encode("latin-1")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode('latin-1')}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {len(objects)} 0 R "
                       "/Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{content}\nendobj\n".encode("latin-1")
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body
