"""Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả (A5), and Mẫu 06 — Sổ theo dõi hồ sơ
(A4 landscape), TT 01/2018/TT-VPCP, from the dossier rows and their events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm

from egov.core.identity import ApplicantKind, display_phone
from egov.core.printing.official.layout import number_text
from egov.core.printing.pdf import Table, finish, new_document, register_font, wrap
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import Dossier, DossierEvent
from egov.dossiers.printing.appointments import appointments
from egov.dossiers.printing.header import draw_form_header, header_for
from egov.dossiers.printing.issuers import event_issuer
from egov.dossiers.printing.layouts import form_heading, received_on
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

MARGIN = 12 * mm


def _local(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    local = value.astimezone(VIETNAM_TZ)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def _moment(value: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _issuer(dossier: Dossier, event: DossierEvent) -> Unit:
    """The unit the apology was written in the name of (recorded with it since the letters
    are numbered; before, the unit handling the dossier)."""
    data = event.data or {}
    key = data.get("issuer") or data.get("issuer_unit")
    found = Unit.objects.filter(key=key).first() if key else None
    return found or dossier.handling_unit or dossier.receiving_unit


def render_apology(dossier: Dossier) -> bytes:
    """Mẫu 04, from the dossier's apology event (number, reason, old and new dates)."""
    font = register_font()
    event = dossier.events.filter(action=DossierAction.APOLOGISE).order_by("-sequence").first()
    if event is None:
        raise ValueError("the dossier has no apology")
    data = event.data or {}
    canvas, buffer = new_document(A5, title=f"Phiếu xin lỗi và hẹn lại {dossier.code}")
    width, height = A5
    # Issued by the competent agency, signed by its head (NĐ 61/2018 Điều 19 khoản 9).
    unit = _issuer(dossier, event)
    signer = event_issuer(dossier, event).signer
    heading = form_heading("04", received_on(dossier))
    number = number_text(int(data["number"])) if data.get("number") else "…"
    y = draw_form_header(
        canvas,
        header_for(
            unit,
            event.at.astimezone(VIETNAM_TZ).date(),
            reference=heading.reference,
            number=f"Số: {number}/PXL",
        ),
        font=font,
        left=MARGIN,
        right=width - MARGIN,
        top=height - MARGIN,
    )
    y -= 8
    canvas.setFont(font, 11)
    for part in wrap(heading.title, font, 11, width - 2 * MARGIN):
        canvas.drawCentredString(width / 2, y, part)
        y -= 14
    y -= 6
    canvas.setFont(font, 9)
    organisation = dossier.applicant_kind == ApplicantKind.ORGANISATION
    you = "Quý cơ quan, tổ chức" if organisation else "Quý Ông/Bà"
    addressee = dossier.applicant_name if organisation else f"Ông/Bà {dossier.applicant_name}"
    received = dossier.received_at.astimezone(VIETNAM_TZ) if dossier.received_at else None
    old_due = _moment(data.get("old_due")) or dossier.original_due_at
    new_due = _moment(data.get("new_due")) or dossier.due_at
    lines = [
        f"Kính gửi: {addressee}",
        f"Ngày {f'{received:%d/%m/%Y}' if received else '…'}, {dossier.receiving_unit.name} "
        f"tiếp nhận hồ sơ của {you}, mã hồ sơ {dossier.code}, đề nghị giải quyết thủ tục "
        f"“{dossier.procedure_version.name}”.",
        f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {_local(old_due)}.",
        f"Tuy nhiên đến nay, {unit.name} chưa trả kết quả giải quyết hồ sơ của {you} "
        f"đúng hạn. Lý do: {event.reason}",
        f"Sự chậm trễ này đã gây phiền hà cho {you}. {unit.name} xin lỗi {you} và hẹn lại "
        f"thời gian trả kết quả: {_local(new_due)}.",
        f"Mong nhận được sự thông cảm của {you}.",
    ]
    for text in lines:
        for part in wrap(text, font, 9, width - 2 * MARGIN):
            canvas.drawString(MARGIN, y, part)
            y -= 12
        y -= 3
    y -= 8
    # "Nơi nhận" at the left, the head of the agency signing at the right.
    recipients = ["- Như trên;"]
    if dossier.receiving_unit_id != unit.pk:
        recipients.append(f"- {dossier.receiving_unit.name};")
    recipients.append("- Lưu: VT, hồ sơ.")
    column = (width - 2 * MARGIN) * 0.45
    ry = y
    canvas.setFont(font, 8)
    canvas.drawString(MARGIN, ry, "Nơi nhận:")
    ry -= 10
    canvas.setFont(font, 7)
    for text in recipients:
        for part in wrap(text, font, 7, column):
            canvas.drawString(MARGIN, ry, part)
            ry -= 9
    signer_centre = MARGIN + column + (width - 2 * MARGIN - column) / 2
    canvas.setFont(font, 9)
    canvas.drawCentredString(signer_centre, y, "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ")
    canvas.setFont(font, 8)
    canvas.drawCentredString(signer_centre, y - 11, "(Ký, ghi rõ họ tên và đóng dấu)")
    canvas.drawCentredString(signer_centre, y - 40, signer)
    return finish(canvas, buffer)


