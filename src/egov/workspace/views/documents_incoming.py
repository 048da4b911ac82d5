"""Văn bản đến in the staff workspace: the inbox, the clerk's intake and registration, the
leader's distribution, handling, the reply link, the file and the Phiếu giải quyết."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts.models import RoleAssignment
from egov.core.clientip import client_ip
from egov.core.downloads import pdf_response
from egov.documents.actions import IncomingAction
from egov.documents.catalogue import Confidentiality, Urgency
from egov.documents.errors import DocumentError
from egov.documents.inbox import InboxFilters, incoming_inbox, parse_cursor
from egov.documents.models import Assignment, IncomingDocument, IncomingSource, IncomingStatus
from egov.documents.permissions import (
    REGISTER_ROLES,
    assignee_roles,
    get_incoming_for_actor,
    get_outgoing_for_actor,
    may_distribute,
    may_handle,
    may_register_incoming,
    office_clerk_agencies,
    visible_outgoing,
)
from egov.documents.printing.handling_sheet import handling_sheet_filename, render_handling_sheet
from egov.documents.selectors import document_types_for
from egov.documents.selectors_copies import copies_of
from egov.documents.services.copies import copy_refusal
from egov.documents.services.incoming import (
    AssigneeInput,
    DuplicateWarning,
    assignment_complete,
    assignment_start,
    document_record_access,
    incoming_distribute,
    incoming_link_reply,
    incoming_register,
    incoming_return_to_sender,
)
from egov.documents.services.intake import incoming_receive_with_file, read_typed_code
from egov.org.models import Unit
from egov.workspace.views.common import document_file, staff_only

SOURCES = [
    (IncomingSource.SCAN, IncomingSource.SCAN.label),
    (IncomingSource.UPLOAD, IncomingSource.UPLOAD.label),
    (IncomingSource.EMAIL, IncomingSource.EMAIL.label),
    (IncomingSource.PAPER, IncomingSource.PAPER.label),
]
ACTIONS = set(IncomingAction.values)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def clerk_agencies(request: HttpRequest) -> list[Unit]:
    """The agencies whose văn thư the user is today."""
    today = timezone.localdate()
    held = RoleAssignment.objects.valid_on(today).filter(
        user_id=request.user.pk, role__in=REGISTER_ROLES
    )
    ids = {*held.values_list("unit_id", flat=True), *office_clerk_agencies(request.user)}
    units = Unit.objects.filter(pk__in=ids).order_by("name")
    return [u for u in units if may_register_incoming(request.user, u)]


class IntakeForm(forms.Form):
    agency = forms.TypedChoiceField(label=gettext_lazy("Cơ quan nhận"), coerce=int)
    source = forms.ChoiceField(label=gettext_lazy("Nguồn tiếp nhận"), choices=SOURCES)
    file = forms.FileField(
        label=gettext_lazy("Tệp văn bản (PDF, hoặc DOCX để chuyển sang PDF)"), required=False
    )
    organ_name = forms.CharField(label=gettext_lazy("Cơ quan ban hành"), max_length=200)
    organ_id = forms.CharField(
        label=gettext_lazy("Mã định danh cơ quan ban hành"), max_length=13, required=False
    )
    document_type = forms.ChoiceField(label=gettext_lazy("Tên loại văn bản"), required=False)
    code = forms.CharField(
        label=gettext_lazy("Số, ký hiệu văn bản"),
        max_length=45,
        required=False,
        help_text=gettext_lazy("Ví dụ 123/BNV-VP hoặc 05/QĐ-UBND"),
    )
    accept_code = forms.BooleanField(
        label=gettext_lazy("Giữ số, ký hiệu đúng như trên văn bản gốc (dù sai thể thức)"),
        required=False,
    )
    issued_date = forms.DateField(label=gettext_lazy("Ngày ban hành"), required=False, widget=DATE)
    subject = forms.CharField(
        label=gettext_lazy("Trích yếu nội dung"), max_length=500, widget=forms.Textarea
    )
    language = forms.CharField(label=gettext_lazy("Ngôn ngữ"), max_length=30, initial="Tiếng Việt")
    page_amount = forms.IntegerField(
        label=gettext_lazy("Số trang"), min_value=1, max_value=32767, required=False
    )
    signer_position = forms.CharField(
        label=gettext_lazy("Chức vụ người ký"), max_length=100, required=False
    )
    signer_full_name = forms.CharField(
        label=gettext_lazy("Họ tên người ký"), max_length=50, required=False
    )
    urgency = forms.ChoiceField(label=gettext_lazy("Độ khẩn"), choices=Urgency.choices)
    confidentiality = forms.ChoiceField(
        label=gettext_lazy("Độ mật"), choices=Confidentiality.choices
    )
    to_places = forms.CharField(
        label=gettext_lazy("Nơi nhận (ghi trên văn bản)"), max_length=1000, required=False
    )
    due_date = forms.DateField(
        label=gettext_lazy("Thời hạn giải quyết"), required=False, widget=DATE
    )
    description = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args: Any, agencies: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {a.pk: a for a in agencies}
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.TypedChoiceField)
        agency_field.choices = [(a.pk, a.name) for a in agencies]
        types = document_types_for(agencies[0] if agencies else None)
        self.types = {str(t.pk): t for t in types}
        type_field = self.fields["document_type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [("", "—"), *[(str(t.pk), t.name) for t in types]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number, notation, problems = read_typed_code(
            data.get("code", ""), accept_problems=bool(data.get("accept_code"))
        )
        for problem in problems:
            self.add_error("code", problem)
        data["code_number"], data["code_notation"] = number, notation
        return data


def _intake_fields(data: dict[str, Any], types: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": data["source"],
        "organ_name": data["organ_name"],
        "organ_id": data["organ_id"],
        "subject": data["subject"],
        "code_number": data["code_number"],
        "code_notation": data["code_notation"],
        "issued_date": data["issued_date"],
        "document_type": types.get(data["document_type"] or ""),
        "language": data["language"] or "Tiếng Việt",
        "page_amount": data["page_amount"],
        "description": data["description"],
        "signer_position": data["signer_position"],
        "signer_full_name": data["signer_full_name"],
        "urgency": data["urgency"],
        "to_places": data["to_places"],
        "due_date": data["due_date"],
    }


@login_required
def incoming_new(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    agencies = clerk_agencies(request)
    if not agencies:
        messages.error(request, _("Bạn không có vai trò văn thư để tiếp nhận văn bản đến."))
        return redirect("workspace:incoming_list")
    form = IntakeForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        try:
            document = incoming_receive_with_file(
                actor=request.user,
                agency=form.agencies[data["agency"]],
                data=upload.read() if upload else None,
                original_name=upload.name if upload else "",
                confidentiality=data["confidentiality"],
                **_intake_fields(data, form.types),
            )
        except DocumentError as exc:
            form.add_error("file" if upload else None, str(exc))
        else:
            messages.success(request, _("Đã tiếp nhận văn bản đến; kiểm tra rồi vào sổ."))
            return redirect("workspace:incoming_detail", pk=document.pk)
    return render(request, "workspace/documents/incoming_form.html", {"form": form})


@login_required
def incoming_list(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    status = request.GET.get("trang-thai", "")
    filters = InboxFilters(
        status=status if status in IncomingStatus.values else "",
        overdue=request.GET.get("qua-han") == "1",
        mine=request.GET.get("cua-toi") == "1",
    )
    after = parse_cursor(request.GET.get("sau", ""))
    page = incoming_inbox(request.user, filters=filters, after=after)
    query = request.GET.copy()
    query["sau"] = page.next_cursor
    return render(
        request,
        "workspace/documents/incoming_list.html",
        {
            "rows": page.rows,
            "filters": filters,
            "statuses": IncomingStatus.choices,
            "next_url": f"?{query.urlencode()}" if page.next_cursor else "",
            "can_receive": bool(clerk_agencies(request)),
        },
    )


def _document_or_404(request: HttpRequest, pk: int) -> IncomingDocument:
    staff_only(request)
    document = get_incoming_for_actor(request.user, pk)
    if document is None:
        raise Http404(_("Không tìm thấy văn bản đến trong phạm vi bạn được xem."))
    return document


def _replies(request: HttpRequest, document: IncomingDocument) -> list[Any]:
    return list(visible_outgoing(request.user).filter(agency=document.agency).order_by("-pk")[:50])


@login_required
def incoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    document_record_access(
        actor=request.user, document=document, kind="view", ip_address=client_ip(request)
    )
    assignments = list(document.assignments.select_related("unit", "person").all())
    now = timezone.now()
    handling = [
        (a, may_handle(request.user, a), a.is_overdue(now), a.is_due_soon(now)) for a in assignments
    ]
    may_reply = (
        any(a.role == "lead" and mine for a, mine, _o, _s in handling)
        or may_distribute(request.user, document)
        or may_register_incoming(request.user, document.agency)
    )
    return render(
        request,
        "workspace/documents/incoming_detail.html",
        {
            "document": document,
            "verdict": document.signature_verdict or {},
            "events": [
                (event, IncomingAction(event.action).label if event.action in ACTIONS else "")
                for event in document.events.select_related("actor").all()
            ],
            "handling": handling,
            "is_clerk": may_register_incoming(request.user, document.agency),
            "may_distribute": may_distribute(request.user, document)
            and document.status == IncomingStatus.REGISTERED,
            "may_reply": may_reply and document.status != IncomingStatus.RETURNED,
            "replies": _replies(request, document) if may_reply else [],
            "duplicates": request.session.pop(f"incoming-duplicates-{document.pk}", []),
            "copies": copies_of(request.user, incoming=document),
            "copy_url": reverse("workspace:copy_incoming", kwargs={"pk": document.pk})
            if copy_refusal(request.user, incoming=document) is None
            else "",
        },
    )


def _back(document: IncomingDocument) -> HttpResponse:
    return redirect("workspace:incoming_detail", pk=document.pk)


def _revision(request: HttpRequest) -> int | None:
    raw = request.POST.get("revision", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@login_required
@require_POST
def incoming_action(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = _document_or_404(request, pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")[:1000]
    try:
        if action == "register":
            try:
                incoming_register(
                    actor=request.user,
                    document=document,
                    override_reason=reason,
                    expected_revision=_revision(request),
                )
            except DuplicateWarning as warning:
                request.session[f"incoming-duplicates-{document.pk}"] = [
                    {
                        "pk": d.pk,
                        "arrival_number": d.arrival_number,
                        "subject": d.subject,
                        "registered_at": f"{timezone.localtime(d.registered_at):%d/%m/%Y}"
                        if d.registered_at
                        else "",
                    }
                    for d in warning.duplicates
                ]
                raise
            messages.success(
                request, _("Đã vào sổ văn bản đến, số đến %s.") % document.arrival_number
            )
        elif action == "return":
            incoming_return_to_sender(
                actor=request.user,
                document=document,
                reason=reason,
                expected_revision=_revision(request),
            )
            messages.success(request, _("Đã trả lại văn bản cho nơi gửi."))
        elif action in ("start", "complete"):
            assignment = _assignment(request, document)
            if action == "start":
                assignment_start(actor=request.user, assignment=assignment)
                messages.success(request, _("Đã bắt đầu xử lý."))
            else:
                assignment_complete(actor=request.user, assignment=assignment, note=reason)
                messages.success(request, _("Đã hoàn thành phần việc."))
        elif action == "link_reply":
            raw = request.POST.get("reply", "")
            reply = get_outgoing_for_actor(request.user, int(raw)) if raw.isdigit() else None
            if reply is None or len(raw) > 10:
                raise DocumentError(_("Chọn một văn bản đi bạn được xem làm văn bản trả lời."))
            incoming_link_reply(actor=request.user, document=document, reply=reply)
            messages.success(request, _("Đã gắn văn bản trả lời."))
        else:
            raise DocumentError(_("Thao tác không tồn tại."))
    except DocumentError as exc:
        messages.error(request, str(exc))
    return _back(document)


def _assignment(request: HttpRequest, document: IncomingDocument) -> Assignment:
    raw = request.POST.get("assignment", "")
    found = (
        document.assignments.select_related("unit", "person", "document")
        .filter(pk=int(raw))
        .first()
        if raw.isdigit() and len(raw) < 10
        else None
    )
    if found is None:
        raise DocumentError(_("Không tìm thấy phần việc được giao."))
    return found


class DistributionForm(forms.Form):
    instructions = forms.CharField(
        label=gettext_lazy("Ý kiến chỉ đạo (bút phê)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )
    lead_unit = forms.TypedChoiceField(
        label=gettext_lazy("Đơn vị chủ trì"), coerce=int, required=False, empty_value=None
    )
    lead_person = forms.TypedChoiceField(
        label=gettext_lazy("Người chủ trì xử lý"), coerce=int, required=False, empty_value=None
    )
    lead_days = forms.IntegerField(
        label=gettext_lazy("Thời hạn chủ trì (ngày làm việc)"),
        min_value=0,
        max_value=365,
        required=False,
    )
    cooperating_units = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Đơn vị phối hợp"), coerce=int, required=False
    )
    cooperating_days = forms.IntegerField(
        label=gettext_lazy("Thời hạn phối hợp (ngày làm việc)"),
        min_value=0,
        max_value=365,
        required=False,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, document: IncomingDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        agency = document.agency
        units = [agency, *Unit.objects.filter(parent=agency).valid_on(today).order_by("name")]
        self.units = {u.pk: u for u in units}
        people = (
            RoleAssignment.objects.valid_on(today)
            .filter(unit_id__in=self.units, role__in=assignee_roles(document))
            .select_related("user", "unit")
            .order_by("unit__name", "user__full_name")
        )
        self.people = {a.user_id: a.user for a in people}
        labels = {
            a.user_id: f"{a.user.get_full_name() or a.user.username} — {a.unit.name}"
            for a in people
        }
        unit_choices = [(u.pk, u.name) for u in units]
        for name, choices in (
            ("lead_unit", [("", "—"), *unit_choices]),
            ("lead_person", [("", "—"), *labels.items()]),
            ("cooperating_units", unit_choices),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lead_unit") is None and data.get("lead_person") is None:
            self.add_error("lead_unit", _("Chọn đơn vị hoặc người chủ trì."))
        return data


@login_required
def incoming_distribute_page(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    if not may_distribute(request.user, document):
        messages.error(request, _("Chỉ lãnh đạo cơ quan mới được phân phối văn bản đến."))
        return _back(document)
    form = DistributionForm(
        request.POST or None, document=document, initial={"revision": document.revision}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lead = AssigneeInput(
            unit=form.units.get(data["lead_unit"]) if data["lead_unit"] else None,
            person=form.people.get(data["lead_person"]) if data["lead_person"] else None,
            working_days=data["lead_days"],
        )
        cooperating = [
            AssigneeInput(unit=form.units[pk_], working_days=data["cooperating_days"])
            for pk_ in data["cooperating_units"]
        ]
        try:
            incoming_distribute(
                actor=request.user,
                document=document,
                lead=lead,
                cooperating=cooperating,
                instructions=data["instructions"],
                expected_revision=data["revision"],
            )
        except DocumentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã phân phối văn bản đến."))
            return _back(document)
    return render(
        request,
        "workspace/documents/incoming_distribute.html",
        {"document": document, "form": form},
    )


@login_required
def incoming_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The document's file: shown in the browser (``?xem=1``) or downloaded; audited."""
    document = _document_or_404(request, pk)
    if document.file is None:
        raise Http404(_("Văn bản này không có tệp."))
    return document_file(request, document, document.file)


@login_required
def incoming_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    document_record_access(
        actor=request.user, document=document, kind="download", ip_address=client_ip(request)
    )
    return pdf_response(render_handling_sheet(document), handling_sheet_filename(document))


def incoming_url(document: IncomingDocument) -> str:
    return reverse("workspace:incoming_detail", kwargs={"pk": document.pk})
