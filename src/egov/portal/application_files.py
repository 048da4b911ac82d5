"""Step 2 of the online application: the files of each dossier component.

One form holds every component, so nothing chosen is lost whichever button is pressed: without
JavaScript any submit (“Tải lên”, “Xóa”, “Lưu lựa chọn”, “Tiếp tục: xem lại”) stores every
file chosen on the page and keeps the reuse choices, and “Tiếp tục” goes on only when nothing
failed and every required component has a file. With JavaScript (egov/uploads.js) a file is
uploaded as soon as it is chosen (htmx, one component per request, ``?component=<id>``) and
only that component's block is swapped in place, with its error next to it.

Size: the browser refuses a file over ``EGOV_UPLOAD_MAX_MB`` before sending it; the server
refuses a body that cannot be legitimate from its Content-Length before reading it, and drops
a file passing the limit while it arrives (``SizeCappedUploadHandler``), never after storing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import TooManyFilesSent, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from egov.accounts.actors import signed_in
from egov.catalog.models import Component as DossierComponent
from egov.core.inputs import ParamError, parse_int_param
from egov.core.request_size import FORM_MARGIN_BYTES
from egov.core.upload_limit import SizeCappedUploadHandler
from egov.core.uploads import ACCEPTED_LABEL, max_upload_bytes
from egov.dossiers.services.online import earlier_results
from egov.portal.application import open_draft
from egov.portal.models import ApplicationDraft
from egov.portal.selectors import draft_store_offers, store_choice
from egov.portal.services import (
    draft_add_file,
    draft_remove_file,
    draft_set_reused,
    draft_set_store_choice,
    draft_store_documents,
)

# The types the browser may send (the server still decides by content).
ACCEPTED_TYPES = "application/pdf,image/jpeg,image/png"
ACCEPTED_EXTENSIONS = ".pdf,.jpg,.jpeg,.png"


def _id(value: str | None) -> int:
    """A row id posted by the form (0 when absent); ParamError when it is not one."""
    return parse_int_param(value, default=0, minimum=0, maximum=2**31 - 1)


def too_large_message(name: str) -> str:
    return _("Tệp “%(name)s” lớn hơn %(mb)d MB.") % {
        "name": name,
        "mb": settings.EGOV_UPLOAD_MAX_MB,
    }


@dataclass
class _Outcome:
    """What one POST did: errors by component id, and whether anything failed."""

    errors: dict[int, list[str]] = field(default_factory=dict)

    def add(self, component_id: int, message: str) -> None:
        self.errors.setdefault(component_id, []).append(message)


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _component_for_request(request: HttpRequest, draft: ApplicationDraft) -> DossierComponent:
    """The component an htmx request is about (``?component=<id>``, read without the body)."""
    try:
        pk = _id(request.GET.get("component"))
    except ParamError:
        raise Http404(_("Không tìm thấy thành phần hồ sơ hoặc tệp.")) from None
    component = draft.version.components.filter(pk=pk).first()
    if component is None:
        raise Http404(_("Không tìm thấy thành phần hồ sơ hoặc tệp."))
    return component


def _body_limit(request: HttpRequest) -> int:
    """The largest body this step accepts: one component's files for an htmx upload, every
    component's otherwise (the request-size middleware caps the total as well)."""
    per_request = int(settings.EGOV_UPLOAD_MAX_FILES_PER_COMPONENT)
    if not _htmx(request):
        per_request = int(settings.EGOV_UPLOAD_MAX_FILES_PER_REQUEST)
    return max_upload_bytes() * per_request + FORM_MARGIN_BYTES


