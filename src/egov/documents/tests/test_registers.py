"""Phụ lục IV registers: the exact columns and row values, in Excel and in the PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from egov.documents.models import OutgoingDocument
from egov.documents.register_export import register_pdf, register_xlsx
from egov.documents.registers import (
    RegisterKind,
    incoming_register_rows,
    outgoing_register,
    register_for,
    tracking_register,
)
from egov.documents.services.incoming import incoming_link_reply
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import issued, received, text_pdf

pytestmark = pytest.mark.django_db

OUTGOING_COLUMNS = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
INCOMING_COLUMNS = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
TRACKING_COLUMNS = [
    "Số đến",
    "Tên loại, số, ký hiệu, ngày tháng văn bản, cơ quan ban hành văn bản",
    "Đơn vị hoặc người nhận",
    "Thời hạn giải quyết",
    "Tiến độ giải quyết",
    "Số, ký hiệu văn bản trả lời",
    "Ghi chú",
]
DAY = dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội, a Tuesday


def _outgoing(province: Province) -> OutgoingDocument:
    return issued(province, subject="Về việc khen thưởng", issued_date=dt.date(2026, 3, 10))


def test_outgoing_register_rows_and_excel(province: Province) -> None:
    with time_machine.travel(DAY, tick=False):
        _outgoing(province)
        issued(province, subject="Ngoài kỳ", issued_date=dt.date(2026, 4, 1))
    register = outgoing_register(
        agency=province.agency, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    assert register.columns == OUTGOING_COLUMNS
    assert register.rows == [
        [
            "01/QĐ-UBND",
            "10/03/2026",
            "Quyết định (cá biệt): Về việc khen thưởng",
            "Lê Văn Dũng",
            "Sở Nội vụ tỉnh Thử; Báo Quảng Ninh",
            "VT, VX",
            "2",
            "10/03/2026",
            "",
            "",
        ]
    ]
    sheet = load_workbook(io.BytesIO(register_xlsx(register))).active
    rows = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Ủy ban nhân dân tỉnh Thử"
    assert rows[1][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    assert rows[2][0] == "Từ ngày 01/03/2026 đến ngày 31/03/2026"
    assert rows[4] == OUTGOING_COLUMNS
    assert rows[5] == register.rows[0]
    assert len(rows) == 6
    assert all(cell.font.bold for cell in sheet[5])
    assert sheet.column_dimensions["C"].width == 33


def test_incoming_and_tracking_registers(province: Province) -> None:
    with time_machine.travel(DAY, tick=False):
        document = received(
            province,
            subject="Về việc báo cáo tình hình",
            issued_date=dt.date(2026, 3, 6),
            file=text_pdf("x"),
            code_number="45",
            urgency="urgent",
        )
        reply = _outgoing(province)
        incoming_link_reply(actor=province.vx_leader, document=document, reply=reply)
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    register = incoming_register_rows(agency=province.agency, start=start, end=end)
    assert register.columns == INCOMING_COLUMNS
    assert register.rows == [
        [
            "10/03/2026",
            "1",
            "Bộ Nội vụ",
            "45/BNV-VP",
            "06/03/2026",
            "Công văn: Về việc báo cáo tình hình",
            "Phòng Văn hóa - Xã hội – Chủ trì",
            "10/03/2026",
            "",
            "Khẩn",
        ]
    ]
    with time_machine.travel(DAY + dt.timedelta(days=1), tick=False):
        tracking = tracking_register(agency=province.agency, start=start, end=end)
    assert tracking.columns == TRACKING_COLUMNS
    assert tracking.rows == [
        [
            "1",
            "Công văn, số 45/BNV-VP, ngày 06/03/2026, Bộ Nội vụ",
            "Phòng Văn hóa - Xã hội – Chủ trì",
            "17/03/2026",  # 5 working days after Tuesday 10 March
            "Đã phân công",
            "01/QĐ-UBND",
            "Khẩn",
        ]
    ]
    # Another period: nothing.
    empty = register_for(
        RegisterKind.INCOMING, agency=province.agency, start=end, end=dt.date(2026, 4, 30)
    )
    assert empty.rows == []


def test_register_pdf_is_landscape_with_title_columns_rows_and_page_numbers(
    province: Province,
) -> None:
    with time_machine.travel(DAY, tick=False):
        for index in range(40):  # enough rows for a second page
            received(province, subject=f"Văn bản thứ {index + 1}", code_number=str(index + 1))
    register = incoming_register_rows(
        agency=province.agency, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    reader = PdfReader(io.BytesIO(register_pdf(register)))
    assert len(reader.pages) >= 2
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    text = " ".join(p.extract_text() for p in reader.pages)
    flat = " ".join(text.split())
    for needle in (
        "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
        "ỦY BAN NHÂN DÂN TỈNH THỬ",
        "Từ ngày 01/03/2026 đến ngày 31/03/2026",
        "Ngày đến",
        "Số đến",
        "Tác giả",
        "Ký nhận",
        "Văn bản thứ 1",
        "Văn bản thứ 40",
        "Trang 1",
        f"Trang {len(reader.pages)}",
    ):
        assert needle in flat, needle
