"""Biểu 06 as the form is laid out: an Excel workbook (openpyxl; merged header cells, numbers as
numbers) and a PDF (reportlab, A4 landscape, Noto Sans for Vietnamese) signed with the
reporting unit's agency signature — the NĐ 30/2020/NĐ-CP text stamp at the top right of page 1,
as electronic results and copies are signed (``signing.services.sign_text_stamp``, PAdES B-LT)."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from egov.core.printing.pdf import register_font
from egov.org.models import Unit
from egov.reports.form06 import (
    FORM_BASIS,
    FORM_CODE,
    FORM_TITLE,
    MEASURE,
    Form06Report,
    header_cells,
    iter_table,
    period_line,
)
from egov.signing.services import SigningError, sign_text_stamp
from egov.signing.signers import agency_signer_for

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIGNATURE_FIELD = "SigDonViBaoCao"
# The first row of the table in the workbook (rows above: the form's heading).
HEADER_ROW = 7


class ReportSigningError(Exception):
    """The report could not be signed; ``message`` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _filename_stem(report: Form06Report) -> str:
    period = report.period
    return f"bieu-06-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}-{report.grouping}"


def xlsx_filename(report: Form06Report) -> str:
    return f"{_filename_stem(report)}.xlsx"


def pdf_filename(report: Form06Report) -> str:
    return f"{_filename_stem(report)}.pdf"


def form06_xlsx(report: Form06Report) -> bytes:
    """The workbook: heading (form code, reporting unit, title, period, unit of measure), the
    three header rows with their merged cells, the column numbers (1)…(13), a row per line of
    the report and the total row; cells of columns 3–13 are integers."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Bieu 06"
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet["A1"] = FORM_CODE
    sheet["A1"].font = bold
    sheet["A2"] = str(FORM_BASIS)
    sheet["H1"] = _("Đơn vị báo cáo: %s") % report.reporting_unit
    sheet["A3"] = str(FORM_TITLE)
    sheet["A3"].font = bold
    sheet["A3"].alignment = centred
    sheet.merge_cells("A3:M3")
    sheet["A4"] = period_line(report.period)
    sheet["A4"].alignment = centred
    sheet.merge_cells("A4:M4")
    sheet["K5"] = str(MEASURE)
    for cell in header_cells(report.grouping):
        row, column = HEADER_ROW + cell.row, cell.column
        target = sheet.cell(row=row, column=column, value=str(cell.label))
        target.font = bold
        target.alignment = centred
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=column,
                end_row=row + cell.rowspan - 1,
                end_column=column + cell.colspan - 1,
            )
    numbers_row = HEADER_ROW + 3
    for column in range(1, 14):
        sheet.cell(row=numbers_row, column=column, value=f"({column})").alignment = centred
    row = numbers_row
    for number, label, depth, values in iter_table(report):
        row += 1
        sheet.cell(row=row, column=1, value=number)
        name = sheet.cell(row=row, column=2, value=label)
        name.alignment = Alignment(indent=depth, wrap_text=True)
        for offset, value in enumerate(values):
            sheet.cell(row=row, column=3 + offset, value=value)
        if not number:
            for column in range(1, 14):
                sheet.cell(row=row, column=column).font = bold
    for line in range(HEADER_ROW, row + 1):
        for column in range(1, 14):
            sheet.cell(row=line, column=column).border = box
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 48
    for column in range(3, 14):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.freeze_panes = sheet.cell(row=numbers_row + 1, column=3)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def form06_pdf(report: Form06Report) -> bytes:
    """The form on A4 landscape pages (header rows repeated on each page), unsigned."""
    font = register_font()
    buffer = io.BytesIO()
    page = landscape(A4)
    document = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        # Room at the top right of page 1 for the signature's text stamp.
        topMargin=30 * mm,
        bottomMargin=12 * mm,
        title=f"{FORM_CODE} — {report.reporting_unit}",
        initialFontName=font,
    )
    plain = ParagraphStyle("plain", fontName=font, fontSize=9, leading=11)
    centred = ParagraphStyle("centred", parent=plain, alignment=1)
    title = ParagraphStyle("title", parent=centred, fontSize=11, leading=14)
    cell = ParagraphStyle("cell", parent=plain, fontSize=7.5, leading=9)
    head = ParagraphStyle("head", parent=cell, alignment=1)
    story: list[object] = [
        Paragraph(f"<b>{FORM_CODE}</b> — {FORM_BASIS}", plain),
        Paragraph(_("Đơn vị báo cáo: %s") % report.reporting_unit, plain),
        Spacer(1, 3 * mm),
        Paragraph(f"<b>{FORM_TITLE}</b>", title),
        Paragraph(period_line(report.period), centred),
        Paragraph(str(MEASURE), ParagraphStyle("right", parent=plain, alignment=2)),
        Spacer(1, 2 * mm),
    ]
    grid: list[list[object]] = [["" for _ in range(13)] for _ in range(4)]
    spans = []
    for header in header_cells(report.grouping):
        grid[header.row][header.column - 1] = Paragraph(str(header.label), head)
        if header.rowspan > 1 or header.colspan > 1:
            spans.append(
                (
                    "SPAN",
                    (header.column - 1, header.row),
                    (header.column + header.colspan - 2, header.row + header.rowspan - 1),
                )
            )
    grid[3] = [f"({n})" for n in range(1, 14)]
    for number, label, depth, values in iter_table(report):
        name = Paragraph(("&nbsp;" * 3 * depth) + (label if number else f"<b>{label}</b>"), cell)
        grid.append([number, name, *values])
    widths = [10 * mm, 70 * mm] + [17.5 * mm] * 11
    table = Table(grid, colWidths=widths, repeatRows=4)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 7.5),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 3), (-1, 3), "CENTER"),
                ("ALIGN", (2, 4), (-1, -1), "RIGHT"),
                *spans,
            ]
        )
    )
    story.append(table)
    document.build(story)
    return buffer.getvalue()


def signing_unit(report: Form06Report) -> Unit | None:
    """Who signs: the reporting unit, or the province's People's Committee for the province."""
    if report.unit is not None:
        return report.unit
    return Unit.objects.filter(code=settings.EGOV_NATIONAL_UNIT_CODE).first()


def signed_form06_pdf(report: Form06Report) -> bytes:
    """The PDF with the reporting unit's agency signature (text stamp: form code, unit, time).
    Raises ``ReportSigningError`` when it cannot be signed: a report asked for signed is not
    handed out unsigned."""
    unit = signing_unit(report)
    if unit is None:
        raise ReportSigningError(_("Không xác định được đơn vị ký báo cáo."))
    data = form06_pdf(report)
    try:
        return sign_text_stamp(
            data,
            signer=agency_signer_for(unit),
            heading=FORM_CODE,
            agency=unit.name,
            when=timezone.now(),
            field_name=SIGNATURE_FIELD,
        )
    except SigningError as exc:
        raise ReportSigningError(_("Chưa ký số được báo cáo: %s") % exc.message) from None
    except ImproperlyConfigured:
        raise ReportSigningError(
            _("Chưa cấu hình chứng thư số của %s nên không ký được báo cáo.") % unit.name
        ) from None
