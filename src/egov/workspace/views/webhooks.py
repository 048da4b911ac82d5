"""Event subscriptions of partner systems, for provincial administrators: every subscription
with its owner, state, health and its counts of delivered, waiting and dead deliveries."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from egov.webhooks.permissions import may_oversee
from egov.webhooks.selectors import subscriptions_health
from egov.workspace.views.common import staff_user


@login_required
def webhook_subscriptions(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not may_oversee(user):
        raise PermissionDenied(_("Trang này dành cho quản trị hệ thống cấp tỉnh."))
    return render(request, "workspace/webhooks.html", {"rows": subscriptions_health()})
