"""Văn bản đi: the list, new drafts (composer, PDF, DOCX), a document's page and actions,
the leader's signing queue and the văn thư's numbering and release screen.

Documents load only through ``documents.permissions``; each view and download is audited
(``document_record_access``); writes go through the documents services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.models import User
from egov.core.clientip import client_ip
from egov.core.downloads import stored_file_response
from egov.core.inputs import ParamError, parse_int_param
from egov.core.uploads import open_private
from egov.documents.actions import OutgoingAction
from egov.documents.errors import StaleRevision, TransitionRefused
from egov.documents.models import Delegation, OutgoingDocument, OutgoingStatus, Urgency
from egov.documents.permissions import (
    drafting_places,
    get_outgoing_for_actor,
    may_add_version,
    may_draft_somewhere,
    may_register_incoming,
    outgoing_allowed_actions,
)
from egov.documents.selectors import document_types_for
from egov.documents.selectors_copies import copies_of
from egov.documents.selectors_outgoing import (
    number_date_notices,
    outgoing_page,
    recipient_units,
    release_queue,
    signers_for,
    signing_queue,
    unit_abbreviation_of,
)
from egov.documents.selectors_remote_signing import waiting_remote_signing
from egov.documents.services.copies import copy_refusal
from egov.documents.services.incoming import document_record_access
from egov.documents.services.outgoing import outgoing_transition
from egov.documents.services.outgoing_drafts import (
    Composition,
    outgoing_compose,
    outgoing_revise,
    outgoing_upload,
)
from egov.documents.services.outgoing_signing import (
    DEFAULT_BOX_BOTTOM,
    outgoing_agency_seal,
    outgoing_issue,
    outgoing_register_and_seal,
    outgoing_sign,
    outgoing_sign_many,
    signs_remotely,
)
from egov.exchange.selectors import axis_rows, recall_rows, recallable
from egov.org.models import Unit
from egov.signing.services import SigningError
from egov.workspace.outgoing_forms import ComposeForm, UploadForm, lines, paragraphs
from egov.workspace.views.common import staff_user
from egov.workspace.views.documents_remote_signing import start_remote_signing

# Actions taken from the document's page with a plain button (sign has its own form).
SIMPLE_ACTIONS = (
    OutgoingAction.SUBMIT,
    OutgoingAction.APPROVE_CONTENT,
    OutgoingAction.APPROVE_FORMAT,
    OutgoingAction.ISSUE,
)


def _document_or_404(request: HttpRequest, pk: int) -> OutgoingDocument:
    document = get_outgoing_for_actor(staff_user(request), pk)
    if document is None:
        raise Http404(_("Không tìm thấy văn bản trong phạm vi bạn được xem."))
    return document


MAX_ID = 2**31 - 1
AS_DRAFTED = "nhu-du-thao"  # the delegation printed on the draft


def _delegation(request: HttpRequest) -> str | None:
    value = request.POST.get("delegation", AS_DRAFTED)
    return None if value == AS_DRAFTED else value[:10]


def _int(value: str | None) -> int | None:
    """A positive id or revision from a form or query string; None when absent or bad."""
    try:
        number = parse_int_param(value, default=-1, minimum=0, maximum=MAX_ID)
    except ParamError:
        return None
    return None if number < 0 else number


def _revision(request: HttpRequest) -> int | None:
    return _int(request.POST.get("revision"))


# --- the list -------------------------------------------------------------------------


@login_required
def outgoing_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    status = request.GET.get("trang-thai", "")
    if status not in OutgoingStatus.values:
        status = ""
    before = _int(request.GET.get("truoc"))
    page = outgoing_page(user, status=status, before=before)
    return render(
        request,
        "workspace/documents/outgoing_list.html",
        {
            "page": page,
            "status": status,
            "statuses": OutgoingStatus.choices,
            "may_draft": may_draft_somewhere(user),
            "urgent": {Urgency.URGENT, Urgency.VERY_URGENT, Urgency.FLASH},
        },
    )


# --- new drafts -----------------------------------------------------------------------


def _draft_context(user: User) -> dict[str, object]:
    places = drafting_places(user)
    if not places:
        raise PermissionDenied(_("Bạn không có vai trò soạn thảo văn bản tại đơn vị nào."))
    signers: list[User] = []
    recipients = []
    for agency in {place.agency.pk: place.agency for place in places}.values():
        signers.extend(signers_for(agency))
        recipients.extend(recipient_units(agency))
    return {
        "units": [place.unit for place in places],
        "agencies": {place.unit.pk: place.agency for place in places},
        "types": document_types_for(places[0].agency),
        "signers": signers,
        "recipients": recipients,
    }


def _agency_of(context: dict[str, object], unit: Unit) -> Unit:
    """The agency that issues what ``unit`` drafts (one of the units the form offered)."""
    agencies = context["agencies"]
    assert isinstance(agencies, dict)
    agency: Unit = agencies[unit.pk]
    return agency


def _form_kwargs(context: dict[str, object]) -> dict[str, object]:
    return {key: context[key] for key in ("units", "types", "signers", "recipients")}


@login_required
def outgoing_compose_page(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    context = _draft_context(user)
    form = ComposeForm(request.POST or None, **_form_kwargs(context))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data["drafting_unit"]
        agency = _agency_of(context, unit)
        try:
            document = outgoing_compose(
                actor=user,
                agency=agency,
                drafting_unit=unit,
                composition=Composition(
                    document_type=data["document_type"],
                    subject=data["subject"],
                    signer=data["signer"],
                    signer_position=data["signer_position"],
                    delegation=data["delegation"] or "",
                    on_behalf_of=data["on_behalf_of"],
                    addressees=lines(data["addressees"]),
                    body=paragraphs(data["body"]),
                    grounds=lines(data["grounds"]),
                    articles=lines(data["articles"]),
                    authority=data["authority"],
                    recipient_lines=lines(data["recipient_lines"]),
                    unit_abbreviation=unit_abbreviation_of(agency, unit),
                    urgency=data["urgency"],
                    confidentiality=data["confidentiality"],
                    recipients=form.recipients(),
                ),
            )
        except (TransitionRefused, ValidationError) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Đã tạo dự thảo."))
            return redirect("workspace:outgoing", pk=document.pk)
    return render(request, "workspace/documents/outgoing_compose.html", {"form": form})


@login_required
def outgoing_upload_page(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    context = _draft_context(user)
    form = UploadForm(request.POST or None, request.FILES or None, **_form_kwargs(context))  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data["drafting_unit"]
        agency = _agency_of(context, unit)
        upload = data["file"]
        try:
            document = outgoing_upload(
                actor=user,
                agency=agency,
                drafting_unit=unit,
                document_type=data["document_type"],
                subject=data["subject"],
                data=upload.read(),
                name=upload.name or "du-thao",
                signer=data["signer"],
                unit_abbreviation=unit_abbreviation_of(agency, unit),
                urgency=data["urgency"],
                confidentiality=data["confidentiality"],
                recipients=form.recipients(),
            )
        except (TransitionRefused, ValidationError) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Đã tạo dự thảo."))
            return redirect("workspace:outgoing", pk=document.pk)
    return render(request, "workspace/documents/outgoing_upload.html", {"form": form})


# --- one document -----------------------------------------------------------------------


@login_required
def outgoing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    user = staff_user(request)
    document_record_access(
        actor=user, document=document, kind="view", ip_address=client_ip(request)
    )
    allowed = outgoing_allowed_actions(user, document)
    labels = {str(value): str(label) for value, label in OutgoingAction.choices}
    return render(
        request,
        "workspace/documents/outgoing_detail.html",
        {
            "document": document,
            "versions": list(document.versions.select_related("file", "created_by")),
            "events": [
                (event, labels.get(event.action, event.action))
                for event in document.events.select_related("actor")
            ],
            "recipients": list(document.recipients.select_related("unit")),
            "axis_rows": axis_rows(document),
            "recall_rows": recall_rows(document),
            "may_recall": may_register_incoming(user, document.agency) and recallable(document),
            "simple_actions": [
                (name, OutgoingAction(name).label) for name in allowed if name in SIMPLE_ACTIONS
            ],
            "may_return": OutgoingAction.RETURN in allowed,
            "may_sign": OutgoingAction.SIGN in allowed,
            "may_register": OutgoingAction.REGISTER in allowed,
            "may_seal": OutgoingAction.AGENCY_SIGN in allowed,
            "may_revise": not document.is_secret and may_add_version(user, document),
            "delegations": [(AS_DRAFTED, _("Như dự thảo")), *Delegation.choices],
            "copies": copies_of(user, outgoing=document),
            "copy_url": reverse("workspace:copy_outgoing", kwargs={"pk": document.pk})
            if copy_refusal(user, outgoing=document) is None
            else "",
            "number_date": _number_date_text(document),
        },
    )


def _number_date_text(document: OutgoingDocument) -> str:
    """The notice on number and date for the document's page; once numbered, only a warning
    that they are not on the file is still worth saying."""
    notice = number_date_notices([document])[document.pk]
    return "" if notice.on_file and document.code_number else notice.text


@login_required
def outgoing_version(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    """A version's PDF: shown in the browser with ?xem=1, downloaded otherwise."""
    document = _document_or_404(request, pk)
    version = document.versions.select_related("file").filter(number=number).first()
    if version is None:
        raise Http404(_("Không tìm thấy phiên bản này."))
    inline = request.GET.get("xem") == "1"
    document_record_access(
        actor=staff_user(request),
        document=document,
        kind="view" if inline else "download",
        ip_address=client_ip(request),
    )
    name = f"van-ban-di-{document.pk}-v{version.number}.pdf"
    if inline:
        from egov.core.downloads import stream_response

        return stream_response(
            open_private(version.file.key),
            content_type=version.file.content_type,
            filename=name,
            inline=True,
        )
    return stored_file_response(version.file, filename=name)


