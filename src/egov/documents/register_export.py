"""Phụ lục IV registers rendered: PDF (A4 landscape, for printing and binding) and Excel."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from egov.core.printing.pdf import Table, finish, new_document, register_font
from egov.documents.registers import COLUMNS, Register

MARGIN = 8 * mm


def register_pdf(register: Register) -> bytes:
    """The register on A4 landscape: agency, title, period, the Phụ lục IV columns, one row
    per document, the page number at the foot of every page."""
    font = register_font()
    size = landscape(A4)
    canvas, buffer = new_document(size, title=f"{register.title} {register.agency.name}")
    width, height = size
    table = Table(COLUMNS[register.kind], font=font, size=7.5, left=MARGIN, right=width - MARGIN)
    page = 1

    def footer() -> None:
        canvas.setFont(font, 8)
        canvas.drawCentredString(width / 2, MARGIN / 2 + 2, f"Trang {page}")

    def header() -> float:
        y: float = float(height - MARGIN)
        canvas.setFont(font, 9)
        canvas.drawString(MARGIN, y, register.agency.name.upper())
        y -= 18
        canvas.setFont(font, 14)
        canvas.drawCentredString(width / 2, y, register.title)
        y -= 14
        canvas.setFont(font, 10)
        canvas.drawCentredString(width / 2, y, register.period)
        y -= 18
        y = table.draw_titles(canvas, y)
        footer()
        return y - 2

    def next_page() -> float:
        nonlocal page
        page += 1
        return header()

    y = header()
    for cells in register.rows:
        y = table.draw_row(canvas, cells, y, bottom=MARGIN + 8, header=next_page)
    if not register.rows:
        canvas.setFont(font, 9)
        canvas.drawString(MARGIN, y - 10, "Không có văn bản trong kỳ.")
    return finish(canvas, buffer)


def register_xlsx(register: Register) -> bytes:
    """The register as a workbook: title, agency and period above, then the header row in
    bold and one row per document; column widths follow the printed layout."""
    book = Workbook()
    sheet = book.active
    sheet.title = register.kind.value
    sheet.append([register.agency.name])
    sheet.append([register.title])
    sheet.append([register.period])
    sheet.append([])
    sheet.append(register.columns)
    header_row = sheet.max_row
    sheet["A2"].font = Font(bold=True, size=13)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cells in register.rows:
        sheet.append(cells)
    for index, (_title, column_mm) in enumerate(COLUMNS[register.kind], start=1):
        # Roughly 2 mm per character of the default font.
        sheet.column_dimensions[get_column_letter(index)].width = max(8, column_mm // 2 + 2)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def register_filename(register: Register, extension: str) -> str:
    period = f"{register.start:%Y%m%d}-{register.end:%Y%m%d}"
    return f"so-van-ban-{register.kind.value}-{period}.{extension}"
