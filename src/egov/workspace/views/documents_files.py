"""Work files (hồ sơ công việc): the list per unit and year with a form to add a file, one
file with its documents, its lifecycle buttons, adding a document found by search, and the
export of a closed file (PDF bundle, XML index)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.core.clientip import client_ip
from egov.core.downloads import content_response, pdf_response
from egov.core.inputs import ParamError, clean_text, parse_int_param
from egov.documents.errors import DocumentError
from egov.documents.models import IncomingDocument, OutgoingDocument, WorkFile
from egov.documents.permissions import (
    get_incoming_for_actor,
    get_outgoing_for_actor,
    get_work_file_for_actor,
    may_keep_files,
    units_in_scope,
)
from egov.documents.search import search_documents
from egov.documents.services.incoming import document_record_access
from egov.documents.services.workfiles import (
    FILE_TRANSITIONS,
    work_file_add_document,
    work_file_allowed_actions,
    work_file_plan,
    work_file_transition,
)
from egov.documents.workfile_export import export_filename, work_file_pdf, work_file_xml
from egov.documents.workfile_selectors import file_documents, files_due_for_archive, work_files_for
from egov.documents.workfiles import WorkFileAction, WorkFileStatus
from egov.org.models import Unit
from egov.workspace.views.common import staff_only

MAX_UNITS = 200


def _file_or_404(request: HttpRequest, pk: int) -> WorkFile:
    staff_only(request)
    file = get_work_file_for_actor(request.user, pk)
    if file is None:
        raise Http404(_("Không tìm thấy hồ sơ công việc trong phạm vi bạn được xem."))
    return file


def _units(request: HttpRequest) -> list[Unit]:
    """Units whose lists the user may add files to (their units and those below)."""
    ids = units_in_scope(request.user)
    return list(Unit.objects.filter(pk__in=ids).order_by("name")[:MAX_UNITS])


def _plan(request: HttpRequest, year: int) -> str | None:
    """Add a file from the form; the error to show, or None."""
    try:
        unit_pk = parse_int_param(
            request.POST.get("don_vi"), default=0, minimum=0, maximum=2**31, label=_("Đơn vị")
        )
        years_text = (request.POST.get("bao_quan") or "").strip()
        maintenance = (
            None
            if years_text in ("", "0")
            else parse_int_param(
                years_text, default=0, minimum=1, maximum=999, label=_("Thời hạn bảo quản")
            )
        )
        notation = clean_text(request.POST.get("ky_hieu"), max_length=20)
        title = clean_text(request.POST.get("tieu_de"), max_length=500)
        rights = clean_text(request.POST.get("che_do"), max_length=30)
        description = clean_text(request.POST.get("ghi_chu"), max_length=500)
    except ParamError as exc:
        return str(exc)
    except ValidationError as exc:
        return " ".join(exc.messages)
    unit = next((u for u in _units(request) if u.pk == unit_pk), None)
    if unit is None or not may_keep_files(request.user, unit):
        return _("Bạn không có quyền lập hồ sơ của đơn vị này.")
    try:
        file = work_file_plan(
            actor=request.user,
            unit=unit,
            year=year,
            notation=notation,
            title=title,
            maintenance_years=maintenance,
            rights=rights,
            description=description,
            construction=request.POST.get("xdcb") == "1",
        )
    except DocumentError as exc:
        return str(exc)
    messages.success(request, _("Đã thêm hồ sơ %s vào danh mục.") % file.file_code)
    return None


@login_required
def work_files(request: HttpRequest) -> HttpResponse:
    """GET: the files of the user's units for a year (?nam=); POST: add a file to a list."""
    staff_only(request)
    today = timezone.localdate()
    try:
        year = parse_int_param(
            request.GET.get("nam"), default=today.year, minimum=2000, maximum=9999, label=_("Năm")
        )
    except ParamError as exc:
        return render(request, "workspace/work_files.html", {"error": str(exc)}, status=400)
    error = None
    if request.method == "POST":
        error = _plan(request, year)
        if error is None:
            return redirect(f"{request.path}?nam={year}")
    context = {
        "year": year,
        "files": work_files_for(request.user, year=year),
        "due": files_due_for_archive(request.user, on=today),
        "units": _units(request),
        "error": error,
    }
    return render(request, "workspace/work_files.html", context, status=400 if error else 200)


