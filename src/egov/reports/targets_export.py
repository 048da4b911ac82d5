"""The quarterly progress report on the plan's targets, as the reporting department sends it
to the province (Sở Thông tin và Truyền thông; since 01/03/2025 Sở Khoa học và Công nghệ):
a PDF (A4 landscape, the project's Vietnamese font) and an Excel workbook with the same rows
as the staff page. The cell texts are made here once for the three of them."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from egov.core.printing.pdf import Table, finish, new_document, register_font
from egov.reports.targets import COMPUTED, ProgressReport, TargetRow
from egov.reports.targets_models import Comparison, PlanTarget
from egov.workdays.models import Confidence

MARGIN = 10 * mm


def value_text(value: Decimal | None, unit_of_measure: str) -> str:
    if value is None:
        return _("chưa có dữ liệu")
    number = formats.number_format(value, decimal_pos=2, use_l10n=True)
    return f"{number} {unit_of_measure}".strip()


def target_text(target: PlanTarget) -> str:
    if target.target_value is None:
        return _("chưa xác định")
    sign = Comparison(target.comparison).label
    number = formats.number_format(target.target_value.normalize(), use_l10n=True)
    return f"{sign} {number} {target.unit_of_measure}".strip()


def met_text(met: bool | None) -> str:
    if met is None:
        return "—"
    return _("Đạt") if met else _("Chưa đạt")


def source_text(row: TargetRow) -> str:
    if row.source == COMPUTED:
        text = _("Tính từ dữ liệu hệ thống")
        if row.ratio is not None:
            text += f" ({row.ratio.numerator}/{row.ratio.denominator})"
        return text
    if row.entry is None:
        return _("Nhập có minh chứng — chưa nhập cho quý này")
    entered_at = timezone.localtime(row.entry.entered_at)
    return _("Nhập có minh chứng — %(unit)s, %(person)s, %(at)s") % {
        "unit": row.entry.unit.name,
        "person": row.entry.entered_by.display_name,
        "at": entered_at.strftime("%d/%m/%Y %H:%M"),
    }


def evidence_text(row: TargetRow) -> str:
    if row.entry is None:
        return ""
    parts = [row.entry.evidence_reference] if row.entry.evidence_reference else []
    if row.entry.evidence_file is not None:
        parts.append(
            _("tệp %(name)s (SHA-256 %(sha)s…)")
            % {"name": row.entry.evidence_file.name, "sha": row.entry.evidence_file.sha256[:12]}
        )
    return "; ".join(parts)


def citation_text(target: PlanTarget) -> str:
    text = f"{target.plan.decision}, {target.article}".strip(", ")
    if target.confidence != Confidence.PRIMARY:
        text += " — " + _("chưa đối chiếu văn bản gốc")
    return text


def trend_text(row: TargetRow) -> str:
    return "; ".join(
        f"{point.quarter.label}: {value_text(point.value, row.target.unit_of_measure)}"
        for point in row.trend
    )


def columns() -> list[tuple[str, float]]:
    return [
        (_("Mã"), 14),
        (_("Chỉ tiêu"), 70),
        (_("Chỉ tiêu đề ra"), 22),
        (_("Kết quả"), 24),
        (_("Đánh giá"), 18),
        (_("Các quý gần nhất"), 50),
        (_("Nguồn số liệu, minh chứng"), 52),
    ]


def row_cells(row: TargetRow) -> list[str]:
    source = source_text(row)
    evidence = evidence_text(row)
    return [
        row.target.code,
        row.target.name,
        target_text(row.target),
        value_text(row.value, row.target.unit_of_measure),
        met_text(row.met),
        trend_text(row),
        f"{source}. {evidence}" if evidence else source,
    ]


def report_title(report: ProgressReport) -> str:
    return _("BÁO CÁO TIẾN ĐỘ THỰC HIỆN CHỈ TIÊU ĐỀ ÁN — %(quarter)s") % {
        "quarter": report.quarter.label.upper()
    }


def _heading_lines(report: ProgressReport) -> list[str]:
    lines = [report.plan.title, report.plan.decision]
    if report.reporter_name:
        lines.append(_("Đơn vị báo cáo: %(unit)s") % {"unit": report.reporter_name})
    lines.append(
        _("Số liệu tính đến ngày %(day)s; lập ngày %(today)s.")
        % {
            "day": max(
                (r.as_of for r in report.rows if r.as_of), default=report.generated_on
            ).strftime("%d/%m/%Y"),
            "today": report.generated_on.strftime("%d/%m/%Y"),
        }
    )
    return lines


def progress_pdf(report: ProgressReport) -> bytes:
    font = register_font()
    size = landscape(A4)
    width, height = size
    canvas, buffer = new_document(size, title=report_title(report))
    table = Table(columns(), font=font, size=8, left=MARGIN, right=width - MARGIN)
    page = 1

    def header() -> float:
        y: float = float(height - MARGIN)
        canvas.setFont(font, 9)
        canvas.drawString(MARGIN, y, (report.reporter_name or "").upper())
        y -= 18
        canvas.setFont(font, 13)
        canvas.drawCentredString(width / 2, y, report_title(report))
        y -= 14
        canvas.setFont(font, 9)
        for line in _heading_lines(report):
            canvas.drawCentredString(width / 2, y, line)
            y -= 11
        y -= 6
        y = table.draw_titles(canvas, y)
        canvas.setFont(font, 8)
        canvas.drawCentredString(width / 2, MARGIN / 2, _("Trang %(n)d") % {"n": page})
        return y - 2

    def next_page() -> float:
        nonlocal page
        page += 1
        return header()

    y = header()
    for row in report.rows:
        y = table.draw_row(canvas, row_cells(row), y, bottom=MARGIN + 10, header=next_page)
    return finish(canvas, buffer)


def progress_xlsx(report: ProgressReport) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(report.quarter)
    sheet.append([report.reporter_name])
    sheet.append([report_title(report)])
    for line in _heading_lines(report):
        sheet.append([line])
    sheet.append([])
    sheet.append([title for title, _mm in columns()])
    header_row = sheet.max_row
    sheet["A2"].font = Font(bold=True, size=13)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in report.rows:
        cells: list[object] = list(row_cells(row))
        # The result as a number, so that the sheet can be computed with.
        cells[3] = float(row.value) if row.value is not None else cells[3]
        sheet.append(cells)
    for index, (_title, column_mm) in enumerate(columns(), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(8, column_mm // 2 + 2)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_filename(report: ProgressReport, extension: str) -> str:
    return f"bao-cao-chi-tieu-de-an-{report.quarter}.{extension}"
