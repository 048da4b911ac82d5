"""Mẫu 02 (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) and Mẫu 03 (Phiếu từ chối tiếp nhận giải
quyết hồ sơ), A5, TT 01/2018/TT-VPCP."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from egov.dossiers.models import CounterNotice, NoticeKind
from egov.dossiers.printing.pdf import register_font, wrap
from egov.dossiers.validators import display_phone
from egov.workdays.engine import VIETNAM_TZ

MARGIN = 12 * mm


def render_notice(notice: CounterNotice) -> bytes:
    font = register_font()
    guidance = notice.kind == NoticeKind.GUIDANCE
    title = (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
        if guidance
        else "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
    )
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5)
    canvas.setTitle(f"{title} {notice.number}/{notice.year}")
    width, height = A5
    y = height - MARGIN
    canvas.setFont(font, 8)
    canvas.drawString(MARGIN, y, notice.unit.name.upper())
    canvas.drawRightString(
        width - MARGIN, y, f"Mẫu số {'02' if guidance else '03'}, TT 01/2018/TT-VPCP"
    )
    y -= 11
    canvas.drawString(MARGIN, y, f"Số: {notice.number}/{notice.year}")
    y -= 18
    canvas.setFont(font, 11)
    canvas.drawCentredString(width / 2, y, title)
    y -= 18
    canvas.setFont(font, 9)
    local = notice.created_at.astimezone(VIETNAM_TZ)
    lines = [
        f"{notice.unit.name} tiếp nhận hồ sơ của: {notice.applicant_name}",
    ]
    if notice.applicant_address:
        lines.append(f"Địa chỉ: {notice.applicant_address}")
    if notice.applicant_phone:
        lines.append(f"Số điện thoại: {display_phone(notice.applicant_phone)}")
    lines.append(f"Nội dung yêu cầu giải quyết: {notice.procedure_version.name}")
    if guidance:
        lines.append("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:")
        lines += [f"{index}. {item}" for index, item in enumerate(notice.items, start=1)]
        if notice.reason:
            lines.append(f"Lý do: {notice.reason}")
        contact = notice.unit.name + (f" — {notice.unit.phone}" if notice.unit.phone else "")
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
    y -= 10
    canvas.drawRightString(
        width - MARGIN, y, f"…, {local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"
    )
    y -= 14
    canvas.drawCentredString(width * 0.7, y, "NGƯỜI HƯỚNG DẪN" if guidance else "NGƯỜI TIẾP NHẬN")
    canvas.setFont(font, 8)
    canvas.drawCentredString(width * 0.7, y - 11, "(Ký và ghi rõ họ tên)")
    canvas.drawCentredString(width * 0.7, y - 40, notice.created_by.display_name)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
