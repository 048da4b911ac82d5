"""Official documents (NĐ 30/2020/NĐ-CP): compose them as A4 PDFs, convert DOCX drafts, read
PDFs back, and give an uploaded draft the number and date fields the composer draws. Pure:
nothing here knows of the domain apps, which map their records onto ``OfficialDocument``."""

from __future__ import annotations

from egov.core.printing.official.blanks import Placement, PreparedDraft, prepare_for_numbering
from egov.core.printing.official.convert import (
    ConversionError,
    ConverterUnavailable,
    docx_to_pdf,
    is_docx,
    pdf_page_count,
    pdf_text,
)
from egov.core.printing.official.fonts import FontFamily, official_fonts
from egov.core.printing.official.form_fields import (
    DATE_FIELDS,
    FILL_FIELDS,
    NUMBER_FIELD,
    FieldSpot,
)
from egov.core.printing.official.layout import (
    CompositionError,
    compose_pdf,
    date_line,
    date_parts,
    number_text,
)
from egov.core.printing.official.model import (
    Box,
    Confidentiality,
    Delegation,
    DocumentKind,
    Heading,
    OfficialDocument,
    RenderedDocument,
    Signer,
    Urgency,
)

__all__ = [
    "DATE_FIELDS",
    "FILL_FIELDS",
    "NUMBER_FIELD",
    "Box",
    "CompositionError",
    "Confidentiality",
    "ConversionError",
    "ConverterUnavailable",
    "Delegation",
    "DocumentKind",
    "FieldSpot",
    "FontFamily",
    "Heading",
    "OfficialDocument",
    "Placement",
    "PreparedDraft",
    "RenderedDocument",
    "Signer",
    "Urgency",
    "date_line",
    "date_parts",
    "docx_to_pdf",
    "is_docx",
    "number_and_symbol",
    "number_text",
    "official_fonts",
    "pdf_page_count",
    "pdf_text",
    "prepare_for_numbering",
    "render",
]


def render(document: OfficialDocument) -> RenderedDocument:
    """The document as an A4 PDF with its signature, number and date boxes."""
    pdf, pages, boxes = compose_pdf(document)
    return RenderedDocument(
        pdf=pdf,
        page_count=pages,
        personal_signature=boxes["personal"],
        agency_seal=boxes["agency"],
        number=boxes["number"],
        date=boxes["date"],
    )


def number_and_symbol(number: int | None, symbol: str) -> str:
    """ "Số: 05/QĐ-UBND" as printed in ô 3 ("Số:      /QĐ-UBND" before numbering)."""
    digits = number_text(number) if number is not None else "     "
    return f"Số: {digits}/{symbol}"
