"""Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ (A5), from the event rows.

As the template lays it out: the heading, "Kèm theo hồ sơ của", the request, the reception and
appointment times, the handling and the coordinating agencies, then one block per hand-over —
who gave and who received the dossier, when, the cells where the giver and the receiver sign,
and whether the step ended before, on or after its time. Blank blocks follow for the hand-overs
still to come, written by hand on the paper that travels with the dossier.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from egov.core.printing.pdf import finish, new_document, register_font, wrap
from egov.dossiers.actions import DossierAction
from egov.dossiers.control_sheet import ControlRow, control_rows
from egov.dossiers.models import Dossier, DossierEvent
from egov.dossiers.printing.appointments import appointments
from egov.dossiers.printing.header import draw_form_header, header_for
from egov.dossiers.printing.layouts import form_heading, received_on
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

MARGIN = 10 * mm
SIZE = 7.0
LEADING = 8.5
PAD = 2.0
# Column widths (mm) over the 128 mm between the margins; the time column splits in two
# halves for the giver's and the receiver's signature.
COLUMNS = [
    ("TÊN CƠ QUAN", 40),
    ("THỜI GIAN GIAO, NHẬN HỒ SƠ", 46),
    ("KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)", 22),
    ("GHI CHÚ", 20),
]
# The time cell: two lines; under it the signature cells: "Người giao"/"(Ký)" and room to sign.
TIME_PART = 2 * PAD + 2 * LEADING
SIGNATURE_PART = PAD + 2 * LEADING + float(9 * mm)
BLANK = "……"
MAX_BLANK_BLOCKS = 3


def _when(row: ControlRow | None) -> str:
    if row is None:
        return "… giờ … phút, ngày … / … / ……"
    local = row.at.astimezone(VIETNAM_TZ)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def _moment(value: object) -> str:
    if value is None:
        return "chưa xác định"
    local = value.astimezone(VIETNAM_TZ)  # type: ignore[attr-defined]
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def _agencies(dossier: Dossier, events: Sequence[DossierEvent]) -> tuple[str, str]:
    """The handling agency (the unit handed the dossier, else the procedure's competent
    unit) and the coordinating ones (the procedure's, and those it was sent to)."""
    version = dossier.procedure_version
    lead = dossier.handling_unit or version.competent_unit
    names = [unit.name for unit in version.coordinating_units.order_by("name")]
    keys = [
        str(e.data["to_unit"])
        for e in events
        if e.action == DossierAction.TRANSFER_OUT and (e.data or {}).get("to_unit")
    ]
    by_key = dict(Unit.objects.filter(key__in=keys).values_list("key", "name"))
    names += [by_key[key] for key in keys if key in by_key and by_key[key] not in names]
    return (lead.name if lead else BLANK), ("; ".join(names) or BLANK)


class _Grid:
    """The hand-over table: column edges, the title row and one block per hand-over."""

    def __init__(self, canvas: Canvas, font: str) -> None:
        self.canvas = canvas
        self.font = font
        self.edges: list[float] = [float(MARGIN)]
        for _title, width in COLUMNS:
            self.edges.append(self.edges[-1] + float(width * mm))

    def _width(self, index: int) -> float:
        return self.edges[index + 1] - self.edges[index] - 2 * PAD

    def _text(self, lines: Sequence[str], x: float, top: float) -> None:
        self.canvas.setFont(self.font, SIZE)
        for index, text in enumerate(lines):
            self.canvas.drawString(x + PAD, top - PAD - SIZE - LEADING * index, text)

    def _box(self, top: float, bottom: float) -> None:
        for x in self.edges:
            self.canvas.line(x, top, x, bottom)
        self.canvas.line(self.edges[0], top, self.edges[-1], top)
        self.canvas.line(self.edges[0], bottom, self.edges[-1], bottom)

    def titles(self, top: float) -> float:
        cells = [
            wrap(title, self.font, SIZE, self._width(i)) for i, (title, _w) in enumerate(COLUMNS)
        ]
        bottom = top - 2 * PAD - LEADING * max(len(c) for c in cells) - 1
        for index, lines in enumerate(cells):
            self._text(lines, self.edges[index], top)
        self._box(top, bottom)
        return bottom

    def block_height(self, row: ControlRow | None) -> float:
        text = 2 * PAD + LEADING * max(len(self._left(row)), len(self._notes(row)))
        return max(text, TIME_PART + SIGNATURE_PART)

    def _left(self, row: ControlRow | None) -> list[str]:
        giver = row.giver if row else ""
        receiver = (row.receiver or BLANK) if row else ""
        width = self._width(0)
        return wrap(f"1. Giao: {giver}", self.font, SIZE, width) + wrap(
            f"2. Nhận: {receiver}", self.font, SIZE, width
        )

    def _notes(self, row: ControlRow | None) -> list[str]:
        if row is None:
            return []
        width = self._width(3)
        return wrap(row.action, self.font, SIZE, width) + wrap(row.note, self.font, SIZE, width)

    def block(self, row: ControlRow | None, top: float) -> float:
        """One hand-over from ``top``; the y under it."""
        bottom = top - self.block_height(row)
        self._box(top, bottom)
        self._text(self._left(row), self.edges[0], top)
        time_left, time_right = self.edges[1], self.edges[2]
        self._text(wrap(_when(row), self.font, SIZE, self._width(1)), time_left, top)
        # Under the time: "Người giao" and "Người nhận", each with room to sign.
        split = top - TIME_PART
        middle = (time_left + time_right) / 2
        self.canvas.line(time_left, split, time_right, split)
        self.canvas.line(middle, split, middle, bottom)
        self.canvas.setFont(self.font, SIZE)
        halves = [
            ((time_left + middle) / 2, "Người giao"),
            ((middle + time_right) / 2, "Người nhận"),
        ]
        for centre, who in halves:
            self.canvas.drawCentredString(centre, split - PAD - SIZE, who)
            self.canvas.drawCentredString(centre, split - PAD - SIZE - LEADING, "(Ký)")
        if row is not None:
            self._text([row.status], self.edges[2], top)
            self._text(self._notes(row), self.edges[3], top)
        return bottom


def render_control_sheet(dossier: Dossier) -> bytes:
    font = register_font()
    canvas, buffer = new_document(A5, title=f"Phiếu kiểm soát {dossier.code}")
    width, height = A5
    day = received_on(dossier)
    heading = form_heading("05", day)
    y = draw_form_header(
        canvas,
        header_for(dossier.receiving_unit, day, reference=heading.reference),
        font=font,
        left=MARGIN,
        right=width - MARGIN,
        top=height - MARGIN,
    )
    y -= 6
    canvas.setFont(font, 10)
    canvas.drawCentredString(width / 2, y, heading.title)
    y -= 14
    events = list(dossier.events.order_by("sequence"))
    dates = appointments(dossier, events)
    due = _moment(dates.original)
    if dates.postponed is not None:
        due += f"; hẹn lại: {_moment(dates.postponed)}"
    lead, partners = _agencies(dossier, events)
    canvas.setFont(font, 8)
    for text in [
        f"Kèm theo hồ sơ của: {dossier.applicant_name}",
        f"Mã hồ sơ: {dossier.code}",
        f"Nội dung yêu cầu giải quyết: {dossier.procedure_version.name}",
        f"Thời gian nhận hồ sơ: {_moment(dossier.received_at)}",
        f"Thời gian trả kết quả: {due}",
        f"Cơ quan (bộ phận) giải quyết hồ sơ: {lead}",
        f"Cơ quan phối hợp giải quyết hồ sơ: {partners}",
    ]:
        for part in wrap(text, font, 8, width - 2 * MARGIN):
            canvas.drawString(MARGIN, y, part)
            y -= 10
    y -= 4
    grid = _Grid(canvas, font)
    y = grid.titles(y)
    for row in control_rows(dossier):
        if y - grid.block_height(row) < MARGIN:
            canvas.showPage()
            y = grid.titles(height - MARGIN)
        y = grid.block(row, y)
    # Blank blocks for the hand-overs to come, as many as the page still holds.
    for _blank in range(MAX_BLANK_BLOCKS):
        if y - grid.block_height(None) < MARGIN:
            break
        y = grid.block(None, y)
    return finish(canvas, buffer)


def control_sheet_filename(dossier: Dossier) -> str:
    return f"phieu-kiem-soat-{dossier.code}.pdf"
