from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.selectors import active_role_assignments, is_staff_member
from egov.dossiers.access import get_dossier_for_user
from egov.dossiers.printing.receipt import render_receipt
from egov.dossiers.selectors import work_queue
from egov.workdays.selectors import calendar_for_unit, year_holidays


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Trang này chỉ dành cho cán bộ, công chức."))
    today = timezone.localdate()
    roles = list(active_role_assignments(request.user, today))
    unit = roles[0].unit if roles else None
    calendar = calendar_for_unit(unit)
    now = timezone.now()
    upcoming = [
        h
        for year in (today.year, today.year + 1)
        for h in year_holidays(year, unit)
        if h.date >= today
    ][:5]
    return render(
        request,
        "workspace/home.html",
        {
            "roles": roles,
            "today": today,
            "is_working_time": calendar.is_working_time(now),
            "next_working_moment": calendar.next_working_moment(now),
            "upcoming_holidays": upcoming,
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Trang này chỉ dành cho cán bộ, công chức."))
    search = request.GET.get("q", "")[:100]
    return render(
        request,
        "workspace/queue.html",
        {"rows": work_queue(request.user, search=search), "search": search},
    )


@login_required
def receipt_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = get_dossier_for_user(request.user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi bạn được xem."))
    lookup = request.build_absolute_uri(reverse("portal:dossier_lookup"))
    response = HttpResponse(
        render_receipt(dossier, lookup_base_url=lookup), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    return response
