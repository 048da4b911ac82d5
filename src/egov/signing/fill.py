"""Filling the empty text fields of a signed PDF without breaking its signatures.

The official-document composer leaves the number and the date of a document as empty form
fields ("so", "ngay", "thang", "nam"), because the văn thư gives them only after the competent
person has signed (NĐ 30/2020/NĐ-CP, Điều 15). Writing new text into the page would change the
signed content; filling form fields in an incremental update is what an approval signature
allows (ISO 32000-2, 12.8.2.2; pyHanko's difference analysis reports it as form filling), so the
person's signature stays valid and the agency's signature then covers the filled values.

Each filled field gets its value (``/V``) and an appearance drawn with reportlab in the
official font (embedded), imported as a form XObject.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from egov.core.printing.official import official_fonts
from egov.core.printing.official.form_fields import acro_form, text_field_names
from egov.signing.services import SigningError


def form_field_names(data: bytes) -> list[str]:
    """The names of the text fields of ``data`` (empty when it has no form or is no PDF)."""
    return text_field_names(data)


def _appearance(text: str, width: float, height: float, *, italic: bool, size: float) -> bytes:
    fonts = official_fonts()
    font = fonts.italic if italic else fonts.regular
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), initialFontName=font, initialFontSize=size)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(font, size)
    text_width = stringWidth(text, font, size)
    baseline = 0.25 * size
    if text_width > width:
        # A narrow gap of an uploaded draft (a few spaces after "Số:"): smaller, not over the
        # "/" that follows (as a text field's automatic size does).
        size = size * width / text_width
        text_width = width
        canvas.setFont(font, size)
    canvas.drawString(max(0.0, (width - text_width) / 2), baseline, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def fill_text_fields(
    data: bytes,
    values: Mapping[str, str],
    *,
    size: float = 13.0,
    italic: frozenset[str] = frozenset(),
    sizes: Mapping[str, float] | None = None,
) -> bytes:
    """``data`` with the text fields named in ``values`` filled, as one incremental update.
    Fields named in ``italic`` are drawn in italics; ``sizes`` overrides ``size`` per field.
    Raises ``SigningError`` (translated) when the PDF is damaged or a named field does not
    exist."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        form = acro_form(writer.root)
        fields = form["/Fields"] if form is not None and "/Fields" in form else []
        found: set[str] = set()
        for ref in fields:
            field = ref.get_object()
            if not isinstance(ref, generic.IndirectObject):
                continue
            name = str(field.get("/T"))
            if name not in values or field.get("/FT") != "/Tx":
                continue
            x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
            width, height = abs(x2 - x1), abs(y2 - y1)
            text = values[name]
            font_size = (sizes or {}).get(name, size)
            page = _appearance(text, width, height, italic=name in italic, size=font_size)
            xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(page)), page_ix=0)
            field["/V"] = generic.pdf_string(text)
            field["/AP"] = generic.DictionaryObject({generic.NameObject("/N"): xobject})
            writer.mark_update(ref)
            found.add(name)
        if form is not None and "/NeedAppearances" in form:
            del form["/NeedAppearances"]
            form_ref = writer.root.raw_get("/AcroForm")
            if isinstance(form_ref, generic.IndirectObject):
                writer.mark_update(form_ref)
            else:
                writer.update_root()
        missing = set(values) - found
        if missing:
            raise SigningError(_("Văn bản không có ô để điền: %s.") % ", ".join(sorted(missing)))
        output = io.BytesIO()
        writer.write(output)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise SigningError(_("Tài liệu PDF bị hỏng, không điền được số và ngày.")) from exc
    return output.getvalue()