# Mẫu 06's columns (title, width in mm) on A4 landscape: 281 mm between the margins.
TRACKING_COLUMNS = [
    ("STT", 9),
    ("Mã hồ sơ", 33),
    ("Tên TTHC", 32),
    ("Số lượng hồ sơ (bộ)", 11),
    ("Tên cá nhân, tổ chức", 22),
    ("Địa chỉ, số điện thoại", 26),
    ("Cơ quan chủ trì giải quyết", 24),
    ("Nhận hồ sơ", 15),
    ("Hẹn trả kết quả", 24),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 17),
    ("Nhận kết quả từ cơ quan giải quyết", 17),
    ("Trả kết quả", 15),
    ("Ký nhận", 18),
    ("Ghi chú", 18),
]


def _short(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(VIETNAM_TZ)
    return f"{local:%d/%m/%Y %H:%M}"


def _first(events: list[DossierEvent], *actions: str) -> dt.datetime | None:
    return next((e.at for e in events if e.action in actions), None)


def tracking_row(dossier: Dossier) -> list[str]:
    """One line of the book: the dossier's entry number, the appointment given on the receipt
    with a later one beside it, and the moments of the hand-offs read from its events."""
    events = sorted(dossier.events.all(), key=lambda e: e.sequence)
    dates = appointments(dossier, events)
    appointment = _short(dates.original)
    if dates.postponed is not None:
        appointment += f"; hẹn lại: {_short(dates.postponed)}"
    lead = dossier.handling_unit or dossier.procedure_version.competent_unit
    note = (
        f"Xin lỗi, hẹn lại ngày {dossier.apologised_at.astimezone(VIETNAM_TZ):%d/%m/%Y}"
        if dossier.apologised_at
        else ""
    )
    return [
        str(dossier.book_sequence or ""),
        dossier.code,
        dossier.procedure_version.name,
        str(dossier.sets),
        dossier.applicant_name,
        ", ".join(
            filter(None, [dossier.applicant_address, display_phone(dossier.applicant_phone)])
        ),
        lead.name if lead else "",
        _short(dossier.received_at),
        appointment,
        _short(_first(events, DossierAction.HAND_OFF)),
        _short(_first(events, DossierAction.APPROVE)),
        _short(_first(events, DossierAction.RETURN_RESULT, DossierAction.POSTAL_DELIVERED)),
        "",
        note,
    ]


def render_tracking_book(
    dossiers: Iterable[Dossier], *, unit_name: str, period: str, on: dt.date | None = None
) -> bytes:
    """Mẫu 06 for a unit and a period: one row per dossier received, numbered as entered in
    the unit's book of the year ("Quyển số"); the heading is the one in force on the printing
    day ``on`` (default today)."""
    font = register_font()
    heading = form_heading("06", on or timezone.localdate())
    rows = list(dossiers)
    books = sorted({d.book_year for d in rows if d.book_year})
    size = landscape(A4)
    canvas, buffer = new_document(size, title=f"Sổ theo dõi hồ sơ {unit_name} {period}")
    width, height = size
    margin = 8 * mm
    table = Table(TRACKING_COLUMNS, font=font, size=6.5, left=margin, right=width - margin)

    def header() -> float:
        y: float = float(height - margin)
        canvas.setFont(font, 9)
        canvas.drawString(margin, y, unit_name.upper())
        canvas.drawRightString(width - margin, y, heading.reference)
        y -= 16
        canvas.setFont(font, 12)
        canvas.drawCentredString(width / 2, y, f"{heading.title} — {period}")
        if books:
            y -= 12
            canvas.setFont(font, 9)
            canvas.drawCentredString(
                width / 2, y, "Quyển số: " + ", ".join(str(book) for book in books)
            )
        y -= 16
        return table.draw_titles(canvas, y)

    y = header()
    for dossier in rows:
        y = table.draw_row(canvas, tracking_row(dossier), y, bottom=margin, header=header)
    return finish(canvas, buffer)


def apology_filename(dossier: Dossier) -> str:
    return f"phieu-xin-loi-{dossier.code}.pdf"


def tracking_book_filename(start: str, end: str) -> str:
    return f"so-theo-doi-{start}-{end}.pdf"
