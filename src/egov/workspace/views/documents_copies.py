"""Electronic copies in the staff workspace (NĐ 30/2020/NĐ-CP, Điều 25-27): the văn thư's
"Sao văn bản" form for an incoming document, an outgoing document, a copy (sao lục, trích
sao) or a digitised paper document; the list of copies; one copy with its steps, its
download and signing it again when its signature failed.

Documents and copies load only through ``documents.permissions``; each view and download of
a copy is audited (``document_record_access``); copies are made by ``services.copies``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts.models import User
from egov.core.clientip import client_ip
from egov.documents.actions import CopyAction
from egov.documents.catalogue import Confidentiality
from egov.documents.errors import CopyNotSigned, CopyRefused
from egov.documents.models import CopyForm, CopyStatus, ElectronicCopy
from egov.documents.permissions import (
    copy_agencies,
    get_copy_for_actor,
    get_incoming_for_actor,
    get_outgoing_for_actor,
    may_make_copies,
)
from egov.documents.selectors_copies import copies_of, recent_copies
from egov.documents.services.copies import PaperScan, copy_refusal, make_copy, sign_copy
from egov.documents.services.incoming import document_record_access
from egov.org.models import Unit
from egov.workspace.views.common import document_file, staff_user


class MakeCopyForm(forms.Form):
    form = forms.ChoiceField(
        label=gettext_lazy("Hình thức sao"),
        choices=CopyForm.choices,
        initial=CopyForm.SAO_Y,
        widget=forms.RadioSelect,
    )
    pages = forms.CharField(
        label=gettext_lazy("Trang trích sao"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Chỉ khi trích sao, ví dụ 1-3, 5."),
    )
    purpose = forms.CharField(label=gettext_lazy("Mục đích sao"), required=False, max_length=500)
    recipients = forms.CharField(
        label=gettext_lazy("Nơi nhận"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PaperCopyForm(MakeCopyForm):
    agency = forms.TypedChoiceField(label=gettext_lazy("Cơ quan sao văn bản"), coerce=int)
    file = forms.FileField(
        label=gettext_lazy("Bản số hóa văn bản giấy (PDF)"),
        help_text=gettext_lazy("PDF phiên bản 1.4 trở lên, màu, độ phân giải từ 200 dpi."),
    )
    description = forms.CharField(
        label=gettext_lazy("Văn bản giấy được sao"),
        max_length=500,
        help_text=gettext_lazy("Tên loại, số, ký hiệu, ngày tháng và cơ quan ban hành."),
    )
    is_sao_y = forms.BooleanField(
        label=gettext_lazy("Văn bản giấy này là bản sao y (để sao lục)"), required=False
    )
    confidentiality = forms.ChoiceField(
        label=gettext_lazy("Độ mật"),
        choices=Confidentiality.choices,
        initial=Confidentiality.NORMAL,
    )
    field_order = ["agency", "file", "description", "is_sao_y", "confidentiality"]

    def __init__(self, *args: Any, agencies: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(unit.pk, unit.name) for unit in agencies]  # type: ignore[attr-defined]
        self.agencies = {unit.pk: unit for unit in agencies}


def _copy_or_404(request: HttpRequest, pk: int) -> ElectronicCopy:
    copy = get_copy_for_actor(staff_user(request), pk)
    if copy is None:
        raise Http404(_("Không tìm thấy bản sao trong phạm vi bạn được xem."))
    return copy


def _make(
    request: HttpRequest, form: MakeCopyForm, user: User, **source: Any
) -> HttpResponse | None:
    """Make the copy the valid ``form`` asks for: to the copy's page when it is made (with a
    message when its signature failed after numbering), None with the refusal on the form."""
    data = form.cleaned_data
    try:
        copy = make_copy(
            actor=user,
            form=data["form"],
            pages=data["pages"],
            purpose=data["purpose"],
            recipients=data["recipients"],
            **source,
        )
    except CopyRefused as exc:
        form.add_error(None, str(exc))
        return None
    except CopyNotSigned as exc:
        messages.error(request, str(exc))
        assert isinstance(exc.copy, ElectronicCopy)
        return redirect("workspace:copy_detail", pk=exc.copy.pk)
    messages.success(
        request,
        _("Đã sao văn bản: %(form)s số %(number)s, đã ký số của cơ quan.")
        % {"form": copy.get_form_display().lower(), "number": copy.number_text},
    )
    return redirect("workspace:copy_detail", pk=copy.pk)


def _copy_page(
    request: HttpRequest, *, source: dict[str, Any], title: str, back: str
) -> HttpResponse:
    """The form for a copy of one document or copy (``source``: the keyword of make_copy)."""
    user = staff_user(request)
    refused = copy_refusal(user, **source)
    if refused is not None:
        messages.error(request, refused)
        return redirect(back)
    form = MakeCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _make(request, form, user, **source)
        if done is not None:
            return done
    return render(
        request,
        "workspace/documents/copy_form.html",
        {"form": form, "title": title, "back": back, "paper": False},
    )


@login_required
def copy_from_incoming(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_incoming_for_actor(staff_user(request), pk)
    if document is None:
        raise Http404(_("Không tìm thấy văn bản trong phạm vi bạn được xem."))
    code = f"{document.code_number}/{document.code_notation}".strip("/")
    return _copy_page(
        request,
        source={"incoming": document},
        title=_("Sao văn bản đến %(code)s — %(organ)s")
        % {"code": code or "", "organ": document.organ_name},
        back=reverse("workspace:incoming_detail", kwargs={"pk": document.pk}),
    )


@login_required
def copy_from_outgoing(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_outgoing_for_actor(staff_user(request), pk)
    if document is None:
        raise Http404(_("Không tìm thấy văn bản trong phạm vi bạn được xem."))
    return _copy_page(
        request,
        source={"outgoing": document},
        title=_("Sao văn bản đi %s") % (document.number_text or document.subject[:80]),
        back=reverse("workspace:outgoing", kwargs={"pk": document.pk}),
    )


@login_required
def copy_from_copy(request: HttpRequest, pk: int) -> HttpResponse:
    copy = _copy_or_404(request, pk)
    return _copy_page(
        request,
        source={"copy_of": copy},
        title=_("Sao lục, trích sao từ bản sao %s") % copy.number_text,
        back=reverse("workspace:copy_detail", kwargs={"pk": copy.pk}),
    )


@login_required
def copy_from_paper(request: HttpRequest) -> HttpResponse:
    """Paper → electronic (Điều 25.1.c): the văn thư uploads the digitised paper."""
    user = staff_user(request)
    agencies = list(Unit.objects.filter(pk__in=copy_agencies(user)).order_by("name"))
    if not agencies:
        messages.error(request, _("Chỉ văn thư của cơ quan được sao văn bản."))
        return redirect("workspace:copy_list")
    form = PaperCopyForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        paper = PaperScan(
            agency=form.agencies[data["agency"]],
            data=upload.read(),
            name=upload.name or "ban-so-hoa.pdf",
            description=data["description"],
            is_sao_y=data["is_sao_y"],
            confidentiality=data["confidentiality"],
        )
        done = _make(request, form, user, paper=paper)
        if done is not None:
            return done
    return render(
        request,
        "workspace/documents/copy_form.html",
        {
            "form": form,
            "title": _("Sao văn bản giấy sang bản sao điện tử"),
            "back": reverse("workspace:copy_list"),
            "paper": True,
        },
    )


@login_required
def copy_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    return render(
        request,
        "workspace/documents/copy_list.html",
        {"copies": recent_copies(user), "may_copy_paper": bool(copy_agencies(user))},
    )


@login_required
def copy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    copy = _copy_or_404(request, pk)
    user = staff_user(request)
    document_record_access(actor=user, document=copy, kind="view", ip_address=client_ip(request))
    labels = {str(value): str(label) for value, label in CopyAction.choices}
    return render(
        request,
        "workspace/documents/copy_detail.html",
        {
            "copy": copy,
            "events": [
                (event, labels.get(event.action, event.action))
                for event in copy.events.select_related("actor")
            ],
            "may_sign": copy.status == CopyStatus.NUMBERED and may_make_copies(user, copy.agency),
            "may_copy": copy_refusal(user, copy_of=copy) is None,
            "copies": copies_of(user, copy=copy),
        },
    )


@login_required
def copy_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The signed copy: shown in the browser (``?xem=1``) or downloaded; audited."""
    copy = _copy_or_404(request, pk)
    if copy.file is None:
        raise Http404(_("Bản sao này chưa được ký số nên chưa có tệp."))
    return document_file(request, copy, copy.file)


@login_required
@require_POST
def copy_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign again a copy whose signature failed after it was numbered."""
    copy = _copy_or_404(request, pk)
    try:
        copy = sign_copy(actor=staff_user(request), copy=copy)
    except CopyRefused as exc:
        messages.error(request, str(exc))
    except CopyNotSigned as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã ký số của cơ quan lên bản sao %s.") % copy.number_text)
    return redirect("workspace:copy_detail", pk=copy.pk)
