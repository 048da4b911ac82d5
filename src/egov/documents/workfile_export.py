"""Export of a closed work file (Phụ lục VI, "Quản lý hồ sơ": to PDF and XML in
chronological order).

- ``work_file_pdf``: a cover, the index of documents (mục lục văn bản) with the sheet where
  each starts, then each document's latest PDF in chronological order. The bundle is a
  reading copy: the signatures of the documents are checked on their own files, which stay
  as they were.
- ``work_file_xml``: the file's Phụ lục VI Phần II.III fields (FileCode{OrganId,
  FileCatalog, FileNotation}, Title, Maintenance, Rights, Creator, Language, StartDate,
  EndDate, DocTotal, PageTotal, Description) and, per document, the Phần II.I/II fields by
  their tag names. Dates are written YYYY-MM-DD (10 characters; the format is chưa xác nhận).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from egov.core.printing.pdf import Table, finish, new_document, register_font, wrap
from egov.core.uploads import open_private
from egov.documents.catalogue import Urgency
from egov.documents.models import IncomingDocument, OutgoingDocument, WorkFile
from egov.documents.workfile_selectors import FiledDocument, file_documents
from egov.workdays.engine import VIETNAM_TZ

MARGIN = 20 * mm
# Priority (Phụ lục VI; edXML): 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc (chưa xác nhận).
PRIORITY = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.VERY_URGENT: 2, Urgency.FLASH: 3}
INDEX_COLUMNS = [
    ("STT", 10),
    ("Số, ký hiệu văn bản", 30),
    ("Ngày tháng văn bản", 22),
    ("Tác giả văn bản", 35),
    ("Tên loại và trích yếu nội dung", 50),
    ("Tờ số", 12),
    ("Ghi chú", 21),
]


@dataclass(frozen=True)
class _Part:
    filed: FiledDocument
    pdf: bytes | None
    pages: int


def _read(filed: FiledDocument) -> _Part:
    if filed.pdf is None or filed.pdf.content_type != "application/pdf":
        return _Part(filed, None, 0)
    with open_private(filed.pdf.key) as handle:
        data = handle.read()
    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except (PdfReadError, ValueError, KeyError, OSError):
        return _Part(filed, None, 0)
    return _Part(filed, data, pages)


def _date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _page_amount(part: _Part) -> int:
    if part.pages:
        return part.pages
    return part.filed.document.page_amount or 0


def _cover(file: WorkFile, parts: list[_Part]) -> bytes:
    font = register_font()
    canvas, buffer = new_document(A4, title=f"Hồ sơ {file.file_code}")
    width, height = A4
    y = height - MARGIN
    canvas.setFont(font, 11)
    canvas.drawString(MARGIN, y, file.catalogue.unit.name.upper())
    y -= 16
    canvas.setFont(font, 10)
    canvas.drawString(MARGIN, y, f"Mã hồ sơ: {file.file_code}")
    y = height / 2 + 80
    canvas.setFont(font, 22)
    canvas.drawCentredString(width / 2, y, "HỒ SƠ")
    y -= 34
    canvas.setFont(font, 13)
    for line in wrap(file.title, font, 13, width - 2 * MARGIN):
        canvas.drawCentredString(width / 2, y, line)
        y -= 18
    y -= 24
    canvas.setFont(font, 11)
    total_pages = sum(_page_amount(p) for p in parts)
    for label, value in (
        ("Số và ký hiệu hồ sơ", file.notation),
        ("Từ ngày", _date(file.start_date)),
        ("Đến ngày", _date(file.end_date)),
        ("Thời hạn bảo quản", file.maintenance),
        ("Người lập", file.owner.display_name),
        ("Số lượng văn bản", str(len(parts))),
        ("Số lượng tờ", str(total_pages)),
    ):
        canvas.drawString(MARGIN + 40 * mm, y, f"{label}: {value}")
        y -= 17
    return finish(canvas, buffer)


def _index(file: WorkFile, parts: list[_Part], first_sheet: int) -> bytes:
    font = register_font()
    canvas, buffer = new_document(A4, title=f"Mục lục văn bản {file.file_code}")
    width, height = A4
    left = 12 * mm
    table = Table(INDEX_COLUMNS, font=font, size=8, left=left, right=width - left)

    def header() -> float:
        y: float = float(height - MARGIN)
        canvas.setFont(font, 13)
        canvas.drawCentredString(width / 2, y, "MỤC LỤC VĂN BẢN")
        y -= 16
        canvas.setFont(font, 9)
        canvas.drawCentredString(width / 2, y, f"Hồ sơ {file.file_code}: {file.title}"[:120])
        y -= 20
        return table.draw_titles(canvas, y)

    y = header()
    sheet = first_sheet
    for number, part in enumerate(parts, start=1):
        filed = part.filed
        note = "" if part.pdf is not None else "Không có tệp"
        cells = [
            str(number),
            filed.number,
            _date(filed.day),
            filed.organ_name,
            f"{filed.type_name}: {filed.subject}" if filed.type_name else filed.subject,
            str(sheet) if part.pdf is not None else "",
            note,
        ]
        sheet += part.pages
        y = table.draw_row(canvas, cells, y, bottom=MARGIN, header=header)
    return finish(canvas, buffer)


def _parts(file: WorkFile) -> list[_Part]:
    return [_read(filed) for filed in file_documents(file)]


def work_file_pdf(file: WorkFile) -> bytes:
    """Cover + mục lục văn bản + each document's PDF, in chronological order."""
    parts = _parts(file)
    cover = _cover(file, parts)
    # Sheet 1 is the cover, the index follows; the documents start after the whole index.
    index = _index(file, parts, first_sheet=3)
    index_pages = len(PdfReader(io.BytesIO(index)).pages)
    if index_pages > 1:
        index = _index(file, parts, first_sheet=2 + index_pages)
    writer = PdfWriter()
    for data in (cover, index, *(p.pdf for p in parts if p.pdf is not None)):
        assert data is not None
        writer.append(PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Title": f"Hồ sơ {file.file_code}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- XML ---------------------------------------------------------------------------------


def _text(parent: ET.Element, tag: str, value: object) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = "" if value is None else str(value)
    return element


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _file_code(parent: ET.Element, file: WorkFile) -> None:
    code = ET.SubElement(parent, "FileCode")
    _text(code, "OrganId", file.organ_id)
    _text(code, "FileCatalog", file.year)
    _text(code, "FileNotation", file.notation)


def _document(parent: ET.Element, file: WorkFile, part: _Part) -> None:
    filed = part.filed
    document = filed.document
    element = ET.SubElement(
        parent, "Document", {"direction": "incoming" if filed.direction == "in" else "outgoing"}
    )
    _file_code(element, file)
    _text(element, "DocOrdinal", filed.link.doc_ordinal)
    _text(element, "TypeName", filed.type_name)
    if isinstance(document, IncomingDocument):
        _text(element, "CodeNumber", document.code_number)
    else:
        _text(element, "CodeNumber", f"{document.code_number:02d}" if document.code_number else "")
    _text(element, "CodeNotation", document.code_notation)
    _text(element, "IssuedDate", _iso(document.issued_date))
    _text(element, "OrganName", filed.organ_name)
    _text(element, "Subject", document.subject)
    _text(element, "Language", document.language)
    _text(element, "PageAmount", _page_amount(part))
    _text(element, "Description", document.description)
    if isinstance(document, IncomingDocument):
        _text(element, "ArrivalDate", _iso(document.arrival_date.astimezone(VIETNAM_TZ).date()))
        _text(element, "ArrivalNumber", document.arrival_number or "")
    signer = ET.SubElement(element, "SignerInfo")
    _text(signer, "Position", document.signer_position)
    _text(signer, "FullName", document.signer_full_name)
    if isinstance(document, OutgoingDocument):
        for recipient in document.recipients.all():
            to = ET.SubElement(element, "To")
            _text(to, "OrganId", recipient.organ_id)
            _text(to, "OrganName", recipient.name)
    _text(element, "Priority", PRIORITY.get(Urgency(document.urgency), 0))
    if isinstance(document, OutgoingDocument):
        _text(element, "IssuedAmount", document.issued_amount or "")
    else:
        _text(element, "ToPlaces", document.to_places)
    _text(element, "DueDate", _iso(document.due_date))


def work_file_xml(file: WorkFile) -> bytes:
    """The file's index as XML with the Phụ lục VI tag names (UTF-8)."""
    parts = _parts(file)
    root = ET.Element("File")
    _file_code(root, file)
    _text(root, "Title", file.title)
    _text(root, "Maintenance", file.maintenance)
    _text(root, "Rights", file.rights)
    _text(root, "Creator", file.owner.display_name[:30])
    _text(root, "Language", file.language)
    _text(root, "StartDate", _iso(file.start_date))
    _text(root, "EndDate", _iso(file.end_date))
    _text(root, "DocTotal", len(parts))
    _text(root, "PageTotal", sum(_page_amount(p) for p in parts))
    _text(root, "Description", file.description)
    documents = ET.SubElement(root, "Documents")
    for part in parts:
        _document(documents, file, part)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def export_filename(file: WorkFile, extension: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in ".-" else "-" for ch in file.file_code)
    return f"ho-so-{safe}.{extension}"