@login_required
def work_file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One file: its fields, documents (chronological), history; a search to add documents."""
    file = _file_or_404(request, pk)
    query = (request.GET.get("q") or "").strip()[:200]
    hits = search_documents(request.user, query, limit=10).hits if query else []
    actions = [
        (name, WorkFileAction(name).label, FILE_TRANSITIONS[name].needs_reason)
        for name in work_file_allowed_actions(request.user, file)
    ]
    context = {
        "file": file,
        "documents": file_documents(file),
        "events": file.events.select_related("actor"),
        "actions": actions,
        "query": query,
        "hits": hits,
        "is_open": file.status == WorkFileStatus.OPEN,
        "is_closed": file.status == WorkFileStatus.CLOSED,
    }
    return render(request, "workspace/work_file.html", context)


@login_required
@require_POST
def work_file_action(request: HttpRequest, pk: int) -> HttpResponse:
    file = _file_or_404(request, pk)
    action = request.POST.get("action", "")
    try:
        work_file_transition(
            actor=request.user,
            file=file,
            action=action,
            reason=clean_text(request.POST.get("reason"), max_length=1000),
        )
    except DocumentError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã thực hiện: %s.") % WorkFileAction(action).label)
    return redirect("workspace:work_file", pk=file.pk)


@login_required
@require_POST
def work_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the incoming (loai=den) or outgoing (loai=di) document ``van_ban`` to the file."""
    file = _file_or_404(request, pk)
    try:
        document_pk = parse_int_param(
            request.POST.get("van_ban"), default=0, minimum=1, maximum=2**31, label=_("Văn bản")
        )
    except ParamError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:work_file", pk=file.pk)
    document: IncomingDocument | OutgoingDocument | None
    if request.POST.get("loai") == "den":
        document = get_incoming_for_actor(request.user, document_pk)
    else:
        document = get_outgoing_for_actor(request.user, document_pk)
    if document is None:
        messages.error(request, _("Không tìm thấy văn bản trong phạm vi bạn được xem."))
        return redirect("workspace:work_file", pk=file.pk)
    try:
        link = work_file_add_document(actor=request.user, file=file, document=document)
    except DocumentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã thêm văn bản, số thứ tự %d.") % link.doc_ordinal)
    return redirect("workspace:work_file", pk=file.pk)


def _closed_or_message(request: HttpRequest, file: WorkFile) -> HttpResponse | None:
    if file.status == WorkFileStatus.CLOSED:
        return None
    messages.error(request, _("Chỉ được xuất hồ sơ đã kết thúc."))
    return redirect("workspace:work_file", pk=file.pk)


@login_required
def work_file_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The closed file as one PDF: cover, index, the documents (each download audited)."""
    file = _file_or_404(request, pk)
    refused = _closed_or_message(request, file)
    if refused is not None:
        return refused
    content = work_file_pdf(file)
    for filed in file_documents(file):
        if filed.pdf is not None:
            document_record_access(
                actor=request.user,
                document=filed.document,
                kind="download",
                ip_address=client_ip(request),
            )
    return pdf_response(content, export_filename(file, "pdf"), inline=False)


@login_required
def work_file_xml_download(request: HttpRequest, pk: int) -> HttpResponse:
    file = _file_or_404(request, pk)
    refused = _closed_or_message(request, file)
    if refused is not None:
        return refused
    return content_response(
        work_file_xml(file),
        content_type="application/xml",
        filename=export_filename(file, "xml"),
    )
