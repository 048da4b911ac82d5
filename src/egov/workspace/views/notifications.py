"""Delivery of messages to citizens, for those who watch the service: centre leaders,
supervisors and administrators — each sees the messages of the units where they hold one of
those roles, and of the units below them (provincial watchers see every message)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from egov.accounts.models import Role
from egov.accounts.scope import units_under_roles
from egov.accounts.selectors import active_role_assignments
from egov.notifications.models import MessageStatus
from egov.notifications.selectors import delivery_overview, mask_recipient
from egov.workspace.views.common import staff_only

WATCHERS = {Role.CENTRE_LEADER, Role.SUPERVISOR, Role.SYSTEM_ADMIN}


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    if not {a.role for a in active_role_assignments(request.user)} & WATCHERS:
        raise PermissionDenied(_("Trang này dành cho lãnh đạo Trung tâm, giám sát và quản trị."))
    counts, troubled = delivery_overview(unit_ids=units_under_roles(request.user, WATCHERS))
    return render(
        request,
        "workspace/outbox.html",
        {
            "counts": [(label, counts.get(value, 0)) for value, label in MessageStatus.choices],
            "rows": [(m, mask_recipient(m.recipient)) for m in troubled],
        },
    )
