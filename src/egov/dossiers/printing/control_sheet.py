"""Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ (A5), from the event rows."""

from __future__ import annotations

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from egov.core.printing.pdf import finish, new_document, register_font, wrap
from egov.dossiers.control_sheet import control_rows
from egov.dossiers.models import Dossier
from egov.dossiers.printing.layouts import form_heading, received_on
from egov.workdays.engine import VIETNAM_TZ

MARGIN = 10 * mm


def render_control_sheet(dossier: Dossier) -> bytes:
    font = register_font()
    canvas, buffer = new_document(A5, title=f"Phiếu kiểm soát {dossier.code}")
    width, height = A5
    y = height - MARGIN
    canvas.setFont(font, 8)
    canvas.drawString(MARGIN, y, dossier.receiving_unit.name.upper())
    heading = form_heading("05", received_on(dossier))
    canvas.drawRightString(width - MARGIN, y, heading.reference)
    y -= 18
    canvas.setFont(font, 11)
    canvas.drawCentredString(width / 2, y, heading.title)
    y -= 14
    canvas.setFont(font, 8)
    for text in [
        f"Mã hồ sơ: {dossier.code}",
        f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả) — {dossier.procedure_version.name}",
        f"Người nộp: {dossier.applicant_name}",
    ]:
        for part in wrap(text, font, 8, width - 2 * MARGIN):
            canvas.drawString(MARGIN, y, part)
            y -= 10
    y -= 4
    columns = [MARGIN, MARGIN + 62 * mm, MARGIN + 92 * mm, MARGIN + 110 * mm]
    headers = ["Giao — Nhận", "Thời gian", "Kết quả", "Ghi chú"]
    for x, header in zip(columns, headers, strict=True):
        canvas.drawString(x, y, header)
    y -= 4
    canvas.line(MARGIN, y, width - MARGIN, y)
    y -= 10
    for row in control_rows(dossier):
        local = row.at.astimezone(VIETNAM_TZ)
        cells = [
            wrap(f"1. Giao: {row.giver}", font, 7, 60 * mm)
            + wrap(f"2. Nhận: {row.receiver or '—'}", font, 7, 60 * mm),
            [f"{local:%H} giờ {local:%M} phút", f"ngày {local:%d/%m/%Y}"],
            [row.status],
            wrap(row.action, font, 7, 26 * mm) + wrap(row.note, font, 7, 26 * mm),
        ]
        height_needed = 9 * max(len(c) for c in cells)
        if y - height_needed < MARGIN:
            canvas.showPage()
            canvas.setFont(font, 7)
            y = height - MARGIN
        canvas.setFont(font, 7)
        for x, cell in zip(columns, cells, strict=True):
            for index, text in enumerate(cell):
                canvas.drawString(x, y - 9 * index, text)
        y -= height_needed + 4
        canvas.line(MARGIN, y + 6, width - MARGIN, y + 6)
    return finish(canvas, buffer)


def control_sheet_filename(dossier: Dossier) -> str:
    return f"phieu-kiem-soat-{dossier.code}.pdf"
