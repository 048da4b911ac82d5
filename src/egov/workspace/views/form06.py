"""Biểu 06 (TT 01/2020/TT-VPCP) for leaders, centre leaders, supervisors and administrators,
over the units their roles reach: the period (kind, year and number, or a free range; cut-off
or calendar convention), the unit and the grouping in the query string; the table as the form
lays it out, and the same report as an Excel workbook or a signed PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.downloads import content_response, pdf_response
from egov.core.inputs import ParamError, parse_date_param, parse_int_param
from egov.org.models import Unit
from egov.reports.form06 import (
    FORM_BASIS,
    FORM_CODE,
    FORM_TITLE,
    GROUPING_LABELS,
    MEASURE,
    Form06Report,
    Grouping,
    form06_report,
    header_cells,
    iter_table,
    period_line,
)
from egov.reports.form06_exports import (
    XLSX_TYPE,
    ReportSigningError,
    form06_xlsx,
    pdf_filename,
    signed_form06_pdf,
    xlsx_filename,
)
from egov.reports.periods import (
    CONVENTION_LABELS,
    KIND_LABELS,
    Convention,
    Period,
    PeriodError,
    PeriodKind,
    default_convention,
    period_between,
    period_containing,
    period_of,
)
from egov.reports.scope import report_units
from egov.workspace.views.common import staff_user

RANGE = "range"  # the "kind" of a free from/to range
MAX_RANGE_DAYS = 731


@dataclass(frozen=True)
class Choice:
    kind: str
    year: int
    index: int | None
    convention: Convention
    first_day: dt.date | None
    last_day: dt.date | None
    unit: Unit | None
    grouping: Grouping


def _scope(request: HttpRequest) -> set[int] | None:
    unit_ids = report_units(staff_user(request))
    if unit_ids is not None and not unit_ids:
        raise PermissionDenied(_("Trang này dành cho lãnh đạo, giám sát và quản trị."))
    return unit_ids


def _scope_units(unit_ids: set[int] | None) -> list[Unit]:
    units = Unit.objects.order_by("name")
    return list(units if unit_ids is None else units.filter(pk__in=unit_ids))


def _default_unit(units: list[Unit], unit_ids: set[int] | None) -> Unit | None:
    if unit_ids is None:
        return None  # the whole province
    tops = [u for u in units if u.parent_id not in unit_ids]
    return (tops or units)[0]


def _choice(request: HttpRequest, unit_ids: set[int] | None, units: list[Unit]) -> Choice:
    query = request.GET
    today = timezone.localdate()
    try:
        convention = Convention(query.get("quy_uoc") or default_convention())
    except ValueError:
        raise ParamError(_("Cách tính kỳ báo cáo không hợp lệ.")) from None
    kind = query.get("ky") or PeriodKind.QUARTER
    if kind != RANGE and kind not in {k.value for k in PeriodKind}:
        raise ParamError(_("Loại kỳ báo cáo không hợp lệ."))
    current = period_containing(today, PeriodKind.QUARTER, convention=convention)
    year = parse_int_param(
        query.get("nam"), default=current.last_day.year, minimum=2000, maximum=2100, label=_("Năm")
    )
    index: int | None = None
    if kind == PeriodKind.MONTH:
        index = parse_int_param(
            query.get("so"), default=today.month, minimum=1, maximum=12, label=_("Tháng")
        )
    elif kind == PeriodKind.QUARTER:
        index = parse_int_param(
            query.get("so"),
            default=(current.last_day.month - 1) // 3 + 1,
            minimum=1,
            maximum=4,
            label=_("Quý"),
        )
    first = parse_date_param(query.get("tu"), label=_("từ ngày"))
    last = parse_date_param(query.get("den"), label=_("đến ngày"))
    if kind == RANGE:
        if first is None or last is None:
            raise ParamError(_("Cần chọn cả từ ngày và đến ngày."))
        if last < first:
            raise ParamError(_("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu."))
        if (last - first).days >= MAX_RANGE_DAYS:
            raise ParamError(_("Kỳ báo cáo dài tối đa hai năm."))
    try:
        grouping = Grouping(query.get("nhom") or Grouping.UNIT)
    except ValueError:
        raise ParamError(_("Cách nhóm số liệu không hợp lệ.")) from None
    unit = _default_unit(units, unit_ids)
    if query.get("don_vi"):
        pk = parse_int_param(
            query.get("don_vi"), default=0, minimum=0, maximum=2**31 - 1, label=_("Đơn vị")
        )
        if pk == 0 and unit_ids is None:
            unit = None
        else:
            unit = next((u for u in units if u.pk == pk), None)
            if unit is None:
                raise ParamError(_("Đơn vị không thuộc phạm vi của bạn."))
    return Choice(kind, year, index, convention, first, last, unit, grouping)


def _period(choice: Choice) -> Period:
    if choice.kind == RANGE:
        assert choice.first_day is not None and choice.last_day is not None
        return period_between(choice.first_day, choice.last_day)
    return period_of(
        PeriodKind(choice.kind), choice.year, choice.index, convention=choice.convention
    )


def _report(request: HttpRequest) -> tuple[Form06Report | None, dict[str, Any]]:
    unit_ids = _scope(request)
    units = _scope_units(unit_ids)
    context: dict[str, Any] = {
        "scope_units": units,
        "province": unit_ids is None,
        "kinds": [(str(k), label) for k, label in KIND_LABELS.items()]
        + [(RANGE, _("Từ ngày … đến ngày …"))],
        "conventions": list(CONVENTION_LABELS.items()),
        "groupings": list(GROUPING_LABELS.items()),
        "months": range(1, 13),
        "quarters": range(1, 5),
    }
    try:
        choice = _choice(request, unit_ids, units)
        period = _period(choice)
    except (ParamError, PeriodError) as exc:
        context["error"] = str(exc)
        return None, context
    context["choice"] = choice
    report = form06_report(period=period, unit=choice.unit, grouping=choice.grouping)
    context["report"] = report
    return report, context


def _query(request: HttpRequest) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k in _PARAMS])


_PARAMS = {"ky", "nam", "so", "tu", "den", "quy_uoc", "don_vi", "nhom"}


@login_required
def form06_page(request: HttpRequest) -> HttpResponse:
    report, context = _report(request)
    if report is None:
        return render(request, "workspace/form06.html", context, status=400)
    context.update(
        form_code=FORM_CODE,
        form_basis=FORM_BASIS,
        form_title=FORM_TITLE,
        measure=MEASURE,
        period_line=period_line(report.period),
        header_rows=[
            [c for c in header_cells(report.grouping) if c.row == row] for row in range(3)
        ],
        numbers=range(1, 14),
        # Units below others are indented by non-breaking spaces (no inline style).
        table=[
            (number, label, "\u00a0" * 4 * depth, values)
            for number, label, depth, values in iter_table(report)
        ],
        query=_query(request),
    )
    return render(request, "workspace/form06.html", context)


@login_required
def form06_xlsx_download(request: HttpRequest) -> HttpResponse:
    report, context = _report(request)
    if report is None:
        return render(request, "workspace/form06.html", context, status=400)
    return content_response(
        form06_xlsx(report), content_type=XLSX_TYPE, filename=xlsx_filename(report)
    )


@login_required
def form06_pdf_download(request: HttpRequest) -> HttpResponse:
    report, context = _report(request)
    if report is None:
        return render(request, "workspace/form06.html", context, status=400)
    try:
        signed = signed_form06_pdf(report)
    except ReportSigningError as exc:
        context["error"] = exc.message
        return render(request, "workspace/form06.html", context, status=503)
    return pdf_response(signed, pdf_filename(report), inline=False)
