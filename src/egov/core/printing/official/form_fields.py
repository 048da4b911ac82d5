"""The empty form fields an official document carries where its number and date are written
after signing, for the composer's own PDFs and for uploaded ones.

The number and the date are given after the document is signed (NĐ 30/2020/NĐ-CP, Điều 15
and Phụ lục I, II.3-4): the gaps carry empty text fields, filled by the văn thư in a later
incremental update (form filling keeps the personal signature valid, unlike new page content).
Names: "so" (the number digits), "ngay", "thang", "nam". The same names are allowed to change
after the first signature: egov.signing.fields.

Both the composer (``layout``) and ``add_empty_fields`` draw a field with ``draw_empty_field``;
for an uploaded PDF the fields are drawn on a blank page of the same size and their widgets
are copied onto the file's page in an incremental update, so the uploaded bytes stay as they
were, followed by the fields.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.pdfbase.acroform import PDFFromString
from reportlab.pdfgen.canvas import Canvas

NUMBER_FIELD = "so"  # the digits of "Số: 12/QĐ-UBND" (ô 3)
DATE_FIELDS = ("ngay", "thang", "nam")  # day, month and year of the date line (ô 4)
FILL_FIELDS = (NUMBER_FIELD, *DATE_FIELDS)


class FormFieldError(ValueError):
    """The PDF could not take the fields (damaged, encrypted, or oddly built)."""


@dataclass(frozen=True, slots=True)
class FieldSpot:
    """A field's rectangle in default user space (left, bottom, width, height) and the text
    it will hold: the font size and whether it is italic (the date line is)."""

    name: str
    x: float
    y: float
    width: float
    height: float
    size: float
    italic: bool = False


def draw_empty_field(canvas: Canvas, spot: FieldSpot) -> None:
    """An invisible, borderless text field; its appearance is drawn when it is filled. Its
    default appearance names the size the value is meant to have; the face is always
    Times-Roman, because reportlab writes one /Font entry per face into the form's resources
    (two faces would give a dictionary with a duplicate key). Whether a value is italic is
    known to the filler (``egov.signing.fill``) from its caller."""
    form = canvas.acroForm
    # reportlab lists the field's font in the resources of its appearance, which for an empty
    # field draws no text: the font is dropped there so that no page names a font it does not
    # embed (reportlab's form fonts are the standard 14, never embedded). The form's default
    # resources (/DR) keep it for the default appearance (/DA) a text field must have.
    text_appearance = form.txAP

    def appearance_without_font(*args: Any, **kwargs: Any) -> Any:
        stream = text_appearance(*args, **kwargs)
        stream.dictionary["Resources"] = PDFFromString("<< /ProcSet [/PDF] >>")
        return stream

    form.txAP = appearance_without_font
    try:
        _text_field(form, spot)
    finally:
        del form.txAP


def _text_field(form: Any, spot: FieldSpot) -> None:
    form.textfield(
        name=spot.name,
        value="",
        x=spot.x,
        y=spot.y,
        width=spot.width,
        height=spot.height,
        borderWidth=0,
        borderStyle="solid",
        borderColor=None,
        fillColor=None,
        forceBorder=False,
        fontName="Times-Roman",
        fontSize=spot.size,
        relative=False,
    )


def acro_form(root: generic.DictionaryObject) -> generic.DictionaryObject | None:
    """The document's interactive form (dereferenced), or None."""
    try:
        form = root["/AcroForm"]
    except KeyError:
        return None
    return form if isinstance(form, generic.DictionaryObject) else None


def text_field_names(data: bytes) -> list[str]:
    """The names of the text fields of ``data`` (empty when it has no form or is no PDF)."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        form = acro_form(reader.root)
        fields = form["/Fields"] if form is not None and "/Fields" in form else []
        return [
            str(field.get_object().get("/T"))
            for field in fields
            if field.get_object().get("/FT") == "/Tx"
        ]
    except Exception:
        # Untrusted uploads break pyHanko's reader in many ways: no readable form, no fields.
        return []


def _page_size(reader: PdfFileReader, page_index: int) -> tuple[float, float]:
    page, _ = reader.find_page_for_modification(page_index)
    x1, y1, x2, y2 = (float(v) for v in page.get_object()["/MediaBox"])
    return abs(x2 - x1), abs(y2 - y1)


def _overlay(spots: Sequence[FieldSpot], size: tuple[float, float]) -> PdfFileReader:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size)
    for spot in spots:
        draw_empty_field(canvas, spot)
    canvas.showPage()
    canvas.save()
    reader = PdfFileReader(io.BytesIO(buffer.getvalue()))
    for ref in reader.root["/AcroForm"]["/Fields"]:
        # The widgets join another page: their link to the blank one is dropped before copying.
        del ref.get_object()["/P"]
    return reader


def add_empty_fields(data: bytes, spots: Sequence[FieldSpot], *, page_index: int = 0) -> bytes:
    """``data`` with empty text fields at ``spots`` on page ``page_index``, as one
    incremental update. Raises FormFieldError when the file cannot take them (damaged,
    encrypted, already signed, or a field of that name exists)."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        if writer.prev.encrypted or writer.prev.embedded_signatures:
            raise FormFieldError("encrypted or signed")
        existing = set(text_field_names(data))
        if existing & {spot.name for spot in spots}:
            raise FormFieldError("field exists")
        overlay = _overlay(spots, _page_size(writer.prev, page_index))
        copied = writer.import_object(overlay.root.raw_get("/AcroForm"))
        new_form = copied.get_object()
        page_ref, _ = writer.find_page_for_modification(page_index)
        page = page_ref.get_object()
        for ref in new_form["/Fields"]:
            ref.get_object()["/P"] = page_ref
        _append(writer, page, "/Annots", new_form["/Fields"])
        writer.update_container(page)
        form = acro_form(writer.root)
        if form is None:
            writer.root["/AcroForm"] = copied
            writer.update_root()
        else:
            _append(writer, form, "/Fields", new_form["/Fields"])
            resources = form.setdefault("/DR", generic.DictionaryObject()).get_object()
            fonts = resources.setdefault("/Font", generic.DictionaryObject()).get_object()
            for name, font in new_form["/DR"]["/Font"].items():
                fonts.setdefault(name, font)
            writer.update_container(fonts)
            writer.update_container(resources)
            writer.update_container(form)
        output = io.BytesIO()
        writer.write(output)
    except FormFieldError:
        raise
    except Exception as exc:
        # As in ``text_field_names``: a file pyHanko cannot update is kept as it is.
        raise FormFieldError(type(exc).__name__) from exc
    return output.getvalue()


def _append(
    writer: IncrementalPdfFileWriter,
    holder: generic.DictionaryObject,
    key: str,
    items: Sequence[generic.PdfObject],
) -> None:
    """Add ``items`` to the array ``holder[key]`` (created when missing)."""
    if key not in holder:
        holder[key] = generic.ArrayObject()
    array = holder[key]
    array.extend(items)
    writer.update_container(array)
