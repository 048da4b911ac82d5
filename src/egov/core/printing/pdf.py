"""PDF primitives for the printable forms: an embedded font with Vietnamese glyphs (Noto
Sans, shipped as a Python package so a fresh machine needs nothing else) and a QR code."""

from __future__ import annotations

import importlib.resources
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
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
    # The renderer sets its initial font on the page even for a drawing without text; the
    # default (Helvetica) would be named in the page resources without being embedded.
    drawing.initialFontName = register_font()
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
    # The initial font is written into every page's resources, used or not: it must be one
    # we embed (reportlab's default, Helvetica, is only named).
    canvas = Canvas(buffer, pagesize=pagesize, initialFontName=register_font())
    canvas.setTitle(title)
    return canvas, buffer


def finish(canvas: Canvas, buffer: io.BytesIO) -> bytes:
    """Close the last page and the document; its bytes."""
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class Table:
    """A register-like table drawn row by row: ``columns`` are (title, width in mm), the text
    ``size`` points, wrapped to each column; a row that does not fit above ``bottom`` goes on
    a new page, under that page's header. Column titles are set 1 point apart, rows 2, and a
    rule closes each row."""

    columns: Sequence[tuple[str, float]]
    font: str
    size: float
    left: float
    right: float

    def _cells(self, texts: Sequence[str]) -> list[list[str]]:
        return [
            wrap(text, self.font, self.size, column_mm * mm - 2) or [""]
            for text, (_title, column_mm) in zip(texts, self.columns, strict=True)
        ]

    def _put(self, canvas: Canvas, cells: list[list[str]], y: float, leading: float) -> None:
        canvas.setFont(self.font, self.size)
        x = self.left
        for lines, (_title, column_mm) in zip(cells, self.columns, strict=True):
            for index, line in enumerate(lines):
                canvas.drawString(x, y - leading * index, line)
            x += column_mm * mm

    def draw_titles(self, canvas: Canvas, y: float) -> float:
        """Draw the column titles at ``y`` with a rule under them; the first row's ``y``."""
        cells = self._cells([title for title, _mm in self.columns])
        leading = self.size + 1
        self._put(canvas, cells, y, leading)
        y -= leading * max(len(lines) for lines in cells)
        canvas.line(self.left, y + self.size - 1, self.right, y + self.size - 1)
        return y - 2

    def draw_row(
        self,
        canvas: Canvas,
        texts: Sequence[str],
        y: float,
        *,
        bottom: float,
        header: Callable[[], float],
    ) -> float:
        """Draw one row at ``y`` (on a new page when it does not fit); the next row's ``y``."""
        cells = self._cells(texts)
        leading = self.size + 2
        row_height = leading * max(len(lines) for lines in cells)
        if y - row_height < bottom:
            canvas.showPage()
            y = header()
        self._put(canvas, cells, y, leading)
        y -= row_height + 3
        canvas.line(self.left, y + self.size - 1, self.right, y + self.size - 1)
        return y