def _act(request: HttpRequest, document: OutgoingDocument) -> str | None:
    """Apply the posted action; messages say what happened or why not. Returns where to go
    instead of the usual page (the waiting page of a remote signing request)."""
    user = staff_user(request)
    action = request.POST.get("action", "")
    revision = _revision(request)
    if revision is None:
        raise TransitionRefused(_("Thiếu phiên bản của văn bản; vui lòng tải lại trang."))
    if action == OutgoingAction.SIGN and signs_remotely(user) and not document.is_secret:
        return start_remote_signing(
            request,
            user,
            [(document, revision)],
            delegation=_delegation(request),
            signer_position=request.POST.get("signer_position", "")[:100],
        )
    if action == OutgoingAction.SIGN:
        outgoing_sign(
            actor=user,
            document=document,
            delegation=_delegation(request),
            signer_position=request.POST.get("signer_position", "")[:100],
            expected_revision=revision,
        )
        messages.success(request, _("Đã ký số văn bản."))
    elif action == OutgoingAction.REGISTER:
        document = outgoing_register_and_seal(
            actor=user, document=document, expected_revision=revision
        )
        messages.success(
            request,
            _("Đã cấp số %(number)s và ký số của cơ quan.")
            % {"number": f"{document.code_number:02d}/{document.code_notation}"},
        )
    elif action == OutgoingAction.AGENCY_SIGN:
        outgoing_agency_seal(actor=user, document=document, expected_revision=revision)
        messages.success(request, _("Đã ký số của cơ quan."))
    elif action == OutgoingAction.ISSUE:
        outgoing_issue(actor=user, document=document, expected_revision=revision)
        messages.success(request, _("Đã phát hành văn bản."))
    elif action in (*SIMPLE_ACTIONS, OutgoingAction.RETURN):
        outgoing_transition(
            actor=user,
            document=document,
            action=action,
            reason=request.POST.get("reason", "")[:4000],
            expected_revision=revision,
        )
        messages.success(request, OutgoingAction(action).label)
    else:
        raise TransitionRefused(_("Thao tác không tồn tại."))
    return None


