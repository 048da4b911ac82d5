"""The online application, step by step: applicant → files → review and submit. Every step
saves the draft, so the citizen can leave and come back; errors are shown in Vietnamese next
to the field and nothing typed is lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import signed_in
from egov.catalog.selectors import version_in_force
from egov.core.identity import ApplicantKind
from egov.core.ratelimit import hit
from egov.dossiers.models import ResultDelivery
from egov.dossiers.services.reception import Applicant, clean_applicant
from egov.org.selectors import reception_units_valid_on
from egov.portal.models import ApplicationDraft
from egov.portal.services import (
    APPLICANT_FIELDS,
    draft_save_applicant,
    draft_start,
    draft_store_documents,
    draft_submit,
)


def _reception_units() -> Any:
    return reception_units_valid_on(timezone.localdate()).exclude(code="")


def open_draft(request: HttpRequest, pk: int) -> ApplicationDraft:
    draft = (
        ApplicationDraft.objects.select_related("version", "receiving_unit")
        .filter(pk=pk, owner_id=request.user.pk, dossier__isnull=True)
        .first()
    )
    if draft is None:
        raise Http404(_("Không tìm thấy hồ sơ nháp."))
    return draft


def _applicant_problems(draft: ApplicationDraft) -> dict[str, list[str]]:
    data = draft.applicant
    try:
        birth = dt.date.fromisoformat(data["birth_date"]) if data.get("birth_date") else None
    except ValueError:
        return {"birth_date": [_("Ngày sinh không hợp lệ.")]}
    try:
        clean_applicant(
            Applicant(
                **{k: data.get(k, "") for k in APPLICANT_FIELDS if k != "birth_date"},
                birth_date=birth,
            )
        )
    except ValidationError as exc:
        return dict(exc.message_dict)
    return {}


@login_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    """POST from the procedure page; GET when coming back from the sign-in page (it only
    resumes or creates the draft, so repeating it changes nothing)."""
    version = version_in_force(code)
    try:
        draft = draft_start(actor=signed_in(request), version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("portal:procedure_detail", code=code)
    return redirect("portal:application_applicant", pk=draft.pk)


@login_required
def applicant_step(request: HttpRequest, pk: int) -> HttpResponse:
    draft = open_draft(request, pk)
    units = _reception_units()
    if request.method == "POST":
        unit = units.filter(pk=request.POST.get("receiving_unit") or 0).first()
        draft_save_applicant(
            actor=signed_in(request),
            draft=draft,
            values={k: request.POST.get(k, "") for k in APPLICANT_FIELDS},
            unit=unit,
            delivery=request.POST.get("result_delivery", ""),
        )
        problems = _applicant_problems(draft)
        if unit is None:
            problems["receiving_unit"] = [_("Cần chọn nơi nhận hồ sơ.")]
        if not problems:
            return redirect("portal:application_files", pk=draft.pk)
    else:
        problems = {}
    return render(
        request,
        "portal/application_applicant.html",
        {
            "draft": draft,
            "values": draft.applicant,
            "problems": problems,
            "units": units,
            "kinds": ApplicantKind.choices,
            "deliveries": ResultDelivery.choices,
        },
        status=400 if problems else 200,
    )


@login_required
def review_step(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        # Not through _draft(): a second click on "Nộp hồ sơ" finds the draft submitted and
        # gets the same dossier back.
        if not ApplicationDraft.objects.filter(pk=pk, owner_id=request.user.pk).exists():
            raise Http404(_("Không tìm thấy hồ sơ nháp."))
        if not hit(request, "submission", limit=10, window_seconds=60):
            messages.error(request, _("Bạn thao tác quá nhiều lần. Vui lòng thử lại sau ít phút."))
            return redirect("portal:application_review", pk=pk)
        try:
            dossier = draft_submit(actor=signed_in(request), draft_id=pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("portal:application_review", pk=pk)
        messages.success(request, _("Đã nộp hồ sơ %s.") % dossier.code)
        return redirect("portal:my_dossier", code=dossier.code)
    draft = open_draft(request, pk)
    problems = _applicant_problems(draft)
    files = list(draft.files.select_related("component", "file"))
    stored = draft_store_documents(signed_in(request), draft)
    return render(
        request,
        "portal/application_review.html",
        {
            "draft": draft,
            "values": draft.applicant,
            "problems": problems,
            "components": [
                (
                    c,
                    [f for f in files if f.component_id == c.pk],
                    draft.reused.get(str(c.pk), []),
                    stored.get(c.pk, ""),
                )
                for c in draft.version.components.all()
            ],
        },
    )
