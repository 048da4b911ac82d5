"""PDF primitives for the printable forms: an embedded font with Vietnamese glyphs (Noto
Sans, shipped as a Python package so a fresh machine needs nothing else) and a QR code."""

from __future__ import annotations

import importlib.resources
import io
from functools import lru_cache

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT = "NotoSans"


@lru_cache(maxsize=1)
def register_font() -> str:
    path = importlib.resources.files("fontpkg_noto_sans") / "files" / "NotoSans[wdth,wght].ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT


def draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(value)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap by measured width."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def new_document(pagesize: tuple[float, float], *, title: str) -> tuple[Canvas, io.BytesIO]:
    """A canvas of ``pagesize`` titled ``title``, writing into the returned buffer."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=pagesize)
    canvas.setTitle(title)
    return canvas, buffer


def finish(canvas: Canvas, buffer: io.BytesIO) -> bytes:
    """Close the last page and the document; its bytes."""
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
