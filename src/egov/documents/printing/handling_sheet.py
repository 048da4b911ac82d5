"""Phiếu giải quyết văn bản đến (NĐ 30/2020/NĐ-CP, Phụ lục IV) as an A4 PDF, generated from
the document's event rows: 1. the agency leader's instructions (chủ trì, phối hợp, deadlines,
date); 2. the unit leaders' and handlers' steps; 3. the handlers' results and proposals."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from egov.core.printing.pdf import finish, new_document, register_font, wrap
from egov.documents.actions import IncomingAction
from egov.documents.events import local_moment
from egov.documents.models import Assignment, IncomingDocument, IncomingEvent

MARGIN = 20 * mm


def handling_sheet_filename(document: IncomingDocument) -> str:
    return f"phieu-giai-quyet-van-ban-den-{document.arrival_number or document.pk}.pdf"


class _Writer:
    def __init__(self, canvas: Canvas, font: str) -> None:
        self.canvas = canvas
        self.font = font
        self.width, self.height = A4
        self.y = self.height - MARGIN

    def line(self, text: str, size: float = 11, indent: float = 0) -> None:
        for part in wrap(text, self.font, size, self.width - 2 * MARGIN - indent) or [""]:
            if self.y < MARGIN:
                self.canvas.showPage()
                self.y = self.height - MARGIN
            self.canvas.setFont(self.font, size)
            self.canvas.drawString(MARGIN + indent, self.y, part)
            self.y -= size * 1.45

    def centred(self, text: str, size: float) -> None:
        self.canvas.setFont(self.font, size)
        self.canvas.drawCentredString(self.width / 2, self.y, text)
        self.y -= size * 1.6


def _who(assignment: Assignment) -> str:
    parts = [str(assignment.unit.name) if assignment.unit else ""]
    if assignment.person is not None:
        parts.append(assignment.person.get_full_name() or assignment.person.get_username())
    return " — ".join(p for p in parts if p)


def _actor(event: IncomingEvent) -> str:
    if event.actor is None:
        return "Hệ thống"
    return event.actor.get_full_name() or event.actor.get_username()


def render_handling_sheet(document: IncomingDocument) -> bytes:
    font = register_font()
    canvas, buffer = new_document(A4, title="Phiếu giải quyết văn bản đến")
    out = _Writer(canvas, font)
    out.line(document.agency.name.upper(), 11)
    out.y -= 6
    out.centred("PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN", 14)
    code = f"{document.code_number}/{document.code_notation}".strip("/") or "—"
    issued = f"{document.issued_date:%d/%m/%Y}" if document.issued_date else "—"
    arrival = f"{document.arrival_number}" if document.arrival_number else "—"
    for text in [
        f"Số đến: {arrival}    Ngày đến: {local_moment(document.arrival_date)}",
        f"Số, ký hiệu: {code}    Ngày ban hành: {issued}",
        f"Cơ quan ban hành: {document.organ_name}",
        f"Trích yếu: {document.subject}",
        f"Độ khẩn: {document.get_urgency_display()}    "
        f"Độ mật: {document.get_confidentiality_display()}",
    ]:
        out.line(text, 11)
    assignments = {a.pk: a for a in document.assignments.select_related("unit", "person")}
    events = list(document.events.select_related("actor").order_by("sequence"))
    out.y -= 8
    out.line("1. Ý kiến của lãnh đạo cơ quan, tổ chức", 12)
    distributions = [e for e in events if e.action == IncomingAction.DISTRIBUTE]
    if not distributions:
        out.line("(chưa phân phối)", 11, indent=8 * mm)
    for event in distributions:
        out.line(f"{_actor(event)}, {local_moment(event.at)}:", 11, indent=8 * mm)
        if event.reason:
            out.line(f"Bút phê: {event.reason}", 11, indent=8 * mm)
        for item in event.data.get("assignments", []):
            assignment = assignments.get(item.get("id"))
            if assignment is None:
                continue
            due = local_moment(assignment.due_at) if assignment.due_at else "không ghi hạn"
            text = f"- {assignment.get_role_display()}: {_who(assignment)}; hạn: {due}"
            out.line(text, 11, indent=12 * mm)
            if assignment.instructions and assignment.instructions != event.reason:
                out.line(f"Ý kiến: {assignment.instructions}", 11, indent=16 * mm)
    out.y -= 8
    out.line("2. Ý kiến của lãnh đạo đơn vị, người xử lý", 12)
    steps = [e for e in events if e.action == IncomingAction.START]
    if not steps:
        out.line("(chưa có)", 11, indent=8 * mm)
    for event in steps:
        assignment = assignments.get(event.data.get("assignment"))
        who = _who(assignment) if assignment else ""
        out.line(f"{_actor(event)} ({who}) bắt đầu xử lý, {local_moment(event.at)}", 11, 8 * mm)
    out.y -= 8
    out.line("3. Ý kiến đề xuất của người giải quyết", 12)
    results = [
        e for e in events if e.action in (IncomingAction.COMPLETE, IncomingAction.LINK_REPLY)
    ]
    if not results:
        out.line("(chưa có)", 11, indent=8 * mm)
    for event in results:
        if event.action == IncomingAction.LINK_REPLY:
            text = f"Văn bản trả lời: {event.data.get('code') or '—'}"
        else:
            text = f"Hoàn thành: {event.reason or '—'}"
        out.line(f"{_actor(event)}, {local_moment(event.at)}: {text}", 11, indent=8 * mm)
    return finish(canvas, buffer)
