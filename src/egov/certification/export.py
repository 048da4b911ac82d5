"""The register of certified copies as an Excel workbook (openpyxl)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font

from egov.certification.models import CertificationEntry, EntryState
from egov.org.models import Unit

HEADERS = (
    "Số chứng thực",
    "Quyển số",
    "Ngày chứng thực",
    "Người yêu cầu chứng thực",
    "Số định danh / mã số thuế",
    "Tên giấy tờ, văn bản",
    "Số trang bản chính",
    "Số bản sao",
    "Phí (đồng)",
    "Người thực hiện chứng thực",
    "Mã hồ sơ",
    "Tình trạng",
)


def register_xlsx(unit: Unit, year: int, entries: Iterable[CertificationEntry]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"SCT {year}"
    sheet.append([f"Sổ chứng thực bản sao từ bản chính năm {year} — {unit.name}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(HEADERS))
    labels = dict(EntryState.choices)
    for entry in entries:
        sheet.append(
            [
                entry.number,
                entry.book,
                entry.certified_on,
                entry.requester_name,
                entry.requester_identifier,
                entry.title,
                entry.pages,
                entry.copies,
                entry.fee,
                entry.certifier.display_name,
                entry.dossier_code,
                str(labels[entry.state]),
            ]
        )
    widths = (16, 10, 14, 26, 16, 40, 10, 10, 12, 24, 28, 14)
    for column, width in zip("ABCDEFGHIJKL", widths, strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
