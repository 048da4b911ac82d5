"""Mẫu 02 (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) and Mẫu 03 (Phiếu từ chối tiếp nhận giải
quyết hồ sơ), A5, TT 01/2018/TT-VPCP.

Mẫu 02 is printed in two cases: at the counter, before any dossier exists (a ``CounterNotice``),
and during processing, when the competent unit asks through the desk for a supplement (the
``request_supplement`` event of the dossier, which carries every item)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from egov.core.identity import display_phone
from egov.core.printing.pdf import finish, new_document, register_font, wrap
from egov.dossiers.models import CounterNotice, Dossier, DossierEvent, NoticeKind
from egov.dossiers.printing.header import draw_form_header, header_for
from egov.dossiers.printing.layouts import form_heading, received_on
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

MARGIN = 12 * mm


@dataclass(frozen=True)
class NoticeContent:
    kind: str
    number: str
    unit: Unit
    applicant_name: str
    applicant_address: str
    applicant_phone: str
    applicant_email: str
    procedure_name: str
    items: list[str]
    reason: str
    created_at: dt.datetime
    signer: str
    dossier_code: str = ""
    # The day whose form layout applies (a dossier's reception day); default: the notice's.
    form_date: dt.date | None = None


def render_notice(notice: CounterNotice) -> bytes:
    return render_notice_content(
        NoticeContent(
            kind=notice.kind,
            number=f"{notice.number}/{notice.year}",
            unit=notice.unit,
            applicant_name=notice.applicant_name,
            applicant_address=notice.applicant_address,
            applicant_phone=notice.applicant_phone,
            applicant_email=notice.applicant_email,
            procedure_name=notice.procedure_version.name,
            items=list(notice.items),
            reason=notice.reason,
            created_at=notice.created_at,
            signer=notice.created_by.display_name,
        )
    )


def render_supplement_request(dossier: Dossier, event: DossierEvent) -> bytes:
    """Mẫu 02 for a supplement asked during processing, from its event row."""
    number = int(event.data.get("number", 1))
    return render_notice_content(
        NoticeContent(
            kind=NoticeKind.GUIDANCE,
            number=f"{dossier.code}-BS{number}",
            unit=dossier.receiving_unit,
            applicant_name=dossier.applicant_name,
            applicant_address=dossier.applicant_address,
            applicant_phone=dossier.applicant_phone,
            applicant_email=dossier.applicant_email,
            procedure_name=dossier.procedure_version.name,
            items=[str(item) for item in event.data.get("items", [])],
            reason=event.reason,
            created_at=event.at,
            signer=event.actor.display_name if event.actor else "",
            dossier_code=dossier.code,
            form_date=received_on(dossier),
        )
    )


def render_notice_content(notice: NoticeContent) -> bytes:
    font = register_font()
    guidance = notice.kind == NoticeKind.GUIDANCE
    heading = form_heading(
        "02" if guidance else "03",
        (notice.form_date or notice.created_at.astimezone(VIETNAM_TZ).date()),
    )
    title = heading.title
    canvas, buffer = new_document(A5, title=f"{title} {notice.number}")
    width, height = A5
    unit = notice.unit
    local = notice.created_at.astimezone(VIETNAM_TZ)
    y = draw_form_header(
        canvas,
        header_for(unit, local.date(), reference=heading.reference, number=f"Số: {notice.number}"),
        font=font,
        left=MARGIN,
        right=width - MARGIN,
        top=height - MARGIN,
    )
    y -= 8
    canvas.setFont(font, 11)
    for part in wrap(title, font, 11, width - 2 * MARGIN):
        canvas.drawCentredString(width / 2, y, part)
        y -= 14
    y -= 4
    canvas.setFont(font, 9)
    lines = [
        f"{unit.name} tiếp nhận hồ sơ của: {notice.applicant_name}",
    ]
    if notice.dossier_code:
        lines.append(f"Mã hồ sơ: {notice.dossier_code}")
    if notice.applicant_address:
        lines.append(f"Địa chỉ: {notice.applicant_address}")
    if notice.applicant_phone:
        lines.append(f"Số điện thoại: {display_phone(notice.applicant_phone)}")
    lines.append(f"Email: {notice.applicant_email or '……'}")
    lines.append(f"Nội dung yêu cầu giải quyết: {notice.procedure_name}")
    if guidance:
        lines.append("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:")
        lines += [f"{index}. {item}" for index, item in enumerate(notice.items, start=1)]
        if notice.reason:
            lines.append(f"Lý do: {notice.reason}")
        contact = unit.name + (f" — {unit.phone}" if unit.phone else "")
        lines.append(
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ với "
            f"{contact} để được hướng dẫn."
        )
    else:
        lines.append("Qua xem xét, cơ quan, đơn vị từ chối tiếp nhận hồ sơ với lý do sau:")
        lines.append(notice.reason)
        lines += [f"- {item}" for item in notice.items]
        lines.append("Xin thông báo để ông/bà được biết và thực hiện.")
    for text in lines:
        for part in wrap(text, font, 9, width - 2 * MARGIN):
            canvas.drawString(MARGIN, y, part)
            y -= 12
    y -= 14
    canvas.drawCentredString(
        width * 0.7, y, "NGƯỜI HƯỚNG DẪN" if guidance else "NGƯỜI TIẾP NHẬN HỒ SƠ"
    )
    canvas.setFont(font, 8)
    canvas.drawCentredString(width * 0.7, y - 11, "(Ký và ghi rõ họ tên)")
    canvas.drawCentredString(width * 0.7, y - 40, notice.signer)
    return finish(canvas, buffer)


def notice_filename(notice: CounterNotice) -> str:
    return f"phieu-{notice.kind}-{notice.number}-{notice.year}.pdf"


def supplement_request_filename(dossier: Dossier, number: int) -> str:
    return f"phieu-bo-sung-{dossier.code}-{number}.pdf"
