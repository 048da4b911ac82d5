"""The national service index (QĐ 766/QĐ-TTg) as egov computes it, for leaders and
supervisors: one unit (with the units below it) and one calendar period (?ky=YYYY-MM, YYYY-Qn
or YYYY; ?don_vi=<unit>), each indicator with its numerator, denominator, ratio, points, rule,
source and confidence; and, from each number over dossiers, the dossiers behind it (keyset
pages). The feedback indicators (5.2, 5.3) show their numbers without a link: the staff's
feedback list (workspace.views.feedback) has no unit or period filter to send them to."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.inputs import ParamError, parse_int_param
from egov.org.models import Unit
from egov.reports.periods import Period, PeriodError
from egov.reports.service_index import (
    COMPUTED,
    DENOMINATOR,
    MISSING,
    NUMERATOR,
    STATUS_NO_DATA,
    STATUS_RATIO_ONLY,
    IndicatorResult,
    ServiceIndex,
    index_dossiers,
    index_scope,
    parse_index_period,
    period_code,
    service_index,
)
from egov.reports.service_index_measures import measure_label
from egov.reports.service_index_rules import Indicator, percent
from egov.workspace.views.common import staff_user

# Query values of the drill-down's ?tap=: the numerator, the denominator, what is missing.
PART_PARAMS = {"tu_so": NUMERATOR, "mau_so": DENOMINATOR, "chua_dat": MISSING}


def _scope(request: HttpRequest) -> set[int] | None:
    unit_ids = index_scope(staff_user(request))
    if unit_ids is not None and not unit_ids:
        raise PermissionDenied(_("Trang này dành cho lãnh đạo, giám sát và quản trị."))
    return unit_ids


def _scope_units(unit_ids: set[int] | None) -> list[Unit]:
    units = Unit.objects.valid_on(timezone.localdate()).order_by("name")
    return list(units if unit_ids is None else units.filter(pk__in=unit_ids))


def _unit(request: HttpRequest, unit_ids: set[int] | None, units: list[Unit]) -> Unit:
    """The unit asked for (?don_vi=<id>), within the user's scope; by default the highest
    unit the user's roles reach."""
    pk = parse_int_param(
        request.GET.get("don_vi"), default=0, minimum=0, maximum=2**31 - 1, label=_("Đơn vị")
    )
    if pk:
        if unit_ids is not None and pk not in unit_ids:
            raise PermissionDenied(_("Đơn vị không thuộc phạm vi của bạn."))
        found: Unit | None = Unit.objects.filter(pk=pk).first()
        if found is None:
            raise ParamError(_("Không có đơn vị này."))
        return found
    shown = {u.pk for u in units}
    top = [u for u in units if u.parent_id not in shown]
    if not top:
        raise PermissionDenied(_("Không có đơn vị nào trong phạm vi của bạn."))
    return top[0]


def _period_text(request: HttpRequest) -> str:
    today = timezone.localdate()
    return request.GET.get("ky") or f"{today.year}-{today.month:02d}"


@dataclass(frozen=True)
class DrillDown:
    """The unit, period, part and page asked for by a drill-down list of dossiers."""

    unit: Unit
    period: Period
    part: str
    after: int | None
    # The query that leads back to the same unit and period.
    link: dict[str, str]


PART_LABELS = {
    NUMERATOR: gettext_lazy("Tử số"),
    DENOMINATOR: gettext_lazy("Mẫu số"),
    MISSING: gettext_lazy("Hồ sơ trong mẫu số nhưng không trong tử số"),
}


def drill_down(request: HttpRequest, context: dict[str, Any]) -> DrillDown:
    """Read ?don_vi, ?ky, ?tap and ?sau within the caller's report scope (``context`` gets the
    period typed, for the error page); ParamError or PeriodError with a Vietnamese message."""
    unit_ids = _scope(request)
    units = _scope_units(unit_ids)
    context["period_text"] = _period_text(request)
    unit = _unit(request, unit_ids, units)
    period = parse_index_period(context["period_text"])
    part = PART_PARAMS.get(request.GET.get("tap", ""))
    after = parse_int_param(
        request.GET.get("sau"), default=0, minimum=0, maximum=2**63 - 1, label=_("Trang")
    )
    if part is None:
        raise ParamError(_("Chọn tử số, mẫu số hoặc hồ sơ chưa đạt."))
    link = {"ky": period_code(period), "don_vi": str(unit.pk)}
    return DrillDown(unit, period, part, after or None, link)


