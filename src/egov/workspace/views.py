from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.models import Role
from egov.accounts.selectors import active_role_assignments, is_staff_member
from egov.catalog.selectors import CatalogFilters, search_procedures, version_by_code
from egov.dossiers.access import get_dossier_for_user, roles_at
from egov.dossiers.models import CounterNotice, Dossier, DossierStatus, NoticeKind
from egov.dossiers.printing.control_sheet import render_control_sheet
from egov.dossiers.printing.letters import render_apology, render_tracking_book
from egov.dossiers.printing.notices import render_notice
from egov.dossiers.printing.receipt import render_receipt
from egov.dossiers.selectors import ACTION_LABELS, work_queue
from egov.dossiers.services.apology import APOLOGY_ROLES, apology_blocker, dossier_apologise
from egov.dossiers.services.notices import counter_notice_issue
from egov.dossiers.services.reception import Applicant, Reception, dossier_receive
from egov.dossiers.state import (
    TRANSITIONS,
    TransitionError,
    actor_roles,
    allowed_actions,
    dossier_transition,
)
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ
from egov.workdays.selectors import calendar_for_unit, year_holidays
from egov.workspace.forms import ReceptionForm


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
            "receipt_url": f"{detail_base}{row.dossier.code}/giay-tiep-nhan.pdf",
            "procedure": row.dossier.procedure_version.name,
            "applicant": row.dossier.applicant_name,
            "status": status_labels[row.dossier.status],
            "due_at": row.dossier.due_at,
            "urgency": row.urgency,
            "urgency_label": urgency_labels[row.urgency],
        }
        for row in work_queue(request.user, search=search)
    ]
    return render(
        request,
        "workspace/queue.html",
        {"rows": rows, "search": search, "receipt_label": _("Giấy tiếp nhận (PDF)")},
    )


