"""Which fonts a PDF names without embedding them (issue 13, point 15): such a font is drawn
with whatever the reader substitutes, which has no Vietnamese glyphs on many machines and is not
allowed in PDF/A."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _is_embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type3":  # glyphs drawn by the font's own procedures
        return True
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor.get_object() for k in FONT_FILES)


def _fonts_in(resources: Any, seen: set[int], found: dict[str, bool]) -> None:
    if not isinstance(resources, DictionaryObject) or id(resources) in seen:
        return
    seen.add(id(resources))
    fonts: Any = (resources.get("/Font") or DictionaryObject()).get_object()
    xobjects: Any = (resources.get("/XObject") or DictionaryObject()).get_object()
    for font in fonts.values():
        font = font.get_object()
        found[str(font.get("/BaseFont"))] = _is_embedded(font)
    for xobject in xobjects.values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            _fonts_in(xobject.get("/Resources", DictionaryObject()).get_object(), seen, found)


def fonts_of(data: bytes) -> dict[str, bool]:
    """Every font a PDF's pages and their annotations' appearances name, with whether it is
    embedded. The form's default resources (/AcroForm /DR) are not drawn: they name the font of
    a text field's default appearance, which reportlab only writes as one of the standard 14
    (see ``egov.core.printing.official.form_fields``)."""
    reader = PdfReader(io.BytesIO(data))
    found: dict[str, bool] = {}
    seen: set[int] = set()
    for page in reader.pages:
        _fonts_in(page.get("/Resources", DictionaryObject()).get_object(), seen, found)
        for annotation in page.get("/Annots") or []:
            appearance = annotation.get_object().get("/AP")
            if appearance is None:
                continue
            for state in appearance.get_object().values():
                state = state.get_object()
                is_stream = "/Resources" in state or "/Subtype" in state
                streams = [state] if is_stream else state.values()
                for stream in streams:
                    resources = stream.get_object().get("/Resources")
                    if resources is not None:
                        _fonts_in(resources.get_object(), seen, found)
    return found


def not_embedded(data: bytes) -> list[str]:
    return sorted(name for name, embedded in fonts_of(data).items() if not embedded)
