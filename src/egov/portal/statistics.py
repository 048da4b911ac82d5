"""The public statistics page /thong-ke/ (issue 15): on-time, online and satisfaction ratios by
unit and month, from the cached figures of ``egov.reports.public`` (no personal data)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from egov.reports.charts import (
    Cell,
    Series,
    Table,
    bar_chart,
    line_chart,
    ratio,
    vn_number,
    vn_percent,
)
from egov.reports.dashboard import MonthFigures
from egov.reports.public import UnitStatistics, public_statistics


def _percent_of(numerator: int, denominator: int) -> int | None:
    """A whole percentage for the bar chart (the table gives the exact figure); None without
    data, which the chart writes "—", not 0 %."""
    value = ratio(numerator, denominator)
    return None if value is None else int((value * 100).to_integral_value())


def _month_table(caption: str, months: list[MonthFigures]) -> Table:
    return Table(
        caption=caption,
        columns=[
            _("Tháng"),
            _("Đã giải quyết"),
            _("Trước hạn, đúng hạn"),
            _("Tỷ lệ đúng hạn"),
            _("Tiếp nhận"),
            _("Trực tuyến"),
            _("Tỷ lệ trực tuyến"),
            _("Lượt đánh giá"),
            _("Hài lòng"),
            _("Tỷ lệ hài lòng"),
        ],
        rows=[
            (
                f"{m.period.first_day:%m/%Y}",
                [
                    Cell(vn_number(m.resolved)),
                    Cell(vn_number(m.on_time)),
                    Cell(vn_percent(ratio(m.on_time, m.resolved))),
                    Cell(vn_number(m.received)),
                    Cell(vn_number(m.online)),
                    Cell(vn_percent(ratio(m.online, m.received))),
                    Cell(vn_number(m.rated)),
                    Cell(vn_number(m.satisfied)),
                    Cell(vn_percent(ratio(m.satisfied, m.rated))),
                ],
            )
            for m in months
        ],
    )


def _unit_table(units: list[UnitStatistics]) -> Table:
    def share(unit: UnitStatistics, numerator: str, denominator: str) -> Cell:
        return Cell(
            f"{vn_percent(ratio(unit.total(numerator), unit.total(denominator)))}"
            f" ({vn_number(unit.total(numerator))}/{vn_number(unit.total(denominator))})"
        )

    return Table(
        caption=_("Tỷ lệ của từng đơn vị trong 12 tháng (số hồ sơ, lượt đánh giá trong ngoặc)"),
        columns=[_("Đơn vị"), _("Đúng hạn"), _("Trực tuyến"), _("Hài lòng")],
        rows=[
            (
                u.name,
                [
                    share(u, "on_time", "resolved"),
                    share(u, "online", "received"),
                    share(u, "satisfied", "rated"),
                ],
            )
            for u in units
        ],
    )


def statistics_page(request: HttpRequest) -> HttpResponse:
    statistics = public_statistics()
    chosen = request.GET.get("don_vi", "")[:100]
    unit = next((u for u in statistics.units if u.key == chosen), None) if chosen else None
    if chosen and unit is None:
        return render(
            request,
            "portal/statistics.html",
            {"error": _("Không có số liệu của đơn vị này."), "statistics": statistics},
            status=404,
        )
    months = unit.months if unit is not None else statistics.province
    where = unit.name if unit is not None else _("toàn tỉnh")
    on_time_chart = line_chart(
        chart_id="chart-public-on-time",
        title=_("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn theo tháng — %(where)s")
        % {"where": where},
        desc=_("12 tháng gần nhất; tháng không có hồ sơ giải quyết xong để trống."),
        categories=[f"{m.period.first_day:%m/%Y}" for m in months],
        values=[ratio(m.on_time, m.resolved) for m in months],
    )
    units = statistics.units
    units_chart = bar_chart(
        chart_id="chart-public-units",
        title=_("Tỷ lệ đúng hạn, trực tuyến và hài lòng của từng đơn vị (%)"),
        desc=_("Mỗi đơn vị ba thanh: đúng hạn (đặc), trực tuyến (sọc), hài lòng (chấm)."),
        categories=[u.name for u in units],
        series=[
            Series(
                _("Đúng hạn"), [_percent_of(u.total("on_time"), u.total("resolved")) for u in units]
            ),
            Series(
                _("Trực tuyến"),
                [_percent_of(u.total("online"), u.total("received")) for u in units],
            ),
            Series(
                _("Hài lòng"), [_percent_of(u.total("satisfied"), u.total("rated")) for u in units]
            ),
        ],
        suffix=" %",
    )
    return render(
        request,
        "portal/statistics.html",
        {
            "statistics": statistics,
            "unit": unit,
            "where": where,
            "on_time_chart": on_time_chart,
            "month_table": _month_table(
                _("Số liệu theo tháng — %(where)s") % {"where": where}, months
            ),
            "units_chart": units_chart,
            "unit_table": _unit_table(units),
        },
    )