@csrf_exempt  # checked by csrf_protect below, once the upload handler is in place
@login_required
def files_step(request: HttpRequest, pk: int) -> HttpResponse:
    draft = open_draft(request, pk)
    component = _component_for_request(request, draft) if _htmx(request) else None
    if request.method != "POST":
        return _files_page(request, draft, _Outcome())
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > _body_limit(request):
        # Refused from the declared length alone: nothing of the body is read.
        message = _(
            "Dữ liệu gửi lên quá lớn: mỗi tệp tối đa %(mb)d MB, mỗi thành phần tối đa %(n)d tệp."
        ) % {"mb": settings.EGOV_UPLOAD_MAX_MB, "n": settings.EGOV_UPLOAD_MAX_FILES_PER_COMPONENT}
        return _refused(request, draft, component, message, status=413)
    capped = SizeCappedUploadHandler(request, limit=max_upload_bytes())
    request.upload_handlers = [capped, *request.upload_handlers]
    try:
        request.FILES  # noqa: B018 - parse the body now, through the capped handler
    except TooManyFilesSent:
        message = _(
            "Mỗi lần gửi tối đa %(n)d tệp; chưa tệp nào được lưu. Hãy chọn ít tệp hơn rồi gửi lại."
        ) % {"n": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
        return _refused(request, draft, component, message, status=400)
    return _files_post(request, draft, component, capped)


def _refused(
    request: HttpRequest,
    draft: ApplicationDraft,
    component: DossierComponent | None,
    message: str,
    *,
    status: int,
) -> HttpResponse:
    """A request refused as a whole (nothing stored): the message at the component it was for,
    or at every component when the whole form was sent."""
    outcome = _Outcome()
    for row in draft.version.components.all() if component is None else [component]:
        outcome.add(row.pk, message)
    return _render(request, draft, outcome, component, status=status)


@csrf_protect
def _files_post(
    request: HttpRequest,
    draft: ApplicationDraft,
    component: DossierComponent | None,
    capped: SizeCappedUploadHandler,
) -> HttpResponse:
    actor = signed_in(request)
    components = list(draft.version.components.all()) if component is None else [component]
    try:
        remove = _id(request.POST.get("remove"))
        reuse_component = _id(request.POST.get("reuse_component"))
        upload_component = _id(request.POST.get("upload"))
        reused = {c.pk: [_id(v) for v in request.POST.getlist(f"reuse-{c.pk}")] for c in components}
        store_component = _id(request.POST.get("store_component"))
    except ParamError:
        raise Http404(_("Không tìm thấy thành phần hồ sơ hoặc tệp.")) from None
    posted_store = {
        c.pk: request.POST.get(f"store-{c.pk}", "")[:80]
        for c in components
        if f"store-{c.pk}" in request.POST
    }
    outcome = _Outcome()
    by_field = {f"files-{c.pk}": c for c in components}
    for refused in capped.refused:
        if refused.field_name in by_field:
            outcome.add(by_field[refused.field_name].pk, too_large_message(refused.file_name))
    for row in components:
        for upload in request.FILES.getlist(f"files-{row.pk}"):
            try:
                draft_add_file(
                    actor=actor,
                    draft=draft,
                    component_id=row.pk,
                    upload=upload,
                    name=upload.name or "",
                )
            except ValidationError as exc:
                outcome.add(row.pk, " ".join(exc.messages))
    chosen = {f.field_name for f in capped.refused} | set(request.FILES)
    if f"files-{upload_component}" in by_field and f"files-{upload_component}" not in chosen:
        outcome.add(upload_component, _("Cần chọn tệp để tải lên."))
    if remove:
        draft_remove_file(actor=actor, draft=draft, file_id=remove)
    _save_reuse(request, draft, components, reused, reuse_component)
    uploaded = {c.pk for c in components if request.FILES.getlist(f"files-{c.pk}")}
    _save_store_choices(request, draft, components, posted_store, store_component, uploaded)
    if component is not None:
        return _render(request, draft, outcome, component)
    if "continue" in request.POST and not outcome.errors:
        for row in _missing(draft, components):
            outcome.add(row.pk, _("Thành phần bắt buộc này chưa có tệp."))
        if not outcome.errors:
            return redirect("portal:application_review", pk=draft.pk)
    if outcome.errors:
        return _files_page(request, draft, outcome)
    return redirect("portal:application_files", pk=draft.pk)


def _save_reuse(
    request: HttpRequest,
    draft: ApplicationDraft,
    components: Iterable[DossierComponent],
    reused: dict[int, list[int]],
    reuse_component: int,
) -> None:
    """The whole form carries every component's reuse choices (saved when they changed); an
    htmx request carries one component's, saved when its “Lưu lựa chọn” was pressed."""
    if not earlier_results(request.user):
        return
    for row in components:
        if _htmx(request) and reuse_component != row.pk:
            continue
        wanted = [v for v in reused.get(row.pk, []) if v]
        if sorted(wanted) != draft.reused.get(str(row.pk), []):
            draft_set_reused(
                actor=signed_in(request), draft=draft, component_id=row.pk, file_ids=wanted
            )


def _save_store_choices(
    request: HttpRequest,
    draft: ApplicationDraft,
    components: Iterable[DossierComponent],
    posted: dict[int, str],
    store_component: int,
    uploaded: set[int],
) -> None:
    """Like ``_save_reuse`` for documents of the data store: a choice is saved when it differs
    from the one shown; a file uploaded in the same request wins over the choice."""
    offered = draft_store_offers(signed_in(request), draft)
    with_files = set(draft.files.values_list("component_id", flat=True))
    for row in components:
        if row.pk not in offered or row.pk not in posted or row.pk in uploaded:
            continue
        if _htmx(request) and store_component != row.pk:
            continue
        current = store_choice(draft, row.pk, offered[row.pk], has_files=row.pk in with_files)
        if posted[row.pk] != (current.code if current else ""):
            # A code not offered (any more) is refused by the service; the page shows the
            # choices as they are now.
            try:
                draft_set_store_choice(
                    actor=signed_in(request),
                    draft=draft,
                    component_id=row.pk,
                    code=posted[row.pk],
                )
            except ValidationError:
                continue


def _missing(draft: ApplicationDraft, components: Iterable[DossierComponent]) -> list[Any]:
    """Required components with neither a file, a reused result nor a document of the data
    store (the rule checked again at submission by dossier_submit_online)."""
    with_files = set(draft.files.values_list("component_id", flat=True))
    stored = set(draft_store_documents(draft.owner, draft))
    return [
        c
        for c in components
        if c.required
        and c.pk not in with_files
        and c.pk not in stored
        and not draft.reused.get(str(c.pk))
    ]


def _rows(
    request: HttpRequest,
    draft: ApplicationDraft,
    components: Iterable[DossierComponent],
    outcome: _Outcome,
) -> list[dict[str, Any]]:
    files = list(draft.files.select_related("file"))
    offered = draft_store_offers(signed_in(request), draft)
    results = earlier_results(request.user)
    rows = []
    for c in components:
        own = [f for f in files if f.component_id == c.pk]
        documents = offered.get(c.pk, [])
        # An e-result kept in the store is offered once, as the stored document.
        in_store = {d.signed_file_id for d in documents} | {d.file_id for d in documents}
        rows.append(
            {
                "component": c,
                "files": own,
                "reused": draft.reused.get(str(c.pk), []),
                "errors": outcome.errors.get(c.pk, []),
                "store_documents": documents,
                "store_choice": store_choice(draft, c.pk, documents, has_files=bool(own)),
                "results": [r for r in results if r.file_id not in in_store],
            }
        )
    return rows


def _context(request: HttpRequest, draft: ApplicationDraft, outcome: _Outcome) -> dict[str, Any]:
    return {
        "draft": draft,
        "accepted": ACCEPTED_LABEL,
        "accepted_types": ACCEPTED_TYPES,
        "accepted_extensions": ACCEPTED_EXTENSIONS,
        "max_mb": settings.EGOV_UPLOAD_MAX_MB,
        "max_bytes": max_upload_bytes(),
        "max_files": settings.EGOV_UPLOAD_MAX_FILES_PER_COMPONENT,
        # Wordings for the browser's own checks, the same as the server's ({name} is filled in).
        "too_large": too_large_message("{name}"),
        "too_many": _("Mỗi thành phần tối đa %(n)d tệp; hãy gộp các trang vào một tệp PDF.")
        % {"n": settings.EGOV_UPLOAD_MAX_FILES_PER_COMPONENT},
        "wrong_type": _("Tệp “%(name)s” không đúng định dạng cho phép (%(types)s).")
        % {"name": "{name}", "types": ACCEPTED_LABEL},
    }


def _files_page(request: HttpRequest, draft: ApplicationDraft, outcome: _Outcome) -> HttpResponse:
    context = _context(request, draft, outcome)
    context["rows"] = _rows(request, draft, draft.version.components.all(), outcome)
    first = next(
        (r["component"].pk for r in context["rows"] if r["component"].pk in outcome.errors), None
    )
    context["first_error"] = first
    context["has_errors"] = bool(outcome.errors)
    return render(
        request,
        "portal/application_files.html",
        context,
        status=400 if outcome.errors else 200,
    )


def _render(
    request: HttpRequest,
    draft: ApplicationDraft,
    outcome: _Outcome,
    component: DossierComponent | None,
    *,
    status: int | None = None,
) -> HttpResponse:
    if component is None:
        response = _files_page(request, draft, outcome)
        if status:
            response.status_code = status
        return response
    context = _context(request, draft, outcome)
    context["row"] = _rows(request, draft, [component], outcome)[0]
    response = render(
        request,
        "portal/_application_component.html",
        context,
        status=status or (400 if outcome.errors else 200),
    )
    # egov/uploads.js swaps this block in place even with an error status.
    response["X-Egov-Component"] = str(component.pk)
    return response
