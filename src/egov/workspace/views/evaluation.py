"""The official evaluation for leaders (TT 01/2018/TT-VPCP Điều 15): the scores and grades of
the officers and units under the leader's roles for a period (?tu=…&den=…, the current quarter
by default — the desk reports quarterly, Điều 15 khoản 4 điểm b), and the unit-level indices
assessed from inspections and reports (5, 6, 8)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.models import Role
from egov.accounts.scope import units_under_roles
from egov.core.inputs import ParamError, checked_period, parse_date_param, parse_int_param
from egov.org.models import Unit
from egov.ratings.indices import index_set_on
from egov.ratings.selectors import evaluation_scores
from egov.ratings.services import unit_assessment_record
from egov.workspace.views.common import staff_user

LEADERS = (Role.CENTRE_LEADER, Role.DEPARTMENT_LEADER, Role.SUPERVISOR, Role.SYSTEM_ADMIN)
MAX_DAYS = 366


def _scope(request: HttpRequest) -> set[int] | None:
    unit_ids = units_under_roles(staff_user(request), LEADERS)
    if unit_ids is not None and not unit_ids:
        raise PermissionDenied(_("Trang này dành cho lãnh đạo, giám sát và quản trị."))
    return unit_ids


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _units(unit_ids: set[int] | None) -> list[Unit]:
    units = Unit.objects.valid_on(timezone.localdate()).order_by("name")
    return list(units if unit_ids is None else units.filter(pk__in=unit_ids))


@login_required
def evaluation_page(request: HttpRequest) -> HttpResponse:
    unit_ids = _scope(request)
    today = timezone.localdate()
    try:
        start = parse_date_param(
            request.GET.get("tu"), default=_quarter_start(today), label=_("từ ngày")
        )
        end = parse_date_param(request.GET.get("den"), default=today, label=_("đến ngày"))
        assert start is not None and end is not None
        checked_period(start, end, max_days=MAX_DAYS)
    except ParamError as exc:
        return render(request, "workspace/evaluation.html", {"error": str(exc)}, status=400)
    report = evaluation_scores(start=start, end=end, unit_ids=unit_ids)
    index_set = report.index_set
    context: dict[str, Any] = {
        "report": report,
        "index_set": index_set,
        "indices": [index_set.index(n) for n in sorted(index_set.indices)],
        "officer_indices": index_set.officer_indices,
        "unit_indices": index_set.unit_indices,
        "officers": [
            (row, [row.averages[n] for n in index_set.officer_indices]) for row in report.officers
        ],
        "units": [(row, [row.averages[n] for n in index_set.unit_indices]) for row in report.units],
        "assessable": [
            index_set.index(n)
            for n in sorted(index_set.indices)
            if index_set.index(n).source == "assessment"
        ],
        "scope_units": _units(unit_ids),
    }
    return render(request, "workspace/evaluation.html", context)


def _share(value: str | None, label: str) -> str:
    number = parse_int_param(value, default=0, minimum=0, maximum=100, label=label)
    return str(number / 100)


def _count(value: str | None, label: str) -> int:
    return parse_int_param(value, default=0, minimum=0, maximum=10**6, label=label)


@login_required
@require_POST
def unit_assessment(request: HttpRequest) -> HttpResponse:
    """Record index 5, 6 or 8 of a unit for a period, from the facts of an inspection or
    report; the score follows from the index set's thresholds."""
    unit_ids = _scope(request)
    post = request.POST
    try:
        unit_pk = parse_int_param(post.get("unit"), default=0, minimum=1, maximum=2**31 - 1)
        number = parse_int_param(post.get("index"), default=0, minimum=1, maximum=99)
        start = parse_date_param(post.get("tu"), label=_("từ ngày"))
        end = parse_date_param(post.get("den"), label=_("đến ngày"))
        if start is None or end is None:
            raise ParamError(_("Cần chọn kỳ đánh giá."))
        checked_period(start, end, max_days=MAX_DAYS)
        facts: dict[str, Any] = {}
        kind = index_set_on(end).index(number).kind if number in index_set_on(end).indices else ""
        if kind == "desk_model":
            facts = {
                "level": post.get("level", ""),
                "full_handling_share": _share(post.get("full_handling_pct"), _("Tỷ lệ (%)")),
                "at_desk_share": _share(post.get("at_desk_pct"), _("Tỷ lệ (%)")),
            }
        elif kind == "publicity":
            facts = {
                "posted": post.get("posted") == "1",
                "electronic": post.get("electronic") == "1",
            }
        elif kind == "feedback":
            facts = {
                "total": _count(post.get("total"), _("Số phản ánh, kiến nghị")),
                "on_time": _count(post.get("on_time"), _("Số phản ánh, kiến nghị")),
                "prolonged": _count(post.get("prolonged"), _("Số phản ánh, kiến nghị")),
            }
    except ParamError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:evaluation")
    unit = next((u for u in _units(unit_ids) if u.pk == unit_pk), None)
    if unit is None:
        messages.error(request, _("Đơn vị không thuộc phạm vi của bạn."))
        return redirect("workspace:evaluation")
    try:
        assessment = unit_assessment_record(
            actor=staff_user(request),
            unit=unit,
            index=number,
            period_start=start,
            period_end=end,
            facts=facts,
            basis=post.get("basis", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã ghi điểm chỉ số %(index)s của %(unit)s: %(score)s điểm.")
            % {"index": number, "unit": unit.name, "score": assessment.score},
        )
    return redirect(f"{reverse('workspace:evaluation')}?{urlencode({'tu': start, 'den': end})}")