@login_required
def receipt_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    lookup = request.build_absolute_uri(reverse("portal:dossier_lookup"))
    response = HttpResponse(
        render_receipt(dossier, lookup_base_url=lookup), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    return response


def _staff_only(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Trang này chỉ dành cho cán bộ, công chức."))


def _reception_desks(request: HttpRequest) -> list[Unit]:
    """Units where this user receives dossiers today; 403 when there are none."""
    desks = [a.unit for a in active_role_assignments(request.user) if a.role == Role.RECEPTIONIST]
    if not desks:
        raise PermissionDenied(_("Bạn không có vai trò tiếp nhận hồ sơ."))
    return desks


def _dossier_or_404(request: HttpRequest, code: str) -> Any:
    """The dossier if this staff member may see it; otherwise 404 (codes cannot be probed)."""
    _staff_only(request)
    dossier = get_dossier_for_user(request.user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi bạn được xem."))
    return dossier


@login_required
def reception(request: HttpRequest) -> HttpResponse:
    """Counter reception: pick the procedure, check the components, enter the applicant,
    receive → the Mẫu 01 receipt."""
    _staff_only(request)
    desks = _reception_desks(request)
    code = request.GET.get("thu-tuc", "").strip()
    version = version_by_code(code) if code else None
    if version is None:
        query = request.GET.get("q", "")[:200]
        results = search_procedures(CatalogFilters(query=query), per_page=15) if query else None
        return render(
            request, "workspace/reception_pick.html", {"query": query, "results": results}
        )
    form = ReceptionForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = dossier_receive(
                actor=request.user,
                reception=Reception(
                    unit=desks[0],
                    version=version,
                    channel=data["channel"],
                    applicant=Applicant(
                        kind=data["applicant_kind"],
                        name=data["applicant_name"],
                        personal_id=data["applicant_personal_id"],
                        tax_code=data["applicant_tax_code"],
                        phone=data["applicant_phone"],
                        email=data["applicant_email"],
                        address=data["applicant_address"],
                        representative_name=data["representative_name"],
                        representative_personal_id=data["representative_personal_id"],
                        birth_date=data["applicant_birth_date"],
                    ),
                    components=form.received_components(),
                    sets=data["sets"],
                    result_delivery=data["result_delivery"],
                ),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    name = f"applicant_{field}" if f"applicant_{field}" in form.fields else None
                    for error in errors:
                        form.add_error(name, error)
            else:
                for error in exc.messages:
                    form.add_error(None, error)
        else:
            messages.success(request, _("Đã tiếp nhận hồ sơ %s.") % dossier.code)
            return redirect("workspace:dossier", code=dossier.code)
    return render(
        request,
        "workspace/reception_form.html",
        {"form": form, "version": version, "desk": desks[0]},
    )


@login_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    actions = [(name, TRANSITIONS[name]) for name in allowed_actions(request.user, dossier)]
    handling_units = (
        Unit.objects.filter(kind__in=["ubnd", "so", "phong"])
        .valid_on(timezone.localdate())
        .order_by("name")
    )
    return render(
        request,
        "workspace/dossier.html",
        {
            "dossier": dossier,
            "events": [
                (event, ACTION_LABELS.get(event.action, event.action))
                for event in dossier.events.select_related("actor").all()
            ],
            "actions": actions,
            "handling_units": handling_units,
            "can_apologise": bool(actor_roles(request.user, dossier) & APOLOGY_ROLES)
            and apology_blocker(dossier, timezone.now()) is None,
        },
    )


@login_required
@require_POST
def dossier_action(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    action = request.POST.get("action", "")
    unit_key = request.POST.get("handling_unit", "")
    handling = Unit.objects.filter(key=unit_key).first() if unit_key else None
    try:
        revision = int(request.POST.get("revision", dossier.revision))
        dossier_transition(
            actor=request.user,
            dossier=dossier,
            action=action,
            reason=request.POST.get("reason", "")[:2000],
            expected_revision=revision,
            handling_unit=handling,
            data=(
                {
                    "received_by": request.POST.get("received_by", "")[:255],
                    "delivery": request.POST.get("delivery", "counter"),
                }
                if action == "return_result"
                else None
            ),
        )
    except (TransitionError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã thực hiện: %s.") % TRANSITIONS[action].label)
    return redirect("workspace:dossier", code=code)


@login_required
def control_sheet_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    response = HttpResponse(render_control_sheet(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-kiem-soat-{dossier.code}.pdf"'
    return response


@login_required
@require_POST
def dossier_apology(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    raw = request.POST.get("new_due", "")
    try:
        new_due = dt.datetime.fromisoformat(raw).replace(tzinfo=VIETNAM_TZ)
    except ValueError:
        messages.error(request, _("Ngày hẹn mới không hợp lệ."))
        return redirect("workspace:dossier", code=code)
    try:
        dossier_apologise(
            actor=request.user,
            dossier=dossier,
            new_due=new_due,
            reason=request.POST.get("reason", "")[:2000],
        )
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã gửi xin lỗi và hẹn lại ngày trả kết quả."))
    return redirect("workspace:dossier", code=code)


@login_required
def apology_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    if dossier.apologised_at is None:
        raise Http404(_("Hồ sơ này chưa có phiếu xin lỗi và hẹn lại."))
    response = HttpResponse(render_apology(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-xin-loi-{dossier.code}.pdf"'
    return response


TRACKING_BOOK_MAX_DAYS = 366
TRACKING_BOOK_MAX_ROWS = 5000


@login_required
def tracking_book_pdf(request: HttpRequest) -> HttpResponse:
    """Mẫu 06 for the receptionist's unit and a period (?tu=YYYY-MM-DD&den=YYYY-MM-DD)."""
    _staff_only(request)
    desks = _reception_desks(request)
    try:
        start = dt.date.fromisoformat(request.GET.get("tu", ""))
        end = dt.date.fromisoformat(request.GET.get("den", ""))
    except ValueError:
        return HttpResponse(
            _("Cần chọn khoảng thời gian hợp lệ: ?tu=YYYY-MM-DD&den=YYYY-MM-DD."), status=400
        )
    if end < start or (end - start).days > TRACKING_BOOK_MAX_DAYS:
        return HttpResponse(
            _("Khoảng thời gian phải từ 1 ngày đến 1 năm, ngày kết thúc sau ngày bắt đầu."),
            status=400,
        )
    unit = desks[0]
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=VIETNAM_TZ)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=VIETNAM_TZ)
    dossiers = list(
        Dossier.objects.filter(receiving_unit=unit, received_at__gte=lower, received_at__lt=upper)
        .select_related("procedure_version")
        .prefetch_related("events")
        .order_by("received_at", "id")[: TRACKING_BOOK_MAX_ROWS + 1]
    )
    if len(dossiers) > TRACKING_BOOK_MAX_ROWS:
        return HttpResponse(
            _("Quá %d hồ sơ trong khoảng này; hãy chọn khoảng ngắn hơn.") % TRACKING_BOOK_MAX_ROWS,
            status=400,
        )
    period = f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
    pdf = render_tracking_book(dossiers, unit_name=unit.name, period=period)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-theo-doi-{start}-{end}.pdf"'
    return response


@login_required
def counter_notice(request: HttpRequest) -> HttpResponse:
    """Guidance (Mẫu 02) or refusal (Mẫu 03) when a dossier cannot be received."""
    _staff_only(request)
    desks = _reception_desks(request)
    version = version_by_code(request.GET.get("thu-tuc", ""))
    if version is None:
        return redirect("workspace:reception")
    errors: dict[str, list[str]] = {}
    values = {
        "kind": request.POST.get("kind", NoticeKind.GUIDANCE),
        "applicant_name": request.POST.get("applicant_name", "")[:255],
        "applicant_phone": request.POST.get("applicant_phone", "")[:20],
        "applicant_address": request.POST.get("applicant_address", "")[:255],
        "items": request.POST.getlist("items"),
        "other_items": request.POST.get("other_items", "")[:4000],
        "reason": request.POST.get("reason", "")[:4000],
    }
    if request.method == "POST":
        items = [*values["items"], *str(values["other_items"]).splitlines()]
        try:
            notice = counter_notice_issue(
                actor=request.user,
                unit=desks[0],
                version=version,
                kind=str(values["kind"]),
                applicant_name=str(values["applicant_name"]),
                applicant_phone=str(values["applicant_phone"]),
                applicant_address=str(values["applicant_address"]),
                items=[str(item)[:500] for item in items],
                reason=str(values["reason"]),
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        else:
            return redirect("workspace:notice_pdf", pk=notice.pk)
    return render(
        request,
        "workspace/notice_form.html",
        {
            "version": version,
            "values": values,
            "errors": errors,
            "kinds": NoticeKind.choices,
            "components": version.components.all(),
        },
    )


@login_required
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    notice = (
        CounterNotice.objects.select_related("unit", "procedure_version", "created_by")
        .filter(pk=pk)
        .first()
    )
    if notice is None or not roles_at(request.user, notice.unit):
        raise Http404(_("Không tìm thấy phiếu."))
    response = HttpResponse(render_notice(notice), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="phieu-{notice.kind}-{notice.number}-{notice.year}.pdf"'
    )
    return response
