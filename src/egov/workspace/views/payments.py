"""Reconciliation of online payments for the officer's units (?tu=…&den=…, &xlsx=1)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.downloads import content_response
from egov.core.inputs import ParamError, checked_period, parse_date_param
from egov.payments.export import reconciliation_xlsx
from egov.payments.models import PaymentStatus
from egov.payments.selectors import MAX_DAYS, reconciliation
from egov.workspace.views.common import staff_only


@login_required
def reconciliation_page(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    today = timezone.localdate()
    try:
        start = parse_date_param(
            request.GET.get("tu"), default=today.replace(day=1), label=_("từ ngày")
        )
        end = parse_date_param(request.GET.get("den"), default=today, label=_("đến ngày"))
        assert start is not None and end is not None
        checked_period(start, end, max_days=MAX_DAYS)
    except ParamError as exc:
        return render(request, "workspace/payments.html", {"error": str(exc)}, status=400)
    report = reconciliation(request.user, start, end)
    if request.GET.get("xlsx") == "1":
        return content_response(
            reconciliation_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"doi-soat-{start}-{end}.xlsx",
        )
    labels = dict(PaymentStatus.choices)
    return render(
        request,
        "workspace/payments.html",
        {
            "report": report,
            "totals": [(labels[s], c, a) for s, (c, a) in report.totals.items()],
        },
    )
