"""The serif family of official documents: Times New Roman metrics with every Vietnamese letter
(NĐ 30/2020/NĐ-CP, Phụ lục I, I.2: "phông chữ tiếng Việt ... Times New Roman").

Liberation Serif (SIL Open Font License 1.1, embedding and redistribution allowed) has the
metrics of Times New Roman and covers Vietnamese; Debian ships it as ``fonts-liberation2``.
``EGOV_OFFICIAL_FONT_DIR`` may point at another folder holding the four
LiberationSerif-{Regular,Bold,Italic,BoldItalic}.ttf files. Without them the composer falls back
to the bundled Noto Sans (a sans-serif with Vietnamese glyphs but a single cut, so bold and
italic print upright and regular) and logs a warning once: a machine without the system package
still prints readable documents, only not in the decree's typeface.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from egov.core.printing.pdf import register_font

logger = logging.getLogger(__name__)

FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/liberation-serif",  # Fedora/RHEL
)
STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
FAMILY = "OfficialSerif"


@dataclass(frozen=True, slots=True)
class FontFamily:
    """Registered reportlab font names of the four styles; ``synthetic`` when bold and italic
    have to be simulated (the fallback has one cut only)."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    synthetic: bool

    def style(self, *, bold: bool = False, italic: bool = False) -> str:
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        return self.italic if italic else self.regular


def font_dirs() -> tuple[str, ...]:
    configured = os.environ.get("EGOV_OFFICIAL_FONT_DIR", "").strip()
    return ((configured,) if configured else ()) + FONT_DIRS


def find_serif_files() -> dict[str, Path] | None:
    """The four Liberation Serif files from the first folder holding all of them."""
    for folder in font_dirs():
        files = {style: Path(folder) / f"LiberationSerif-{style}.ttf" for style in STYLES}
        if all(path.is_file() for path in files.values()):
            return files
    return None


@lru_cache(maxsize=1)
def official_fonts() -> FontFamily:
    """Liberation Serif when installed, else the fallback (with a warning)."""
    files = find_serif_files()
    if files is None:
        logger.warning(
            "Liberation Serif not found in %s; official documents fall back to Noto Sans "
            "(install fonts-liberation2 or set EGOV_OFFICIAL_FONT_DIR)",
            ", ".join(font_dirs()),
        )
        return fallback_fonts()
    return serif_fonts(files)


def fallback_fonts() -> FontFamily:
    name = register_font()
    return FontFamily(name, name, name, name, synthetic=True)


def serif_fonts(files: dict[str, Path]) -> FontFamily:
    names = {style: f"{FAMILY}-{style}" for style in STYLES}
    for style, path in files.items():
        pdfmetrics.registerFont(TTFont(names[style], str(path)))
    for bold, italic, style in (
        (0, 0, "Regular"),
        (1, 0, "Bold"),
        (0, 1, "Italic"),
        (1, 1, "BoldItalic"),
    ):
        addMapping(FAMILY, bold, italic, names[style])
    return FontFamily(
        names["Regular"], names["Bold"], names["Italic"], names["BoldItalic"], synthetic=False
    )
