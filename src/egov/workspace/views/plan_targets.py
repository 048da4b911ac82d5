"""The plan's targets (Đề án Chính quyền điện tử, QĐ 2459/QĐ-UBND 2012, 1.2.x) for the
provincial level: each target's value for a quarter (?quy=YYYY-Qn, the current one by
default), whether it is met, its trend and its source; the quarterly progress report (PDF,
Excel); and the form where a responsible unit enters the figures egov cannot compute."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.downloads import content_response, pdf_response
from egov.core.replicas import report_reads
from egov.reports.periods import PeriodError
from egov.reports.targets import (
    Quarter,
    default_plan,
    parse_quarter,
    plan_targets_for,
    progress_report,
    quarter_containing,
)
from egov.reports.targets_access import (
    entry_units,
    may_view_plan_targets,
    responsible_units,
)
from egov.reports.targets_export import (
    progress_pdf,
    progress_xlsx,
    report_filename,
    row_cells,
    value_text,
)
from egov.reports.targets_models import Measure, Plan, PlanTarget
from egov.reports.targets_services import EntryInput, plan_target_entry_record
from egov.workspace.plan_target_forms import PlanTargetEntryForm
from egov.workspace.views.common import staff_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan_or_404() -> Plan:
    plan = default_plan()
    if plan is None:
        raise Http404(_("Chưa nạp chỉ tiêu đề án (manage.py load_plan_targets)."))
    return plan


def _viewer(request: HttpRequest) -> None:
    if not may_view_plan_targets(staff_user(request)):
        raise PermissionDenied(_("Trang này dành cho lãnh đạo, giám sát và quản trị cấp tỉnh."))


def _quarter(request: HttpRequest) -> Quarter:
    """The quarter asked for, or the current one; PeriodError for a bad or future quarter."""
    today = timezone.localdate()
    text = request.GET.get("quy", "")
    if not text:
        return quarter_containing(today)
    quarter = parse_quarter(text[:20])
    if quarter.period().first_day > today:
        raise PeriodError(_("Quý %(q)s chưa bắt đầu.") % {"q": quarter})
    return quarter


@login_required
def plan_targets(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    plan = _plan_or_404()
    try:
        quarter = _quarter(request)
    except PeriodError as exc:
        return render(request, "workspace/plan_targets.html", {"error": str(exc)}, status=400)
    with report_reads():
        rows = plan_targets_for(plan, quarter)
    trend_quarters = [point.quarter for point in rows[0].trend] if rows else []
    context: dict[str, Any] = {
        "plan": plan,
        "quarter": quarter,
        "rows": [(row, row_cells(row)) for row in rows],
        "trend_quarters": trend_quarters,
        "trend_rows": [
            (
                row.target,
                [value_text(point.value, row.target.unit_of_measure) for point in row.trend],
            )
            for row in rows
        ],
        "previous": quarter.previous(),
    }
    return render(request, "workspace/plan_targets.html", context)


@login_required
def plan_targets_report(request: HttpRequest) -> HttpResponse:
    """The quarterly progress report to the province: ?quy=YYYY-Qn&dinh_dang=pdf|xlsx."""
    _viewer(request)
    plan = _plan_or_404()
    output = request.GET.get("dinh_dang", "pdf")
    try:
        quarter = _quarter(request)
        if output not in ("pdf", "xlsx"):
            raise PeriodError(_("Định dạng phải là pdf hoặc xlsx."))
    except PeriodError as exc:
        return render(request, "workspace/plan_targets.html", {"error": str(exc)}, status=400)
    with report_reads():
        report = progress_report(plan, quarter)
    if output == "xlsx":
        return content_response(
            progress_xlsx(report), content_type=XLSX, filename=report_filename(report, "xlsx")
        )
    return pdf_response(progress_pdf(report), report_filename(report, "pdf"))


def _entered_targets(plan: Plan) -> list[PlanTarget]:
    return list(
        PlanTarget.objects.valid_on(timezone.localdate())
        .filter(plan=plan, measure=Measure.ENTERED)
        .order_by("code")
    )


@login_required
def plan_target_entry(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: record the figure (refused with the form's errors)."""
    user = staff_user(request)
    plan = _plan_or_404()
    targets = _entered_targets(plan)
    current = quarter_containing(timezone.localdate())
    mine = [t for t in targets if entry_units(user, t, current.year, current.number)]
    if not mine:
        raise PermissionDenied(
            _("Bạn không thuộc đơn vị nào chịu trách nhiệm nhập số liệu chỉ tiêu đề án.")
        )
    units = {u.pk: u for t in targets for u in responsible_units(t, timezone.localdate())}
    form = PlanTargetEntryForm(
        request.POST or None,
        request.FILES or None,
        targets=targets,
        units=list(units.values()),
        initial={"quarter": str(current)},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            quarter = parse_quarter(data["quarter"])
            upload = data.get("evidence_file")
            try:
                entry = plan_target_entry_record(
                    actor=user,
                    entry=EntryInput(
                        target=data["target"],
                        unit=data["unit"],
                        year=quarter.year,
                        quarter=quarter.number,
                        value=data["value"],
                        evidence_reference=data["evidence_reference"],
                        note=data["note"],
                    ),
                    upload=upload,
                    upload_name=upload.name if upload else "",
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Đã ghi số liệu chỉ tiêu %(code)s %(quarter)s: %(value)s.")
                    % {
                        "code": entry.target.code,
                        "quarter": quarter.label,
                        "value": value_text(entry.value, entry.target.unit_of_measure),
                    },
                )
                return redirect("workspace:plan_target_entry")
    context = {"form": form, "targets": mine, "current": current}
    return render(request, "workspace/plan_target_entry.html", context, status=status)
