"""The written notice when a received dossier is not resolved (A5): refused at online reception,
or stopped during processing because it does not meet the conditions.

NĐ 61/2018/NĐ-CP Điều 19 khoản 8: a dossier that after appraisal does not qualify is returned
"và thông báo bằng văn bản nêu rõ lý do không giải quyết hồ sơ theo mẫu Phiếu từ chối giải quyết
hồ sơ", sent through the desk, within the processing time. The notice of a stop is the
competent agency's, signed by its head; a refusal at reception is the desk's (Điều 17, Mẫu 03).
The title and form reference are those of Mẫu 03 in force on the day of reception
(``layouts.form_heading``); TT 03/2025/TT-VPCP reportedly adds a "Thông báo dừng giải quyết hồ
sơ" form [unconfirmed], which would take its place here once its text is checked.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from egov.core.identity import display_phone
from egov.core.printing.pdf import finish, new_document, register_font, wrap
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import Dossier, DossierEvent, DossierStatus
from egov.dossiers.printing.issuers import Issuer, agency_of
from egov.dossiers.printing.layouts import form_heading, received_on
from egov.workdays.engine import VIETNAM_TZ

MARGIN = 12 * mm
# The status a dossier ends in → the event that ended it there.
NOTICE_ACTIONS = {
    DossierStatus.STOPPED: DossierAction.STOP,
    DossierStatus.REFUSED: DossierAction.REFUSE,
}


def notice_event(dossier: Dossier) -> DossierEvent | None:
    """The stop or refusal the notice is about (None: the dossier has none to notify)."""
    action = NOTICE_ACTIONS.get(DossierStatus(dossier.status))
    if action is None:
        return None
    return (
        dossier.events.select_related("actor").filter(action=action).order_by("-sequence").first()
    )


def notice_lines(dossier: Dossier, event: DossierEvent) -> tuple[Issuer, list[str]]:
    """The issuer and the body of the notice (also what a test reads back from the PDF)."""
    stopped = event.action == DossierAction.STOP
    signer = event.actor.display_name if event.actor else ""
    issuer = Issuer(agency_of(dossier) if stopped else dossier.receiving_unit.name, signer)
    lines = [f"Kính gửi: {dossier.applicant_name}", f"Mã hồ sơ: {dossier.code}"]
    if dossier.applicant_address:
        lines.append(f"Địa chỉ: {dossier.applicant_address}")
    if dossier.applicant_phone:
        lines.append(f"Số điện thoại: {display_phone(dossier.applicant_phone)}")
    lines.append(f"Nội dung yêu cầu giải quyết: {dossier.procedure_version.name}")
    if dossier.received_at is not None:
        received = dossier.received_at.astimezone(VIETNAM_TZ)
        lines.append(
            f"Ngày {received:%d/%m/%Y}, {dossier.receiving_unit.name} đã tiếp nhận hồ sơ của "
            "Quý Ông/Bà."
        )
    if stopped:
        lines += [
            f"Qua thẩm tra, thẩm định, {issuer.name} thông báo hồ sơ không đủ điều kiện giải "
            "quyết và dừng giải quyết hồ sơ với lý do sau:",
            event.reason,
            f"Hồ sơ được trả lại Quý Ông/Bà qua {dossier.receiving_unit.name}.",
        ]
    else:
        lines += [
            f"Qua xem xét, {issuer.name} từ chối tiếp nhận hồ sơ với lý do sau:",
            event.reason,
        ]
    lines.append("Xin thông báo để Quý Ông/Bà được biết và thực hiện.")
    return issuer, lines


def render_refusal_notice(dossier: Dossier, event: DossierEvent) -> bytes:
    font = register_font()
    stopped = event.action == DossierAction.STOP
    issuer, lines = notice_lines(dossier, event)
    heading = form_heading("03", received_on(dossier))
    canvas, buffer = new_document(A5, title=f"{heading.title} {dossier.code}")
    width, height = A5
    y = height - MARGIN
    canvas.setFont(font, 8)
    canvas.drawString(MARGIN, y, issuer.name.upper())
    canvas.drawRightString(width - MARGIN, y, heading.reference)
    y -= 11
    canvas.drawString(MARGIN, y, f"Số: {dossier.code}-TC")
    y -= 18
    canvas.setFont(font, 11)
    for part in wrap(heading.title, font, 11, width - 2 * MARGIN):
        canvas.drawCentredString(width / 2, y, part)
        y -= 14
    y -= 4
    canvas.setFont(font, 9)
    for text in lines:
        for part in wrap(text, font, 9, width - 2 * MARGIN):
            canvas.drawString(MARGIN, y, part)
            y -= 12
        y -= 2
    y -= 8
    local = event.at.astimezone(VIETNAM_TZ)
    canvas.drawRightString(width - MARGIN, y, f"…, ngày {local:%d} tháng {local:%m} năm {local:%Y}")
    y -= 14
    canvas.drawCentredString(
        width * 0.7, y, "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" if stopped else "NGƯỜI TIẾP NHẬN HỒ SƠ"
    )
    canvas.setFont(font, 8)
    hint = "(Ký, ghi rõ họ tên và đóng dấu)" if stopped else "(Ký và ghi rõ họ tên)"
    canvas.drawCentredString(width * 0.7, y - 11, hint)
    canvas.drawCentredString(width * 0.7, y - 40, issuer.signer)
    return finish(canvas, buffer)


def refusal_notice_filename(dossier: Dossier) -> str:
    return f"thong-bao-tu-choi-{dossier.code}.pdf"
