"""How signatures look on the page (NĐ 30/2020/NĐ-CP, Phụ lục I, II.8, III.1.d; Phần II.I.3).

- person: the handwritten-signature image, blue, PNG with a transparent background;
- agency: the seal image, red, real size, transparent, overlapping about the left third of the
  person's signature image;
- attachments and electronic copies: no image; a text box at the top right of page 1 (số/ký hiệu
  or the copy form, the agency, the signing time in ISO 8601 with the Vietnam offset), Times
  New Roman 10 pt, regular, black.

The demonstration images are drawn here (never a real person's signature or seal).
"""

from __future__ import annotations

import io
import math
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw

# Times New Roman metrics: Liberation Serif (Debian fonts-liberation2) is metric-compatible.
LIBERATION_SERIF = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
STAMP_FONT_SIZE = 10
BLUE = (20, 40, 160, 255)
RED = (200, 20, 20, 255)


def stamp_font_path() -> Path:
    """Liberation Serif when installed; else the Noto Sans that ``egov.core.printing`` ships
    (not Times-metric: a deployment without fonts-liberation2 gets a wider box)."""
    if LIBERATION_SERIF.exists():
        return LIBERATION_SERIF
    import importlib.resources

    path = importlib.resources.files("fontpkg_noto_sans") / "files" / "NotoSans[wdth,wght].ttf"
    return Path(str(path))


@cache
def demo_signature_png() -> bytes:
    """A blue scribble on a transparent background (demonstration only)."""
    width, height = 600, 240
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = []
    for step in range(0, 401):
        t = step / 400
        x = 40 + 520 * t
        y = 130 - 60 * math.sin(t * 5 * math.pi) * (1 - t * 0.6) - 20 * math.sin(t * 17)
        points.append((x, y))
    draw.line(points, fill=BLUE, width=9, joint="curve")
    draw.line([(80, 190), (540, 170)], fill=BLUE, width=6)
    return _png(image)


@cache
def demo_seal_png() -> bytes:
    """A red round seal on a transparent background (demonstration only)."""
    size = 480
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), outline=RED, width=16)
    draw.ellipse((60, 60, size - 60, size - 60), outline=RED, width=6)
    centre = size / 2
    # A five-pointed star in the middle, as on Vietnamese state seals.
    star = []
    for index in range(10):
        radius = 90 if index % 2 == 0 else 36
        angle = -math.pi / 2 + index * math.pi / 5
        star.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    draw.polygon(star, fill=RED)
    for index in range(24):
        angle = index * 2 * math.pi / 24
        x, y = centre + 190 * math.cos(angle), centre + 190 * math.sin(angle)
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=RED)
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
