"""“Hồ sơ của tôi”: a citizen's dossiers and drafts, a dossier's timeline, the actions the
applicant may take (supplement online, withdraw), receipts, results and the service rating."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.core.downloads import pdf_response
from egov.core.inputs import ParamError, parse_int_param
from egov.dossiers.actions import DossierAction
from egov.dossiers.downloads import dossier_file_response
from egov.dossiers.eresults import result_signature
from egov.dossiers.errors import TransitionError
from egov.dossiers.models import Dossier, DossierStatus, FileSource
from egov.dossiers.permissions import allowed_actions, get_dossier_for_actor, own_dossiers
from egov.dossiers.printing.receipt import issued_receipt, receipt_filename
from egov.dossiers.selectors import ACTION_LABELS
from egov.dossiers.services.applicant import APPLICANT_ACTIONS, dossier_applicant_act
from egov.dossiers.state import TRANSITIONS
from egov.payments.selectors import paid_online
from egov.payments.services import amount_due
from egov.portal.models import ApplicationDraft


def _mine(request: HttpRequest, code: str) -> Dossier:
    dossier = get_dossier_for_actor(request.user, code, as_applicant=True)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ trong tài khoản của bạn."))
    return dossier


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    dossiers = (
        own_dossiers(request.user)
        .select_related("procedure_version")
        .order_by("-submitted_at", "-id")[:200]
    )
    drafts = ApplicationDraft.objects.filter(owner_id=request.user.pk, dossier__isnull=True)
    return render(
        request,
        "portal/my_dossiers.html",
        {"dossiers": dossiers, "drafts": drafts.select_related("version")},
    )


@login_required
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _mine(request, code)
    actions = [
        (name, TRANSITIONS[name])
        for name in allowed_actions(request.user, dossier)
        if name in APPLICANT_ACTIONS
    ]
    events = list(dossier.events.all())
    files = list(dossier.files.select_related("component", "file"))
    requests = [e for e in events if e.action == DossierAction.REQUEST_SUPPLEMENT]
    from egov.portal.rating import rating_form_context
    from egov.ratings.indices import index_set_on
    from egov.ratings.selectors import rating_for, rating_lines

    rating = rating_for(dossier)
    return render(
        request,
        "portal/my_dossier.html",
        {
            "dossier": dossier,
            "events": [(e, ACTION_LABELS.get(e.action, e.action)) for e in events],
            "actions": actions,
            "last_request": requests[-1] if requests else None,
            "files": files,
            "results": [(f, result_signature(f)) for f in files if f.source == FileSource.RESULT],
            "rating": rating,
            "rating_lines": rating_lines(rating) if rating else [],
            "can_rate": dossier.status in (DossierStatus.RETURNED, DossierStatus.REFUSED),
            "payable": amount_due(dossier),
            "payments": list(dossier.payments.order_by("paid_at", "id")),
            "online_receipts": paid_online(dossier.pk),
            **rating_form_context(index_set_on(timezone.localdate())),
        },
    )


@login_required
@require_POST
def my_dossier_action(request: HttpRequest, code: str) -> HttpResponse:
    """Withdraw, or send the supplement (files uploaded with it are added to the dossier)."""
    dossier = _mine(request, code)
    action = request.POST.get("action", "")
    if action not in APPLICANT_ACTIONS:
        raise Http404(_("Thao tác không tồn tại."))
    try:
        dossier_applicant_act(
            actor=request.user,
            dossier=dossier,
            action=action,
            reason=request.POST.get("reason", "")[:2000],
            expected_revision=parse_int_param(
                request.POST.get("revision"),
                default=dossier.revision,
                minimum=0,
                maximum=2**31 - 1,
                label="revision",
            ),
            files=[(upload, upload.name or "") for upload in request.FILES.getlist("files")],
        )
    except (TransitionError, ValidationError, ParamError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        messages.success(request, _("Đã thực hiện: %s.") % TRANSITIONS[action].label)
    return redirect("portal:my_dossier", code=code)


@login_required
def my_file(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    dossier = _mine(request, code)
    return dossier_file_response(dossier, pk)


@login_required
def my_receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier: Any = _mine(request, code)
    if dossier.received_at is None:
        raise Http404(_("Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận."))
    lookup = request.build_absolute_uri(reverse("portal:dossier_lookup"))
    return pdf_response(issued_receipt(dossier, lookup_base_url=lookup), receipt_filename(dossier))


@login_required
@require_POST
def my_rating(request: HttpRequest, code: str) -> HttpResponse:
    from egov.portal.rating import posted_answers
    from egov.ratings.indices import index_set_on
    from egov.ratings.services import rating_submit

    dossier = _mine(request, code)
    try:
        rating_submit(
            actor=request.user,
            dossier=dossier,
            answers=posted_answers(request, index_set_on(timezone.localdate())),
            comment=request.POST.get("comment", "")[:2000],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Cảm ơn ông/bà đã đánh giá."))
    return redirect("portal:my_dossier", code=code)
