"""One dossier: its page, its actions, its apology, its files and payments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.catalog.models import DocumentKind
from egov.certification.permissions import is_certified_copy_dossier
from egov.core.downloads import stored_file_response
from egov.core.inputs import ParamError, parse_int_param
from egov.dossiers.actions import DossierAction
from egov.dossiers.digitisation import dossier_digitisation
from egov.dossiers.downloads import dossier_file_response
from egov.dossiers.errors import TransitionError
from egov.dossiers.models import OPEN_STATUSES, PaymentPurpose
from egov.dossiers.permissions import (
    allowed_actions,
    is_desk_of,
    may_apologise,
    may_extend,
    partner_events_for_actor,
)
from egov.dossiers.printing.refusal_notice import notice_event
from egov.dossiers.selectors import ACTION_LABELS, assignable_specialists
from egov.dossiers.services.apology import apology_blocker, dossier_apologise
from egov.dossiers.services.attachments import dossier_attach_scan
from egov.dossiers.services.extensions import available_extensions, dossier_extend
from egov.dossiers.services.payments import dossier_record_fee
from egov.dossiers.services.results import dossier_approve
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.services.warnings import late_act_message
from egov.dossiers.state import TRANSITIONS
from egov.notifications.selectors import messages_about
from egov.org.models import Unit
from egov.payments.selectors import paid_online
from egov.workdays.engine import VIETNAM_TZ
from egov.workspace.forms import COUNTER_METHODS
from egov.workspace.views.common import dossier_or_404
from egov.workspace.views.dossier_digitisation import pending_rows
from egov.workspace.views.store import store_section

# Inputs each action may take from the form (action_inputs.py checks them).
ACTION_FIELDS = (
    "handling_unit",
    "assignee",
    "partner_unit",
    "amount",
    "description",
    "method",
    "reference",
    "received_by",
    "delivery",
    "recipient_name",
    "recipient_phone",
    "address",
    "tracking_number",
)


# ?in=giay-tiep-nhan: the page opens the receipt (right after "Tiếp nhận và in Giấy tiếp nhận").
RECEIPT_FLAG = "giay-tiep-nhan"


@login_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        dossier = dossier_or_404(request, code)
    except Http404:
        # A former liên thông partner (e.g. right after sending it back) sees its own part.
        if partner_events_for_actor(request.user, code) is None:
            raise
        return redirect("workspace:partner_history", code=code)
    actions = [(name, TRANSITIONS[name]) for name in allowed_actions(request.user, dossier)]
    names = {name for name, _t in actions}
    today = timezone.localdate()
    units = (
        Unit.objects.filter(kind__in=["ubnd", "so", "phong", "khac"])
        .valid_on(today)
        .order_by("name")
        if names & {DossierAction.HAND_OFF, DossierAction.TRANSFER_OUT}
        else Unit.objects.none()
    )
    events = list(dossier.events.select_related("actor").all())
    digitisation = dossier_digitisation(dossier)
    fee_paid = sum(p.amount for p in dossier.payments.all() if p.purpose == PaymentPurpose.FEE)
    return render(
        request,
        "workspace/dossier.html",
        {
            "dossier": dossier,
            "events": [
                (event, ACTION_LABELS.get(event.action, event.action), _late_act(event.data))
                for event in events
            ],
            "supplement_requests": [
                e for e in events if e.action == DossierAction.REQUEST_SUPPLEMENT
            ],
            "actions": actions,
            "handling_units": units,
            "specialists": assignable_specialists(dossier) if DossierAction.ASSIGN in names else [],
            "components": dossier.components.select_related(
                "component", "scan", "store_document"
            ).order_by("component__order", "pk"),
            "digitisation": digitisation,
            "pending_rows": pending_rows(request, digitisation.pending),
            "document_kinds": DocumentKind.objects.order_by("name") if digitisation.pending else [],
            "catalog_components": dossier.procedure_version.components.all(),
            "payments": dossier.payments.select_related("recorded_by").all(),
            "fee_paid": fee_paid,
            "online_receipts": paid_online(dossier.pk),
            # Quoted at reception and not (fully) collected: said before the result goes out.
            "fee_short": (
                dossier.fee_quoted is not None
                and fee_paid < dossier.fee_quoted
                and dossier.status in OPEN_STATUSES
            ),
            "shipments": dossier.shipments.all(),
            "dossier_files": dossier.files.select_related("component", "file"),
            "messages_sent": messages_about(dossier.code),
            "payment_methods": COUNTER_METHODS,
            "is_desk": is_desk_of(request.user, dossier),
            "can_apologise": may_apologise(request.user, dossier)
            and apology_blocker(dossier, timezone.now()) is None,
            "extensions": available_extensions(dossier, timezone.now())
            if may_extend(request.user, dossier)
            else [],
            "has_refusal_notice": notice_event(dossier) is not None,
            "certifiable": is_certified_copy_dossier(dossier),
            "upload_max_mb": settings.EGOV_UPLOAD_MAX_MB,
            # Right after "Tiếp nhận và in Giấy tiếp nhận": the page opens the receipt.
            "print_receipt": request.GET.get("in") == RECEIPT_FLAG and dossier.received_at,
            # The applicant's data store, while handling the dossier (issue 16 §1).
            **store_section(request, dossier),
        },
    )


@login_required
@require_POST
def dossier_action(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_or_404(request, code)
    action = request.POST.get("action", "")
    data: dict[str, object] = {name: request.POST.get(name, "")[:500] for name in ACTION_FIELDS}
    data["items"] = [
        *request.POST.getlist("items"),
        *request.POST.get("other_items", "")[:4000].splitlines(),
    ]
    reason = request.POST.get("reason", "")[:2000]
    try:
        revision = parse_int_param(
            request.POST.get("revision"),
            default=dossier.revision,
            minimum=0,
            maximum=2**31 - 1,
            label="revision",
        )
        if action == DossierAction.APPROVE:
            result_file = request.FILES.get("result_file")
            dossier_approve(
                actor=request.user,
                dossier=dossier,
                reason=reason,
                data=data,
                expected_revision=revision,
                result=result_file,
                result_name=(result_file.name or "") if result_file is not None else "",
            )
        else:
            dossier_transition(
                actor=request.user,
                dossier=dossier,
                action=action,
                reason=reason,
                expected_revision=revision,
                data=data,
            )
    except (TransitionError, ParamError) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã thực hiện: %s.") % TRANSITIONS[action].label)
        last = dossier.events.order_by("-sequence").first()
        warning = _late_act(last.data) if last is not None else ""
        if warning:
            messages.warning(request, warning)
    return redirect("workspace:dossier", code=code)


def _late_act(data: object) -> str:
    """The warning recorded on an event whose act passed a legal limit ("" without one)."""
    warning = data.get("warning") if isinstance(data, dict) else None
    return late_act_message(warning) if isinstance(warning, dict) else ""


@login_required
@require_POST
def dossier_payment(request: HttpRequest, code: str) -> HttpResponse:
    """The desk records a fee paid (or a correction, with a negative amount and a note)."""
    dossier = dossier_or_404(request, code)
    try:
        amount = parse_int_param(
            request.POST.get("amount", "").replace(".", "").replace(" ", ""),
            default=0,
            minimum=-(10**13),
            maximum=10**13,
            label=_("Số tiền"),
        )
    except ParamError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:dossier", code=code)
    try:
        dossier_record_fee(
            actor=request.user,
            dossier=dossier,
            amount=amount,
            method=request.POST.get("method", ""),
            reference=request.POST.get("reference", "")[:100],
            note=request.POST.get("note", "")[:500],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi nhận khoản thu."))
    return redirect("workspace:dossier", code=code)


@login_required
def component_scan(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """GET: the component's scan (only for staff who may see the dossier). POST: the desk
    attaches or replaces it."""
    dossier = dossier_or_404(request, code)
    component = dossier.components.select_related("scan").filter(pk=pk).first()
    if component is None:
        raise Http404(_("Không tìm thấy thành phần hồ sơ."))
    if request.method == "POST":
        upload = request.FILES.get("scan")
        if upload is None:
            messages.error(request, _("Cần chọn tệp số hóa."))
        else:
            try:
                dossier_attach_scan(
                    actor=request.user,
                    dossier=dossier,
                    component=component,
                    upload=upload,
                    original_name=upload.name or "",
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Đã lưu bản số hóa."))
        return redirect("workspace:dossier", code=code)
    if component.scan is None:
        raise Http404(_("Thành phần này chưa có bản số hóa."))
    return stored_file_response(
        component.scan, filename=f"{dossier.code}-{component.pk}.{component.scan.extension}"
    )


@login_required
@require_POST
def dossier_apology(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_or_404(request, code)
    raw = request.POST.get("new_due", "")
    try:
        new_due = dt.datetime.fromisoformat(raw[:40]).replace(tzinfo=VIETNAM_TZ)
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
@require_POST
def dossier_extension(request: HttpRequest, code: str) -> HttpResponse:
    """A lawful extension of the procedure version (not an apology)."""
    dossier = dossier_or_404(request, code)
    try:
        dossier_extend(
            actor=request.user,
            dossier=dossier,
            extension=request.POST.get("extension", "")[:40],
            reason=request.POST.get("reason", "")[:2000],
        )
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã gia hạn theo quy định của pháp luật."))
    return redirect("workspace:dossier", code=code)


@login_required
def dossier_file(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """An uploaded, reused or result file of the dossier, for staff who may see it."""
    dossier = dossier_or_404(request, code)
    return dossier_file_response(dossier, pk)
