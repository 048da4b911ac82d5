"""Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả (A5, TT 01/2018/TT-VPCP): the agency and
Quốc hiệu heading with the place and day of reception, a QR code beside the title (its content:
``qr.receipt_qr_content``), the dossier's facts, its entry in the tracking book and the notes."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from egov.core.formatting import vnd
from egov.core.identity import display_phone
from egov.core.printing.pdf import draw_qr, finish, new_document, register_font, wrap
from egov.dossiers.models import Dossier, ResultDelivery
from egov.dossiers.printing.header import draw_form_header, header_for
from egov.dossiers.printing.layouts import receipt_layout
from egov.dossiers.printing.qr import receipt_qr_content
from egov.signing.services import Box, SigningError, sign_pdf, stamp_size, stamp_text
from egov.signing.signers import agency_signer_for
from egov.workdays.engine import VIETNAM_TZ

MARGIN = 12 * mm
QR_SIZE = 22 * mm
# A dossier received before the book was kept electronically has no entry: the line keeps
# the template's dots for a hand-written one.
NO_ENTRY = "……"
logger = logging.getLogger(__name__)


def _moment(value: object) -> str:
    if value is None:
        return "chưa xác định"
    local = value.astimezone(VIETNAM_TZ)  # type: ignore[attr-defined]
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def render_receipt(dossier: Dossier, *, lookup_base_url: str) -> bytes:
    return _compose(dossier, lookup_base_url=lookup_base_url).pdf


@dataclass(frozen=True)
class _Receipt:
    pdf: bytes
    # Free room under the receiver's "(ký, ghi rõ họ tên)" on the last page, in points:
    # page (from 1), left, bottom, right, top — where the desk's digital signature goes.
    signature_room: tuple[int, float, float, float, float]


def _compose(dossier: Dossier, *, lookup_base_url: str) -> _Receipt:
    font = register_font()
    received = dossier.received_at.astimezone(VIETNAM_TZ) if dossier.received_at else None
    day = received.date() if received else dossier.created_at.astimezone(VIETNAM_TZ).date()
    layout = receipt_layout(day)
    unit = dossier.receiving_unit
    canvas, buffer = new_document(A5, title=f"{layout.title} {dossier.code}")
    width, height = A5
    text_width = width - 2 * MARGIN
    y = draw_form_header(
        canvas,
        header_for(unit, day, reference=layout.legal_basis),
        font=font,
        left=MARGIN,
        right=width - MARGIN,
        top=height - MARGIN,
    )

    # The QR code at the left, the title and the dossier code centred in the room beside it.
    draw_qr(
        canvas,
        receipt_qr_content(dossier, lookup_base_url=lookup_base_url),
        MARGIN,
        y - QR_SIZE,
        QR_SIZE,
    )
    beside = MARGIN + QR_SIZE + 3 * mm
    centre = (beside + width - MARGIN) / 2
    title_lines = wrap(layout.title, font, 11, width - MARGIN - beside)
    ty = y - QR_SIZE / 2 + 7 * len(title_lines) - 4
    canvas.setFont(font, 11)
    for part in title_lines:
        canvas.drawCentredString(centre, ty, part)
        ty -= 14
    canvas.setFont(font, 9)
    canvas.drawCentredString(centre, ty - 2, f"Mã hồ sơ: {dossier.code}")
    y = min(y - QR_SIZE, ty - 2) - 12

    # The notes at the foot of the last page; the text above them and the signatures.
    canvas.setFont(font, 9)
    footer = [
        layout.notes_title,
        layout.copies_note,
        layout.post_note,
        layout.lookup_hint.format(url=f"{lookup_base_url}?ma={dossier.code}"),
    ]
    footer_lines = [part for text in footer for part in wrap(text, font, 7, text_width)]
    footer_top = MARGIN + 9 * len(footer_lines)

    def line(text: str, *, indent: float = 0) -> None:
        nonlocal y
        for part in wrap(text, font, 9, text_width - indent):
            if y < footer_top + 26 * mm:
                canvas.showPage()
                canvas.setFont(font, 9)
                y = height - MARGIN
            canvas.drawString(MARGIN + indent, y, part)
            y -= 12

    line(layout.received_from.format(unit=unit.name))
    applicant = dossier.applicant_name
    if dossier.representative_name:
        applicant += f" (người được ủy quyền: {dossier.representative_name})"
    line(applicant, indent=6 * mm)
    if dossier.applicant_address:
        line(f"{layout.address}: {dossier.applicant_address}")
    if dossier.applicant_phone:
        line(f"{layout.phone}: {display_phone(dossier.applicant_phone)}")
    if dossier.applicant_email:
        line(f"{layout.email}: {dossier.applicant_email}")
    line(f"{layout.request}: {dossier.procedure_version.name}")
    line(layout.components)
    # Files sent online per component (an online dossier has no paper originals or copies).
    sent = Counter(
        dossier.files.filter(component__isnull=False).values_list("component", flat=True)
    )
    for item in dossier.components.select_related("component").order_by("component__order"):
        counts = []
        if item.originals:
            counts.append(f"{item.originals} bản chính")
        if item.copies:
            counts.append(f"{item.copies} bản sao")
        if item.reused:
            # NĐ 45/2020 Điều 16: taken from the data store, not handed in again.
            counts.append("lấy từ kho dữ liệu, không nộp lại")
        elif sent[item.component_id]:
            counts.append(f"{sent[item.component_id]} tệp điện tử")
        described = f" ({', '.join(counts)})" if counts else ""
        line(f"- {item.component.name}{described}", indent=4 * mm)
    line(layout.sets.format(sets=dossier.sets))
    line(layout.legal_time.format(rule=dossier.due_rule or "chưa xác định"))
    line(layout.received_at.format(moment=_moment(dossier.received_at)))
    line(layout.due_at.format(moment=_moment(dossier.due_at)))
    line(layout.delivery.format(delivery=ResultDelivery(dossier.result_delivery).label))
    if dossier.fee_quoted is not None:
        line(layout.fee.format(fee=vnd(dossier.fee_quoted)))
    line(
        layout.book.format(
            book=dossier.book_year or NO_ENTRY,
            sequence=dossier.book_sequence or NO_ENTRY,
        )
    )

    y -= 6
    canvas.drawCentredString(MARGIN + text_width / 4, y, layout.applicant_signature)
    canvas.drawCentredString(MARGIN + 3 * text_width / 4, y, layout.receiver_signature)
    y -= 11
    canvas.setFont(font, 8)
    canvas.drawCentredString(MARGIN + text_width / 4, y, layout.sign_hint)
    canvas.drawCentredString(MARGIN + 3 * text_width / 4, y, layout.sign_hint)
    canvas.setFont(font, 7)
    for index, part in enumerate(footer_lines):
        canvas.drawString(MARGIN, footer_top - 9 * (index + 1), part)
    room = (canvas.getPageNumber(), MARGIN, footer_top + 2, width - MARGIN, y - 4)
    return _Receipt(pdf=finish(canvas, buffer), signature_room=room)


def issued_receipt(dossier: Dossier, *, lookup_base_url: str) -> bytes:
    """The receipt as handed out. Where the province enables it (``EGOV_SIGN_RECEIPTS``), it
    carries the receiving desk's agency signature: the NĐ 30 text stamp (dossier code, agency,
    signing time; NĐ 30/2020/NĐ-CP Phụ lục I, Phần II.I.3 by analogy — chưa xác nhận for
    receipts, which TT 01/2018 and NĐ 118/2025 do not require to be signed) right-aligned
    under the receiver's signature line, or an invisible signature when that room is too
    small. A receipt is never withheld for want of a signature (NĐ 61/2018 and NĐ 118/2025:
    no dossier is received without one): if signing fails, it goes out unsigned and the
    failure is logged."""
    composed = _compose(dossier, lookup_base_url=lookup_base_url)
    if not settings.EGOV_SIGN_RECEIPTS:
        return composed.pdf
    unit = dossier.receiving_unit
    text = stamp_text(dossier.code, unit.name, timezone.now())
    needed_width, needed_height = stamp_size(text)
    page, left, bottom, right, top = composed.signature_room
    box = None
    if top - bottom >= needed_height and right - left >= needed_width:
        box = Box(
            page=page,
            x=right - needed_width,
            y=top - needed_height,
            width=needed_width,
            height=needed_height,
        )
    try:
        return sign_pdf(
            composed.pdf,
            signer=agency_signer_for(unit),
            field_name="SigBoPhanMotCua",
            box=box,
            text=text,
        )
    except (SigningError, ImproperlyConfigured) as exc:
        logger.warning("receipt left unsigned: %s", type(exc).__name__)
        return composed.pdf


def receipt_filename(dossier: Dossier) -> str:
    return f"giay-tiep-nhan-{dossier.code}.pdf"
