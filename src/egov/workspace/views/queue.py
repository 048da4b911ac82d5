"""The officer's start page and work queues."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from egov.accounts.selectors import active_role_assignments, is_staff_member
from egov.catalog.models import ChannelKind
from egov.dossiers.models import OPEN_STATUSES, DossierStatus
from egov.dossiers.selectors import (
    COUNT_CAP,
    QueueCursor,
    QueueFilters,
    queue_counts,
    work_queue_page,
)
from egov.workdays.selectors import calendar_for_unit, year_calendar


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Trang này chỉ dành cho cán bộ, công chức."))
    today = timezone.localdate()
    roles = list(active_role_assignments(request.user, today))
    unit = roles[0].unit if roles else None
    calendar = calendar_for_unit(unit)
    now = timezone.now()
    years = [year_calendar(year, unit) for year in (today.year, today.year + 1)]
    upcoming = [h for year in years for h in year.days_off if h.date >= today][:5]
    return render(
        request,
        "workspace/home.html",
        {
            "roles": roles,
            "today": today,
            "is_working_time": calendar.is_working_time(now),
            "next_working_moment": calendar.next_working_moment(now),
            "upcoming_holidays": upcoming,
            # A year without the Prime Minister's decision is computed from the Code only.
            "calendar_notes": [year.note for year in years if year.note],
            "counts": queue_counts(request.user, now=now) if roles else None,
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The unit's queue, or with ?cua-toi=1 the dossiers assigned to this officer; filters by
    status, urgency and channel, and search by code, applicant name or ID."""
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Trang này chỉ dành cho cán bộ, công chức."))
    filters = QueueFilters(
        search=request.GET.get("q", "")[:100],
        mine=request.GET.get("cua-toi") == "1",
        status=request.GET.get("trang-thai", "")[:30],
        urgency=request.GET.get("han", "")[:10],
        channel=request.GET.get("kenh", "")[:10],
    )
    token = request.GET.get("sau", "")
    cursor = QueueCursor.decode(token) if token else None
    page = work_queue_page(request.user, filters=filters, cursor=cursor)
    # Labels and URLs are computed once per page, not once per row (the queue is the page
    # officers reload all day).
    urgency_labels = {
        "overdue": _("Quá hạn"),
        "due_soon": _("Sắp đến hạn"),
        "in_time": _("Trong hạn"),
    }
    status_labels = {value: str(label) for value, label in DossierStatus.choices}
    detail_base = reverse("workspace:dossier", kwargs={"code": "CODE"}).replace("CODE/", "")
    rows = [
        {
            "code": row.dossier.code,
            "detail_url": f"{detail_base}{row.dossier.code}/",
            "receipt_url": (
                f"{detail_base}{row.dossier.code}/giay-tiep-nhan.pdf"
                if row.dossier.received_at is not None
                else ""
            ),
            "procedure": row.dossier.procedure_version.name,
            "applicant": row.dossier.applicant_name,
            "assignee": row.dossier.assignee.display_name if row.dossier.assignee else "",
            "status": status_labels[row.dossier.status],
            "due_at": row.dossier.due_at,
            "urgency": row.urgency,
            "urgency_label": urgency_labels[row.urgency],
            "fee_short": row.fee_short,
        }
        for row in page.rows
    ]
    # The filters the officer chose, carried by the paging links.
    kept = {
        name: value
        for name, value in (
            ("cua-toi", "1" if filters.mine else ""),
            ("q", filters.search),
            ("trang-thai", filters.status),
            ("han", filters.urgency),
            ("kenh", filters.channel),
        )
        if value
    }
    return render(
        request,
        "workspace/queue.html",
        {
            "rows": rows,
            "page": page,
            "count_text": _count_text(page.total),
            "bad_cursor": bool(token) and cursor is None,
            "first_page_url": "?" + urlencode(kept),
            "next_page_url": (
                "?" + urlencode({**kept, "sau": page.next_cursor}) if page.next_cursor else ""
            ),
            "filters": filters,
            "statuses": [(s, status_labels[s]) for s in OPEN_STATUSES],
            "urgencies": list(urgency_labels.items()),
            "channels": ChannelKind.choices,
            "receipt_label": _("Giấy tiếp nhận (PDF)"),
        },
    )


def _count_text(total: int) -> str:
    """ "151 hồ sơ", or "Hơn 1.000 hồ sơ" past the cap (not counted further)."""
    if total > COUNT_CAP:
        return _("Hơn %(cap)s hồ sơ") % {"cap": f"{COUNT_CAP:,}".replace(",", ".")}
    return ngettext("%(count)s hồ sơ", "%(count)s hồ sơ", total) % {
        "count": f"{total:,}".replace(",", ".")
    }
