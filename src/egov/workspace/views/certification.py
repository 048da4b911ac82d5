"""Electronic certified copies from originals (issue 16 §5): the form on a dossier of the
procedure "Chứng thực bản sao từ bản chính", the unit's register with its Excel export, and
the certified copy's file. Rights: ``certification.permissions``; the work:
``certification.services``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.catalog.fees import describe_rule
from egov.catalog.models import Channel
from egov.certification.export import register_xlsx
from egov.certification.permissions import (
    certification_refusal,
    certifying_unit,
    current_year,
    get_entry_for_actor,
    register_entries,
    register_units,
)
from egov.certification.services import (
    MAX_COPIES,
    MAX_PAGES,
    CertificationUnavailable,
    certified_copy_issue,
)
from egov.core.downloads import content_response, stored_file_response
from egov.core.formatting import vnd
from egov.core.inputs import ParamError, parse_int_param
from egov.dossiers.models import Dossier
from egov.workspace.views.common import dossier_or_404, staff_only, staff_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CertifiedCopyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tên giấy tờ, văn bản"), max_length=500)
    pages = forms.IntegerField(
        label=gettext_lazy("Số trang của bản chính"), min_value=1, max_value=MAX_PAGES
    )
    copies = forms.IntegerField(
        label=gettext_lazy("Số bản sao"), min_value=1, max_value=MAX_COPIES, initial=1
    )
    component = forms.TypedChoiceField(
        label=gettext_lazy("Bản quét bản chính đã số hóa"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    original = forms.FileField(label=gettext_lazy("hoặc tải bản quét bản chính"), required=False)
    confirmed = forms.BooleanField(
        label=gettext_lazy("Tôi đã đối chiếu bản sao với bản chính, bản sao đúng với bản chính."),
        required=False,
    )

    def __init__(self, *args: object, dossier: Dossier, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        scanned = dossier.components.filter(scan__isnull=False).select_related("component")
        field = self.fields["component"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("— Không dùng —"))] + [
            (item.pk, item.component.name) for item in scanned
        ]


def _fee_rules(dossier: Dossier) -> list[str]:
    channels = Channel.objects.filter(version_id=dossier.procedure_version_id)
    return [
        f"{rule.name}: {describe_rule(rule)} ({rule.legal_basis})"
        for channel in channels
        if channel.kind == dossier.channel
        for rule in channel.fees.all()
    ]


def _certify_page(
    request: HttpRequest,
    dossier: Dossier,
    form: CertifiedCopyForm,
    *,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    refusal = certification_refusal(request.user, dossier)
    return render(
        request,
        "workspace/certified_copy.html",
        {
            "dossier": dossier,
            "form": form,
            "refusal": refusal,
            "unit": certifying_unit(dossier),
            "fee_rules": _fee_rules(dossier),
            "entries": register_entries(
                request.user, certifying_unit(dossier), current_year()
            ).filter(dossier_id=dossier.pk),
            **extra,
        },
        status=status,
    )


@login_required
def certified_copy(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the form (or why this user may not certify here). POST: certify one copy."""
    dossier = dossier_or_404(request, code)
    if request.method != "POST":
        return _certify_page(request, dossier, CertifiedCopyForm(dossier=dossier))
    refusal = certification_refusal(request.user, dossier)
    if refusal is not None:
        raise PermissionDenied(refusal)
    form = CertifiedCopyForm(request.POST, request.FILES, dossier=dossier)
    if not form.is_valid():
        return _certify_page(request, dossier, form, status=400)
    data = form.cleaned_data
    upload = data["original"]
    component = (
        dossier.components.select_related("scan").filter(pk=data["component"]).first()
        if data["component"] is not None
        else None
    )
    try:
        entry = certified_copy_issue(
            actor=request.user,
            dossier=dossier,
            original_confirmed=bool(data["confirmed"]),
            pages=data["pages"],
            copies=data["copies"],
            title=data["title"],
            component=component,
            upload=upload if component is None else None,
            original_name=(upload.name or "") if upload is not None else "",
        )
    except CertificationUnavailable as exc:
        return _certify_page(request, dossier, form, status=503, unavailable=exc.message)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _certify_page(request, dossier, form, status=400)
    messages.success(
        request,
        _("Đã chứng thực bản sao điện tử số %(number)s; phí %(fee)s (%(how)s).")
        % {"number": entry.number, "fee": vnd(entry.fee), "how": entry.fee_explanation},
    )
    return redirect("workspace:certified_copy", code=dossier.code)


@login_required
def certification_register(request: HttpRequest) -> HttpResponseBase:
    """The register of the user's unit for a year; ?dinh_dang=xlsx downloads it."""
    staff_only(request)
    units = register_units(request.user)
    try:
        year = parse_int_param(
            request.GET.get("nam"),
            default=current_year(),
            minimum=2000,
            maximum=2100,
            label=_("Năm"),
        )
        unit_pk = parse_int_param(
            request.GET.get("don_vi"), default=0, minimum=0, maximum=2**31, label=_("Đơn vị")
        )
    except ParamError as exc:
        return render(
            request,
            "workspace/certification_register.html",
            {"units": units, "error": str(exc), "year": current_year()},
            status=400,
        )
    unit = next((u for u in units if u.pk == unit_pk), units[0] if units else None)
    entries = list(register_entries(request.user, unit, year)) if unit is not None else []
    if unit is not None and request.GET.get("dinh_dang") == "xlsx":
        return content_response(
            register_xlsx(unit, year, entries),
            content_type=XLSX,
            filename=f"so-chung-thuc-ban-sao-{unit.code}-{year}.xlsx",
        )
    return render(
        request,
        "workspace/certification_register.html",
        {"units": units, "unit": unit, "year": year, "entries": entries},
    )


@login_required
def certified_copy_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The signed certified copy, for staff who may read its unit's register."""
    staff_user(request)
    entry = get_entry_for_actor(request.user, pk)
    if entry is None:
        raise Http404(_("Không tìm thấy bản sao chứng thực."))
    return stored_file_response(entry.file)
