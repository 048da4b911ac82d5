"""A scanned image (JPEG, PNG) as a one-page PDF at its real size: the digitised paper turned
into the PDF a digital signature can be put on (NĐ 30/2020/NĐ-CP, Phụ lục I, Phần II.I.2:
PDF 1.4 or later, 100 % scale; the image's own resolution is kept, 200 dpi assumed when the
file does not say)."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from egov.core.printing.pdf import register_font

ASSUMED_DPI = 200
# Decompression bombs: a scanned A3 page at 600 dpi has about 70 million pixels.
MAX_PIXELS = 120_000_000


class NotAnImage(ValueError):
    """The bytes are not a readable JPEG or PNG image."""


def image_to_pdf(data: bytes, *, title: str) -> bytes:
    """One page exactly the size of the image at its resolution, the image filling it."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise NotAnImage("image too large")
            image.load()
            dpi = image.info.get("dpi", (ASSUMED_DPI, ASSUMED_DPI))
            converted = image.convert("RGB") if image.mode not in ("RGB", "L") else image.copy()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise NotAnImage(str(exc)) from exc
    x_dpi = float(dpi[0]) or ASSUMED_DPI
    y_dpi = float(dpi[1]) or ASSUMED_DPI
    width = converted.width * 72 / x_dpi
    height = converted.height * 72 / y_dpi
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), initialFontName=register_font())
    canvas.setTitle(title)
    canvas.drawImage(ImageReader(converted), 0, 0, width=width, height=height)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
