"""The reconciliation report as an Excel workbook (openpyxl)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from egov.payments.models import PaymentStatus
from egov.payments.selectors import Reconciliation
from egov.workdays.engine import VIETNAM_TZ

HEADERS = (
    "Thời điểm tạo",
    "Mã hồ sơ",
    "Mã giao dịch hệ thống",
    "Mã giao dịch VNPAY",
    "Ngân hàng",
    "Số tiền (đồng)",
    "Trạng thái",
    "Mã kết quả",
    "Thanh toán lúc",
)


def reconciliation_xlsx(report: Reconciliation) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Doi soat"
    sheet.append(
        [f"Đối soát thanh toán trực tuyến từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y}"]
    )
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(HEADERS))
    labels = dict(PaymentStatus.choices)
    for payment in report.rows:
        sheet.append(
            [
                payment.created_at.astimezone(VIETNAM_TZ).replace(tzinfo=None),
                payment.dossier.code,
                payment.txn_ref,
                payment.transaction_no,
                payment.bank_code,
                payment.amount,
                str(labels[payment.status]),
                payment.response_code,
                payment.paid_at.astimezone(VIETNAM_TZ).replace(tzinfo=None)
                if payment.paid_at
                else None,
            ]
        )
    sheet.append([])
    for status, (count, amount) in report.totals.items():
        sheet.append([str(labels[status]), f"{count} giao dịch", None, None, None, amount])
    for column, width in zip("ABCDEFGHI", (18, 28, 24, 18, 10, 14, 16, 10, 18), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
