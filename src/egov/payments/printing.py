"""The citizen's receipt of an online payment (PDF, A5, embedded Vietnamese font).

It names the unit that collects the fee: the dossier's receiving unit — since 07/2025 in
Quảng Ninh a commune-level Trung tâm Phục vụ hành chính công, which has its own fee account
(rà soát pháp lý 12/2026 §7) — under its superior, as the one-stop forms' heading does."""

from __future__ import annotations

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from egov.core.formatting import thousands
from egov.core.printing.pdf import finish, new_document, register_font, wrap
from egov.dossiers.printing.header import agency_lines
from egov.payments.models import OnlinePayment
from egov.workdays.engine import VIETNAM_TZ

MARGIN = 12 * mm


def render_payment_receipt(payment: OnlinePayment) -> bytes:
    font = register_font()
    dossier = payment.dossier
    canvas, buffer = new_document(A5, title=f"Biên nhận thanh toán {payment.txn_ref}")
    width, height = A5
    y = height - MARGIN
    canvas.setFont(font, 8)
    unit = dossier.receiving_unit
    for name in agency_lines(unit):
        for part in wrap(name.upper(), font, 8, width - 2 * MARGIN):
            canvas.drawString(MARGIN, y, part)
            y -= 10
    y -= 12
    canvas.setFont(font, 11)
    canvas.drawCentredString(width / 2, y, "BIÊN NHẬN THANH TOÁN TRỰC TUYẾN")
    y -= 20
    canvas.setFont(font, 9)
    paid = payment.paid_at.astimezone(VIETNAM_TZ) if payment.paid_at else None
    lines = [
        f"Đơn vị thu phí, lệ phí: {unit.name}",
        f"Mã hồ sơ: {dossier.code}",
        f"Thủ tục: {dossier.procedure_version.name}",
        f"Người nộp hồ sơ: {dossier.applicant_name}",
        f"Nội dung: {payment.description}",
        f"Số tiền: {thousands(payment.amount)} đồng",
        f"Cổng thanh toán: VNPAY — mã giao dịch {payment.transaction_no}",
        f"Ngân hàng: {payment.bank_code or '—'}",
        f"Mã tham chiếu của hệ thống: {payment.txn_ref}",
        f"Thời điểm thanh toán: {paid:%H:%M:%S ngày %d/%m/%Y}" if paid else "",
        "Biên nhận này xác nhận hệ thống đã ghi nhận khoản thanh toán cho hồ sơ; biên lai thu "
        "phí, lệ phí theo quy định do cơ quan thu phát hành.",
    ]
    for text in filter(None, lines):
        for part in wrap(text, font, 9, width - 2 * MARGIN):
            canvas.drawString(MARGIN, y, part)
            y -= 13
    return finish(canvas, buffer)


def payment_receipt_filename(payment: OnlinePayment) -> str:
    return f"bien-lai-{payment.txn_ref}.pdf"
