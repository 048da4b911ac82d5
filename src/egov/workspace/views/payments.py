"""Reconciliation of online payments for the officer's units (?tu=…&den=…, &xlsx=1)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.payments.export import reconciliation_xlsx
from egov.payments.models import PaymentStatus
from egov.payments.selectors import MAX_DAYS, reconciliation
from egov.workspace.views.common import staff_only


def _day(value: str, default: dt.date) -> dt.date | None:
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@login_required
def reconciliation_page(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    today = timezone.localdate()
    start = _day(request.GET.get("tu", ""), today.replace(day=1))
    end = _day(request.GET.get("den", ""), today)
    error = ""
    if start is None or end is None:
        error = _("Ngày không hợp lệ; dùng dạng YYYY-MM-DD.")
    elif end < start or (end - start).days > MAX_DAYS:
        error = _("Khoảng thời gian phải từ 1 ngày đến %d ngày.") % (MAX_DAYS + 1)
    if error:
        return render(request, "workspace/payments.html", {"error": error}, status=400)
    assert start is not None and end is not None
    report = reconciliation(request.user, start, end)
    if request.GET.get("xlsx") == "1":
        response = HttpResponse(
            reconciliation_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="doi-soat-{start}-{end}.xlsx"'
        return response
    labels = dict(PaymentStatus.choices)
    return render(
        request,
        "workspace/payments.html",
        {
            "report": report,
            "totals": [(labels[s], c, a) for s, (c, a) in report.totals.items()],
        },
    )
