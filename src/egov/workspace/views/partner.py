"""What a partner agency keeps after liên thông: its own part of the dossier's history,
read-only (the dossier itself is visible to it only while it holds it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from egov.dossiers.permissions import get_dossier_for_actor, partner_events_for_actor
from egov.dossiers.selectors import ACTION_LABELS
from egov.workspace.views.common import staff_only


@login_required
@require_GET
def partner_history(request: HttpRequest, code: str) -> HttpResponse:
    staff_only(request)
    if get_dossier_for_actor(request.user, code) is not None:
        return redirect("workspace:dossier", code=code)
    found = partner_events_for_actor(request.user, code)
    if found is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi bạn được xem."))
    dossier, events = found
    return render(
        request,
        "workspace/partner_history.html",
        {
            "code": dossier.code,
            "events": [(e, ACTION_LABELS.get(e.action, e.action)) for e in events],
        },
    )
