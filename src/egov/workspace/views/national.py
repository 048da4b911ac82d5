"""The national-portal sync dashboard, for provincial administrators: how far behind the push
is (the oldest change still waiting), how many changes are in each state, the last failures,
and a button that puts the failed ones back in the queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from egov.accounts.actors import signed_in
from egov.accounts.scope import is_provincial_admin
from egov.national.gateway import sync_enabled
from egov.national.models import SyncStatus
from egov.national.selectors import sync_overview
from egov.national.services.push import national_sync_retry
from egov.workspace.views.common import staff_only


def _provincial_admin(request: HttpRequest) -> None:
    staff_only(request)
    if not is_provincial_admin(request.user):
        raise PermissionDenied(_("Trang này dành cho quản trị hệ thống cấp tỉnh."))


@login_required
@require_http_methods(["GET", "POST"])
def national_sync(request: HttpRequest) -> HttpResponse:
    _provincial_admin(request)
    if request.method == "POST":
        count = national_sync_retry(actor=signed_in(request))
        messages.success(
            request,
            ngettext(
                "Đã đưa %(n)d bản ghi vào hàng đợi gửi lại.",
                "Đã đưa %(n)d bản ghi vào hàng đợi gửi lại.",
                count,
            )
            % {"n": count},
        )
        return redirect("workspace:national_sync")
    overview = sync_overview()
    return render(
        request,
        "workspace/national_sync.html",
        {
            "enabled": sync_enabled(),
            "overview": overview,
            "counts": [(label, overview.counts[value]) for value, label in SyncStatus.choices],
            "lag_minutes": int(overview.lag.total_seconds() // 60) if overview.lag else None,
        },
    )
