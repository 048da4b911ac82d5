"""Generated scans for the scan-quality tests: a page of dark text-like strokes on paper, at a
chosen resolution and colour mode, sharp or Gaussian-blurred, as an image or inside a PDF."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

# A6 (105 × 148 mm) keeps the images small; resolution is judged against the page size.
A6_INCHES = (105 / 25.4, 148 / 25.4)


def page_image(
    dpi: int,
    *,
    mode: str = "RGB",
    blur: float = 0.0,
    inches: tuple[float, float] = A6_INCHES,
    blank: bool = False,
) -> Image.Image:
    """A page of ``inches`` at ``dpi``: lines of word-like strokes 1/30 inch high (about an
    8-point font), in ``mode`` (RGB, L or 1), blurred with a Gaussian of radius ``blur`` points
    (1/72 inch, so the blur is the same on paper at every resolution)."""
    width, height = round(inches[0] * dpi), round(inches[1] * dpi)
    image = Image.new("RGB", (width, height), (246, 244, 238))
    if not blank:
        draw = ImageDraw.Draw(image)
        rng = random.Random(16)
        unit = dpi / 30
        y = dpi * 0.5
        while y < height - dpi * 0.5:
            x = dpi * 0.5
            while x < width - dpi * 0.5:
                word = rng.randint(2, 7) * unit * 0.6
                for stroke in range(int(word / (unit * 0.3))):
                    sx = x + stroke * unit * 0.3
                    draw.line((sx, y, sx, y + unit), fill=(20, 24, 60), width=max(1, dpi // 150))
                draw.line((x, y + unit, x + word, y + unit), fill=(20, 24, 60), width=1)
                x += word + unit
            y += unit * 2
        draw.rectangle(
            (dpi * 0.5, height - dpi * 0.9, dpi * 1.5, height - dpi * 0.6),
            outline=(180, 20, 20),
            width=max(1, dpi // 100),
        )
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur * dpi / 72))
    return image.convert(mode) if mode != "RGB" else image


def png(image: Image.Image, dpi: int | None = None) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return out.getvalue()


def jpeg(image: Image.Image, dpi: int | None = None) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, **({"dpi": (dpi, dpi)} if dpi else {}))
    return out.getvalue()


def tiff(image: Image.Image, dpi: int | None = None) -> bytes:
    out = io.BytesIO()
    image.save(out, "TIFF", **({"dpi": (dpi, dpi)} if dpi else {}))
    return out.getvalue()


def scanned_pdf(*pages: tuple[Image.Image, int]) -> bytes:
    """A PDF whose pages are the images, each page sized by its image at the given dpi."""
    out = io.BytesIO()
    first, dpi = pages[0]
    rest = [page for page, _ in pages[1:]]
    # Pillow sizes every page by one resolution; the tests give all pages the same dpi.
    assert all(d == dpi for _, d in pages)
    first.save(out, "PDF", resolution=dpi, save_all=True, append_images=rest)
    return out.getvalue()


def document_pdf() -> bytes:
    """A valid one-page born-digital PDF with no image: not a scan, so it passes the rules."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def good_scan_png() -> bytes:
    """A sharp colour A6 page at 200 dpi: passes the rules."""
    return png(page_image(200), 200)
