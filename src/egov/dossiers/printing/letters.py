"""Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả (A5), and Mẫu 06 — Sổ theo dõi hồ sơ
(A4 landscape), TT 01/2018/TT-VPCP, from the dossier rows and their events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm

from egov.core.printing.pdf import Table, finish, new_document, register_font, wrap
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import Dossier
from egov.dossiers.printing.issuers import event_issuer
from egov.dossiers.printing.layouts import form_heading, received_on
from egov.workdays.engine import VIETNAM_TZ

MARGIN = 12 * mm


def _local(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    local = value.astimezone(VIETNAM_TZ)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def render_apology(dossier: Dossier) -> bytes:
    """Mẫu 04, from the dossier's apology event (reason, old and new dates)."""
    font = register_font()
    event = dossier.events.filter(action=DossierAction.APOLOGISE).order_by("-sequence").first()
    if event is None:
        raise ValueError("the dossier has no apology")
    canvas, buffer = new_document(A5, title=f"Phiếu xin lỗi và hẹn lại {dossier.code}")
    width, height = A5
    y = height - MARGIN
    canvas.setFont(font, 8)
    # Issued by the competent agency, signed by its head (NĐ 61/2018 Điều 19 khoản 9).
    unit = event_issuer(dossier, event)
    canvas.drawString(MARGIN, y, unit.name.upper())
    heading = form_heading("04", received_on(dossier))
    canvas.drawRightString(width - MARGIN, y, heading.reference)
    y -= 20
    canvas.setFont(font, 11)
    canvas.drawCentredString(width / 2, y, heading.title)
    y -= 18
    canvas.setFont(font, 9)
    lines = [
        f"Kính gửi: {dossier.applicant_name}",
        f"Ngày {_local(dossier.received_at)}, {dossier.receiving_unit.name} tiếp nhận hồ sơ "
        f"của Quý Ông/Bà, mã hồ sơ {dossier.code}, đề nghị giải quyết thủ tục "
        f"“{dossier.procedure_version.name}”.",
        f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {_local(dossier.original_due_at)}.",
        f"Tuy nhiên đến nay, {unit.name} chưa trả kết quả giải quyết hồ sơ của Quý Ông/Bà "
        f"đúng hạn. Lý do: {event.reason}",
        f"Sự chậm trễ này đã gây phiền hà cho Quý Ông/Bà. {unit.name} xin lỗi Quý Ông/Bà "
        "và hẹn lại thời gian trả kết quả:",
        f"{_local(dossier.due_at)}.",
        "Mong nhận được sự thông cảm của Quý Ông/Bà.",
    ]
    for text in lines:
        for part in wrap(text, font, 9, width - 2 * MARGIN):
            canvas.drawString(MARGIN, y, part)
            y -= 12
        y -= 3
    y -= 8
    canvas.drawCentredString(width * 0.7, y, "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ")
    canvas.setFont(font, 8)
    canvas.drawCentredString(width * 0.7, y - 11, "(Ký, ghi rõ họ tên và đóng dấu)")
    canvas.drawCentredString(width * 0.7, y - 40, unit.signer)
    return finish(canvas, buffer)


TRACKING_COLUMNS = [
    ("STT", 10),
    ("Mã hồ sơ", 38),
    ("Tên TTHC", 52),
    ("Số lượng hồ sơ (bộ)", 14),
    ("Tên cá nhân, tổ chức", 36),
    ("Địa chỉ, số điện thoại", 38),
    ("Nhận hồ sơ", 22),
    ("Hẹn trả kết quả", 22),
    ("Trả kết quả", 22),
    ("Ghi chú", 17),
]


def render_tracking_book(
    dossiers: Iterable[Dossier], *, unit_name: str, period: str, on: dt.date | None = None
) -> bytes:
    """Mẫu 06 for a unit and a period: one row per dossier received; the heading is the one
    in force on the printing day ``on`` (default today)."""
    font = register_font()
    heading = form_heading("06", on or timezone.localdate())
    size = landscape(A4)
    canvas, buffer = new_document(size, title=f"Sổ theo dõi hồ sơ {unit_name} {period}")
    width, height = size
    margin = 8 * mm
    table = Table(TRACKING_COLUMNS, font=font, size=7, left=margin, right=width - margin)

    def header() -> float:
        y: float = float(height - margin)
        canvas.setFont(font, 9)
        canvas.drawString(margin, y, unit_name.upper())
        canvas.drawRightString(width - margin, y, heading.reference)
        y -= 16
        canvas.setFont(font, 12)
        canvas.drawCentredString(width / 2, y, f"{heading.title} — {period}")
        y -= 16
        table.draw_titles(canvas, y)
        y -= 20
        canvas.line(margin, y + 6, width - margin, y + 6)
        return y

    y = header()
    for number, dossier in enumerate(dossiers, start=1):
        returned = next(
            (e.at for e in dossier.events.all() if e.action == DossierAction.RETURN_RESULT), None
        )
        contact = ", ".join(filter(None, [dossier.applicant_address, dossier.applicant_phone]))
        cells = [
            str(number),
            dossier.code,
            dossier.procedure_version.name,
            str(dossier.sets),
            dossier.applicant_name,
            contact,
            _local(dossier.received_at),
            _local(dossier.due_at),
            _local(returned) if returned else "",
            "",
        ]
        y = table.draw_row(canvas, cells, y, bottom=margin, header=header)
    return finish(canvas, buffer)


def apology_filename(dossier: Dossier) -> str:
    return f"phieu-xin-loi-{dossier.code}.pdf"


def tracking_book_filename(start: str, end: str) -> str:
    return f"so-theo-doi-{start}-{end}.pdf"