def _rule_label(indicator: Indicator) -> str:
    rule = indicator.rule
    if rule.threshold is None:
        text = _("Tuyến tính: điểm tối đa × tỷ lệ")
    else:
        text = _("Ngưỡng: đủ điểm từ %s") % percent(rule.threshold)
    zero = {
        "full": _("mẫu số 0: đủ điểm"),
        "zero": _("mẫu số 0: 0 điểm"),
        "no_data": _("mẫu số 0: chưa có dữ liệu"),
    }[indicator.zero_denominator]
    return f"{text}; {zero}"


STATUS_LABELS = {
    COMPUTED: gettext_lazy("Đã tính"),
    STATUS_NO_DATA: gettext_lazy("Chưa có dữ liệu"),
    STATUS_RATIO_ONLY: gettext_lazy("Chỉ hiển thị tỷ lệ"),
}


def _confidence_label(confidence: str) -> str:
    return {
        "confirmed": _("Đã xác nhận"),
        "observed": _("Theo cách tính quan sát được trên Cổng DVC quốc gia"),
        "secondary": _("Một nguồn thứ cấp"),
        "unconfirmed": _("Chưa xác nhận"),
    }.get(confidence, confidence)


def _percent(ratio: Decimal | None) -> str:
    return "—" if ratio is None else f"{number_format(ratio * 100, 2)} %"


def _row(result: IndicatorResult, link: dict[str, str]) -> dict[str, Any]:
    indicator = result.indicator

    def drill(part: str) -> str:
        query = urlencode({**link, "chi_so": indicator.code, "tap": part})
        return f"{reverse('workspace:service_index_dossiers')}?{query}"

    return {
        "result": result,
        "status": STATUS_LABELS[result.status],
        "percent": _percent(result.ratio),
        "rule": _rule_label(indicator),
        "confidence": _confidence_label(indicator.confidence),
        "numerator_label": measure_label(indicator.numerator or ""),
        "denominator_label": measure_label(indicator.denominator or ""),
        "numerator_url": drill("tu_so") if result.drillable else "",
        "denominator_url": drill("mau_so") if result.drillable else "",
        "missing_url": drill("chua_dat") if result.drillable else "",
    }


def _groups(index: ServiceIndex, link: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "group": g,
            "rows": [
                _row(r, link)
                for r in g.indicators
                # A parent group lists its parts' indicators under the parts themselves.
                if r.indicator.group == g.group.code
            ],
        }
        for g in index.groups
    ]


@login_required
def service_index_page(request: HttpRequest) -> HttpResponse:
    unit_ids = _scope(request)
    units = _scope_units(unit_ids)
    context: dict[str, Any] = {"units": units, "period_text": _period_text(request)}
    try:
        unit = _unit(request, unit_ids, units)
        period = parse_index_period(context["period_text"])
        index = service_index(unit=unit, period=period)
    except (ParamError, PeriodError) as exc:
        context["error"] = str(exc)
        return render(request, "workspace/service_index.html", context, status=400)
    link = {"ky": period_code(period), "don_vi": str(unit.pk)}
    names = {g.group.code: g.group.name for g in index.groups}
    context.update(
        index=index,
        unit=unit,
        period_text=period_code(period),
        groups=_groups(index, link),
        incomplete=[names[code] for code in index.incomplete_groups],
    )
    return render(request, "workspace/service_index.html", context)


@login_required
def service_index_dossiers(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one number of the index (?chi_so=<code>&tap=tu_so|mau_so|chua_dat,
    ?sau=<id> for the next page)."""
    context: dict[str, Any] = {}
    try:
        asked = drill_down(request, context)
        unit, period, part = asked.unit, asked.period, asked.part
        code = request.GET.get("chi_so", "")
        try:
            page = index_dossiers(
                unit=unit, period=period, indicator_code=code, part=part, after=asked.after
            )
        except LookupError:
            raise ParamError(_("Chỉ số này không có danh sách hồ sơ.")) from None
    except (ParamError, PeriodError) as exc:
        context["error"] = str(exc)
        return render(request, "workspace/service_index_dossiers.html", context, status=400)
    index = service_index(unit=unit, period=period)
    result = next(r for r in index.indicators if r.code == code)
    link = asked.link
    next_url = ""
    if page.next_after is not None:
        query = {**link, "chi_so": code, "tap": request.GET["tap"], "sau": page.next_after}
        next_url = f"{reverse('workspace:service_index_dossiers')}?{urlencode(query)}"
    context.update(
        unit=unit,
        period_text=period_code(period),
        row=_row(result, link),
        part_label=PART_LABELS[part],
        page=page,
        next_url=next_url,
        back_url=f"{reverse('workspace:service_index')}?{urlencode(link)}",
    )
    return render(request, "workspace/service_index_dossiers.html", context)
