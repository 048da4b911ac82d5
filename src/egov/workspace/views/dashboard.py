"""The leaders' dashboards (?bang=unit|centre|province) and the dossiers behind each number
(egov.reports.dashboard; docs/dashboards.md)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.catalog.models import ChannelKind
from egov.dossiers.models import DossierStatus, Outcome
from egov.org.models import Unit
from egov.reports.charts import (
    Cell,
    Series,
    Table,
    bar_chart,
    line_chart,
    ratio,
    ratio_bar,
    vn_number,
    vn_percent,
)
from egov.reports.dashboard import (
    COMPLETION_FIGURES,
    RECEPTION_FIGURES,
    DashboardKind,
    DashboardScope,
    Drill,
    DrillError,
    Figure,
    dashboard,
    dashboard_scopes,
    drill_page,
    month_period,
)
from egov.workspace.views.common import staff_user

KIND_TITLES = {
    DashboardKind.UNIT: gettext_lazy("Đơn vị tôi phụ trách"),
    DashboardKind.CENTRE: gettext_lazy("Trung tâm: hồ sơ tiếp nhận"),
    DashboardKind.PROVINCE: gettext_lazy("Toàn tỉnh"),
}
FIGURE_TITLES = {
    Figure.OPEN: gettext_lazy("Hồ sơ đang chờ xử lý"),
    Figure.OVERDUE: gettext_lazy("Hồ sơ quá hạn"),
    Figure.DUE_SOON: gettext_lazy("Hồ sơ sắp đến hạn (2 ngày làm việc tới)"),
    Figure.RESOLVED: gettext_lazy("Hồ sơ đã giải quyết"),
    Figure.ON_TIME: gettext_lazy("Hồ sơ giải quyết trước hạn, đúng hạn"),
    Figure.LATE: gettext_lazy("Hồ sơ giải quyết quá hạn"),
    Figure.RECEIVED: gettext_lazy("Hồ sơ tiếp nhận"),
    Figure.ONLINE: gettext_lazy("Hồ sơ nộp trực tuyến"),
    Figure.FEE_DUE: gettext_lazy("Hồ sơ có phí, lệ phí hoặc nghĩa vụ tài chính"),
    Figure.PAID_ONLINE: gettext_lazy("Hồ sơ thanh toán trực tuyến"),
}


def _scopes(request: HttpRequest) -> list[DashboardScope]:
    scopes = dashboard_scopes(staff_user(request))
    if not scopes:
        raise PermissionDenied(_("Trang này dành cho lãnh đạo, giám sát và quản trị."))
    return scopes


def _chosen(request: HttpRequest, scopes: list[DashboardScope]) -> DashboardScope | None:
    wanted = request.GET.get("bang", "")
    if not wanted:
        return scopes[0]
    return next((s for s in scopes if s.kind == wanted), None)


def _kind_title(scope: DashboardScope) -> str:
    if scope.kind is DashboardKind.PROVINCE and scope.unit_ids is not None:
        return _("Các đơn vị tôi giám sát")
    return str(KIND_TITLES[scope.kind])


def _month_label(period: Any) -> str:
    return f"{period.first_day:%m/%Y}"


def _month_param(period: Any) -> str:
    return f"{period.first_day:%Y-%m}"


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    scopes = _scopes(request)
    scope = _chosen(request, scopes)
    if scope is None:
        return render(
            request,
            "workspace/dashboard.html",
            {"error": _("Bạn không có bảng điều khiển này."), "scopes": scopes},
            status=400,
        )
    board = dashboard(scope)
    list_url = reverse("workspace:dashboard_dossiers")

    def link(figure: Figure, **extra: str) -> str:
        return f"{list_url}?{urlencode({'bang': scope.kind.value, 'so': figure.value, **extra})}"

    statuses = [(s, n) for s, n in board.by_status.items()]
    status_labels = dict(DossierStatus.choices)
    status_chart = bar_chart(
        chart_id="chart-status",
        title=_("Hồ sơ đang chờ xử lý theo tình trạng"),
        desc=_("Số hồ sơ đang chờ xử lý ở mỗi tình trạng; bảng bên dưới ghi các số này."),
        categories=[str(status_labels[s]) for s, _n in statuses],
        series=[Series(_("Số hồ sơ"), [n for _s, n in statuses])],
    )
    status_table = Table(
        caption=_("Hồ sơ đang chờ xử lý theo tình trạng"),
        columns=[_("Tình trạng"), _("Số hồ sơ")],
        rows=[
            (
                str(status_labels[s]),
                [Cell(vn_number(n), link(Figure.OPEN, trang_thai=s))],
            )
            for s, n in statuses
        ],
    )
    names = [board.unit_names.get(u.unit_id, "") for u in board.units]
    queue_chart = bar_chart(
        chart_id="chart-overdue",
        title=_("Hồ sơ quá hạn và sắp đến hạn theo đơn vị"),
        desc=_("Mỗi đơn vị một thanh: phần quá hạn (đặc) và phần sắp đến hạn (sọc)."),
        categories=names,
        series=[
            Series(_("Quá hạn"), [u.overdue for u in board.units]),
            Series(_("Sắp đến hạn"), [u.due_soon for u in board.units]),
        ],
        stacked=True,
    )
    queue_table = Table(
        caption=_("Hồ sơ quá hạn và sắp đến hạn theo đơn vị"),
        columns=[_("Đơn vị"), _("Quá hạn"), _("Sắp đến hạn")],
        rows=[
            (
                name,
                [
                    Cell(
                        vn_number(u.overdue),
                        link(Figure.OVERDUE, don_vi=str(u.unit_id)),
                        _("%(n)s hồ sơ quá hạn — %(unit)s")
                        % {"n": vn_number(u.overdue), "unit": name},
                    ),
                    Cell(
                        vn_number(u.due_soon),
                        link(Figure.DUE_SOON, don_vi=str(u.unit_id)),
                        _("%(n)s hồ sơ sắp đến hạn — %(unit)s")
                        % {"n": vn_number(u.due_soon), "unit": name},
                    ),
                ],
            )
            for u, name in zip(board.units, names, strict=True)
        ],
    )
    months = board.months
    on_time_chart = line_chart(
        chart_id="chart-on-time",
        title=_("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn theo tháng"),
        desc=_("12 tháng gần nhất; tháng không có hồ sơ giải quyết xong để trống."),
        categories=[_month_label(m.period) for m in months],
        values=[ratio(m.on_time, m.resolved) for m in months],
    )
    on_time_table = Table(
        caption=_("Hồ sơ giải quyết xong theo tháng"),
        columns=[
            _("Tháng"),
            _("Đã giải quyết"),
            _("Trước hạn, đúng hạn"),
            _("Quá hạn"),
            _("Tỷ lệ"),
        ],
        rows=[
            (
                _month_label(m.period),
                [
                    Cell(
                        vn_number(m.resolved), link(Figure.RESOLVED, thang=_month_param(m.period))
                    ),
                    Cell(vn_number(m.on_time), link(Figure.ON_TIME, thang=_month_param(m.period))),
                    Cell(vn_number(m.late), link(Figure.LATE, thang=_month_param(m.period))),
                    Cell(vn_percent(ratio(m.on_time, m.resolved))),
                ],
            )
            for m in months
        ],
    )
    channel_table = Table(
        caption=_("Hồ sơ tiếp nhận và thanh toán trực tuyến theo tháng"),
        columns=[
            _("Tháng"),
            _("Tiếp nhận"),
            _("Trực tuyến"),
            _("Tỷ lệ trực tuyến"),
            _("Có phí, nghĩa vụ tài chính"),
            _("Thanh toán trực tuyến"),
            _("Tỷ lệ thanh toán trực tuyến"),
        ],
        rows=[
            (
                _month_label(m.period),
                [
                    Cell(
                        vn_number(m.received), link(Figure.RECEIVED, thang=_month_param(m.period))
                    ),
                    Cell(vn_number(m.online), link(Figure.ONLINE, thang=_month_param(m.period))),
                    Cell(vn_percent(ratio(m.online, m.received))),
                    Cell(vn_number(m.fee_due), link(Figure.FEE_DUE, thang=_month_param(m.period))),
                    Cell(
                        vn_number(m.paid_online),
                        link(Figure.PAID_ONLINE, thang=_month_param(m.period)),
                    ),
                    Cell(vn_percent(ratio(m.paid_online, m.fee_due))),
                ],
            )
            for m in months
        ],
    )
    gauges = [
        ratio_bar(
            chart_id="chart-online",
            title=_("Tỷ lệ hồ sơ nộp trực tuyến, 12 tháng"),
            numerator=board.total("online"),
            denominator=board.total("received"),
        ),
        ratio_bar(
            chart_id="chart-payment",
            title=_("Tỷ lệ hồ sơ thanh toán trực tuyến, 12 tháng"),
            numerator=board.total("paid_online"),
            denominator=board.total("fee_due"),
        ),
    ]
    context = {
        "scopes": [(s, _kind_title(s)) for s in scopes],
        "scope": scope,
        "scope_title": _kind_title(scope),
        "board": board,
        "overdue_url": link(Figure.OVERDUE),
        "due_soon_url": link(Figure.DUE_SOON),
        "open_url": link(Figure.OPEN),
        "open_total": sum(board.by_status.values()),
        "status_chart": status_chart,
        "status_table": status_table,
        "queue_chart": queue_chart,
        "queue_table": queue_table,
        "on_time_chart": on_time_chart,
        "on_time_table": on_time_table,
        "gauges": gauges,
        "channel_table": channel_table,
    }
    return render(request, "workspace/dashboard.html", context)


def _parse_drill(request: HttpRequest) -> Drill:
    """The number asked for; DrillError with a message for the leader when it makes no sense."""
    try:
        figure = Figure(request.GET.get("so") or Figure.OPEN)  # no figure: every open dossier
    except ValueError:
        raise DrillError(_("Chỉ tiêu không hợp lệ.")) from None
    unit_text = request.GET.get("don_vi", "")
    unit_id = None
    if unit_text:
        if not unit_text.isdigit() or len(unit_text) > 12:
            raise DrillError(_("Đơn vị không hợp lệ."))
        unit_id = int(unit_text)
    month = None
    month_text = request.GET.get("thang", "")
    if figure in COMPLETION_FIGURES or figure in RECEPTION_FIGURES:
        try:
            year, number = (int(part) for part in month_text.split("-"))
            month = month_period(year, number)
        except ValueError:
            raise DrillError(_("Cần chọn tháng hợp lệ (YYYY-MM).")) from None
    status = request.GET.get("trang_thai", "")[:30]
    if status and figure is not Figure.OPEN:
        raise DrillError(_("Chỉ lọc theo tình trạng với hồ sơ đang chờ xử lý."))
    return Drill(figure=figure, unit_id=unit_id, month=month, status=status)


@login_required
def dashboard_dossiers(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one number of the dashboard, 50 a page (?sau=<last id>)."""
    scopes = _scopes(request)
    scope = _chosen(request, scopes)
    try:
        if scope is None:
            raise DrillError(_("Bạn không có bảng điều khiển này."))
        drill = _parse_drill(request)
        after_text = request.GET.get("sau", "")
        if after_text and (not after_text.isdigit() or len(after_text) > 18):
            raise DrillError(_("Liên kết trang không hợp lệ."))
        page = drill_page(scope, drill, after=int(after_text) if after_text else None)
    except DrillError as exc:
        message = str(exc)
        if message in ("month", "status"):
            message = _("Chỉ tiêu không hợp lệ.")
        return render(request, "workspace/dashboard_dossiers.html", {"error": message}, status=400)
    assert scope is not None
    title = str(FIGURE_TITLES[drill.figure])
    details = []
    if drill.status:
        details.append(str(dict(DossierStatus.choices).get(drill.status, drill.status)))
    if drill.unit_id is not None:
        unit = Unit.objects.filter(pk=drill.unit_id).values_list("name", flat=True).first()
        details.append(unit or _("đơn vị không có trong phạm vi"))
    if drill.month is not None:
        details.append(_("tháng %(month)s") % {"month": _month_label(drill.month)})
    kept = {k: v for k, v in request.GET.items() if k != "sau"}
    outcome_labels = dict(Outcome.choices)
    status_labels = dict(DossierStatus.choices)
    channel_labels = dict(ChannelKind.choices)
    rows = [
        {
            "code": d.code,
            "url": reverse("workspace:dossier", kwargs={"code": d.code}),
            "procedure": d.procedure_version.name,
            "unit": (d.handling_unit or d.receiving_unit).name,
            "status": status_labels.get(d.status, d.status),
            "channel": channel_labels.get(d.channel, d.channel),
            "received_at": d.received_at,
            "due_at": d.due_at,
            "completed_at": d.completed_at,
            "outcome": outcome_labels.get(d.outcome, ""),
        }
        for d in page.rows
    ]
    return render(
        request,
        "workspace/dashboard_dossiers.html",
        {
            "title": title,
            "details": details,
            "scope_title": _kind_title(scope),
            "back_url": reverse("workspace:dashboard") + "?" + urlencode({"bang": scope.kind}),
            "rows": rows,
            "now": timezone.now(),
            "first_url": "?" + urlencode(kept),
            "is_first": "sau" not in request.GET,
            "next_url": (
                "?" + urlencode({**kept, "sau": page.next_after}) if page.next_after else ""
            ),
        },
    )