@login_required
@require_POST
def outgoing_action(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    try:
        elsewhere = _act(request, document)
        if elsewhere is not None:
            return redirect(elsewhere)
    except StaleRevision as exc:
        messages.error(request, str(exc))
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    except SigningError as exc:
        messages.error(request, exc.message)
    back = request.POST.get("back", "")
    if back in ("signing", "release"):
        return redirect(f"workspace:outgoing_{back}")
    return redirect("workspace:outgoing", pk=document.pk)


@login_required
@require_POST
def outgoing_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft version (PDF or DOCX) uploaded by the drafter."""
    document = _document_or_404(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Hãy chọn tệp dự thảo (PDF hoặc DOCX)."))
        return redirect("workspace:outgoing", pk=document.pk)
    try:
        version = outgoing_revise(
            actor=staff_user(request),
            document=document,
            data=upload.read(),
            name=upload.name or "du-thao",
            note=request.POST.get("note", ""),
        )
    except (TransitionRefused, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Đã cập nhật dự thảo (bản %d).") % version.number)
    return redirect("workspace:outgoing", pk=document.pk)


# --- the leader's signing queue and the văn thư's release screen -----------------------


@login_required
def outgoing_signing(request: HttpRequest) -> HttpResponse:
    """Documents waiting for my signature; sign one or several in one step."""
    user = staff_user(request)
    queue = signing_queue(user)
    if request.method == "POST":
        chosen: list[tuple[OutgoingDocument, int | None]] = []
        wanted = set(request.POST.getlist("document"))
        for document in queue:
            if str(document.pk) in wanted:
                chosen.append((document, _int(request.POST.get(f"revision-{document.pk}"))))
        delegation = _delegation(request)
        position = request.POST.get("signer_position", "")[:100]
        remote: list[tuple[OutgoingDocument, int | None]] = []
        if signs_remotely(user):  # files wait for the phone; secret ones have no file
            remote = [(d, r) for d, r in chosen if not d.is_secret]
            chosen = [(d, r) for d, r in chosen if d.is_secret]
        if not chosen and not remote:
            messages.error(request, _("Hãy chọn ít nhất một văn bản để ký."))
        for outcome in outgoing_sign_many(
            actor=user, documents=chosen, delegation=delegation, signer_position=position
        ):
            text = f"{outcome.document.subject}: {outcome.message}"
            (messages.success if outcome.ok else messages.error)(request, text)
        if remote:
            waiting = start_remote_signing(
                request, user, remote, delegation=delegation, signer_position=position
            )
            if waiting is not None:
                return redirect(waiting)
        return redirect("workspace:outgoing_signing")
    return render(
        request,
        "workspace/documents/outgoing_signing.html",
        {
            "queue": queue,
            "waiting_requests": waiting_remote_signing(user),
            "remote": signs_remotely(user),
            "delegations": [(AS_DRAFTED, _("Như dự thảo của từng văn bản")), *Delegation.choices],
            "default_box_mm": round(DEFAULT_BOX_BOTTOM / 72 * 25.4),
        },
    )


@login_required
def outgoing_release(request: HttpRequest) -> HttpResponse:
    """Signed documents of my agencies: number and counter-sign, then issue."""
    user = staff_user(request)
    queue = release_queue(user)
    notices = number_date_notices(queue)
    rows = [
        (document, outgoing_allowed_actions(user, document), notices[document.pk])
        for document in queue
    ]
    return render(
        request,
        "workspace/documents/outgoing_release.html",
        {"rows": rows},
    )
