"""Staff API of incoming documents (văn bản đến): list, one, receive (JSON with the file in
base64, or multipart), register, return, distribute, assignment start/complete, reply link,
the file, the Phiếu giải quyết, and a signature check of any PDF. Same services and access
rules as the workspace; ``Authorization: Bearer <key>`` (``manage.py api_client``)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from egov.accounts.api_auth import ApiKeyAuth, api_user
from egov.accounts.idempotency import idempotent
from egov.accounts.models import User
from egov.core.api_errors import ApiError, ErrorResponse
from egov.core.api_render import normalise_moments
from egov.core.api_types import Column, Text
from egov.core.clientip import client_ip
from egov.core.downloads import pdf_response, stored_file_response
from egov.core.uploads import max_upload_bytes
from egov.documents.api_common import (
    READ_ERRORS,
    TRANSITION_ERRORS,
    WRITE_ERRORS,
    Id,
    Revision,
    as_api_errors,
    caller_and_incoming,
    error_docs,
)
from egov.documents.catalogue import Confidentiality, Urgency
from egov.documents.inbox import InboxFilters, incoming_inbox, parse_cursor
from egov.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    IncomingDocument,
    IncomingSource,
    IncomingStatus,
)
from egov.documents.permissions import (
    get_outgoing_for_actor,
    may_register_incoming,
)
from egov.documents.printing.handling_sheet import handling_sheet_filename, render_handling_sheet
from egov.documents.selectors import document_type
from egov.documents.services.incoming import (
    AssigneeInput,
    assignment_complete,
    assignment_start,
    document_record_access,
    incoming_distribute,
    incoming_link_reply,
    incoming_register,
    incoming_return_to_sender,
)
from egov.documents.services.intake import (
    IntakeFileRefused,
    incoming_receive_with_file,
    pdf_from_upload,
    read_typed_code,
    verify_file,
)
from egov.org.models import Unit

incoming_router = Router(tags=["incoming-documents"], auth=ApiKeyAuth("documents"))

Reason = Annotated[str, Text(1000)]
_SOURCES = {IncomingSource.SCAN, IncomingSource.UPLOAD, IncomingSource.EMAIL, IncomingSource.PAPER}


# --- schemas -----------------------------------------------------------------------------


class IncomingSignatureOut(Schema):
    signer: str
    organisation: str
    verdict: str
    message: str
    time: str | None


class VerdictOut(Schema):
    verdict: str
    message: str
    checked_at: str | None = None
    signatures: list[IncomingSignatureOut]


class AssignmentOut(Schema):
    id: int
    role: AssignmentRole
    unit: str | None
    person: str | None
    instructions: str
    due_at: dt.datetime | None
    status: AssignmentStatus
    note: str
    overdue: bool
    due_soon: bool


class IncomingEventOut(Schema):
    sequence: int
    action: str
    from_status: str
    to_status: str
    actor: str | None
    at: dt.datetime
    reason: str


class IncomingOut(Schema):
    id: int
    agency: str
    status: IncomingStatus
    revision: int
    source: IncomingSource
    organ_id: str
    organ_name: str
    type_name: str
    code_number: str
    code_notation: str
    issued_date: dt.date | None
    subject: str
    language: str
    page_amount: int | None
    description: str
    arrival_date: dt.datetime
    arrival_number: int | None
    arrival_register: str
    signer_position: str
    signer_full_name: str
    urgency: Urgency
    confidentiality: Confidentiality
    to_places: str
    due_date: dt.date | None
    has_file: bool
    signature_verdict: VerdictOut | None
    duplicate_override_reason: str
    reply_id: int | None
    assignments: list[AssignmentOut]
    events: list[IncomingEventOut]


class IncomingSummaryOut(Schema):
    id: int
    status: IncomingStatus
    arrival_number: int | None
    code_number: str
    code_notation: str
    organ_name: str
    subject: str
    urgency: Urgency
    assigned_to_me: bool
    overdue: bool
    due_soon: bool
    due_at: dt.datetime | None


class IncomingPageOut(Schema):
    items: list[IncomingSummaryOut]
    next_cursor: str


class ReceiveFields(Schema):
    agency: Annotated[str, Text(100, min_length=1)] = Field(
        description="Mã định danh hoặc khóa của cơ quan nhận (nơi người gọi là văn thư)."
    )
    source: IncomingSource = IncomingSource.UPLOAD
    organ_name: Annotated[str, Column(IncomingDocument, "organ_name", min_length=1)]
    organ_id: Annotated[str, Column(IncomingDocument, "organ_id")] = ""
    document_type: Annotated[str, Text(40)] = Field("", description="Khóa loại văn bản")
    code: Annotated[str, Text(45)] = Field("", description="Số, ký hiệu, ví dụ 123/BNV-VP")
    accept_code_problems: bool = Field(
        False, description="Giữ số, ký hiệu đúng như trên văn bản gốc dù sai thể thức"
    )
    issued_date: dt.date | None = None
    subject: Annotated[str, Column(IncomingDocument, "subject", min_length=1)]
    language: Annotated[str, Column(IncomingDocument, "language")] = "Tiếng Việt"
    page_amount: int | None = Field(None, ge=1, le=32767)
    description: Annotated[str, Column(IncomingDocument, "description")] = ""
    signer_position: Annotated[str, Column(IncomingDocument, "signer_position")] = ""
    signer_full_name: Annotated[str, Column(IncomingDocument, "signer_full_name")] = ""
    urgency: Urgency = Urgency.NORMAL
    confidentiality: Confidentiality = Confidentiality.NORMAL
    to_places: Annotated[str, Column(IncomingDocument, "to_places")] = ""
    due_date: dt.date | None = None


class ReceiveIn(ReceiveFields):
    file_base64: str | None = Field(None, description="Tệp PDF (hoặc DOCX) mã hóa base64")
    file_name: Annotated[str, Text(255)] = ""


class RegisterIn(Schema):
    override_reason: Annotated[str, Text(500)] = ""
    revision: Revision | None = None


class ReturnIn(Schema):
    reason: Annotated[str, Text(1000, min_length=1)]
    revision: Revision | None = None


class AssigneeIn(Schema):
    unit: Annotated[str, Text(100)] | None = Field(None, description="Khóa hoặc mã đơn vị")
    person: Annotated[str, Text(150)] | None = Field(None, description="Tên đăng nhập")
    instructions: Annotated[str, Text(2000)] = ""
    working_days: int | None = Field(None, ge=0, le=365)


class DistributeIn(Schema):
    lead: AssigneeIn
    cooperating: list[AssigneeIn] = Field([], max_length=50)
    instructions: Annotated[str, Text(2000)] = ""
    revision: Revision | None = None


class NoteIn(Schema):
    note: Reason = ""


class ReplyIn(Schema):
    outgoing_id: Id


# --- helpers -----------------------------------------------------------------------------


def _verdict(value: dict[str, Any]) -> dict[str, Any] | None:
    if not value or "verdict" not in value:
        return None
    # Stored as text; sent like every other moment of the API (RFC 3339, +07:00).
    value = normalise_moments(value)
    return {
        "verdict": value["verdict"],
        "message": value.get("message", ""),
        "checked_at": value.get("checked_at"),
        "signatures": [
            {
                "signer": s.get("signer", ""),
                "organisation": s.get("organisation", ""),
                "verdict": s.get("verdict", ""),
                "message": s.get("message", ""),
                "time": s.get("time"),
            }
            for s in value.get("signatures", [])
        ],
    }


def _name(user: User | None) -> str | None:
    return (user.get_full_name() or user.get_username()) if user else None


_COPIED = (
    "status",
    "revision",
    "source",
    "organ_id",
    "organ_name",
    "type_name",
    "code_number",
    "code_notation",
    "issued_date",
    "subject",
    "language",
    "page_amount",
    "description",
    "arrival_date",
    "arrival_number",
    "signer_position",
    "signer_full_name",
    "urgency",
    "confidentiality",
    "to_places",
    "due_date",
    "duplicate_override_reason",
    "reply_id",
)


def _out(document: IncomingDocument) -> dict[str, Any]:
    assignments: list[Assignment] = list(document.assignments.select_related("unit", "person"))
    return {
        **{name: getattr(document, name) for name in _COPIED},
        "id": document.pk,
        "arrival_register": document.register,
        "agency": document.agency.code or document.agency.key,
        "has_file": document.file_id is not None,
        "signature_verdict": _verdict(document.signature_verdict),
        "assignments": [
            {
                "id": a.pk,
                "role": a.role,
                "unit": a.unit.key if a.unit else None,
                "person": a.person.get_username() if a.person else None,
                "instructions": a.instructions,
                "due_at": a.due_at,
                "status": a.status,
                "note": a.note,
                "overdue": a.is_overdue(),
                "due_soon": a.is_due_soon(),
            }
            for a in assignments
        ],
        "events": [
            {
                "sequence": e.sequence,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor": _name(e.actor),
                "at": e.at,
                "reason": e.reason,
            }
            for e in document.events.select_related("actor")
        ],
    }


def _unit(text: str) -> Unit | None:
    return Unit.objects.filter(key=text).first() or Unit.objects.filter(code=text).first()


def _within(unit: Unit, agency: Unit) -> bool:
    seen = 0
    current: Unit | None = unit
    while current is not None and seen < 20:
        if current.pk == agency.pk:
            return True
        current, seen = current.parent, seen + 1
    return False


def _assignee(item: AssigneeIn, agency: Unit, field: str) -> AssigneeInput:
    unit = _unit(item.unit) if item.unit else None
    if item.unit and (unit is None or not _within(unit, agency)):
        raise ApiError(
            422,
            "invalid_input",
            _("Đơn vị không thuộc cơ quan nhận văn bản."),
            [{"field": f"{field}.unit", "message": _("Không tìm thấy đơn vị trong cơ quan.")}],
        )
    person = (
        User.objects.filter(username=item.person, is_active=True).first() if item.person else None
    )
    if item.person and person is None:
        raise ApiError(
            422,
            "invalid_input",
            _("Không tìm thấy người được giao."),
            [{"field": f"{field}.person", "message": _("Không tìm thấy người được giao.")}],
        )
    return AssigneeInput(
        unit=unit, person=person, instructions=item.instructions, working_days=item.working_days
    )


def _receive(user: User, fields: ReceiveFields, data: bytes | None, name: str) -> Any:
    agency = _unit(fields.agency)
    if agency is None or not may_register_incoming(user, agency):
        raise ApiError(403, "not_a_clerk", _("Tài khoản không phải văn thư của cơ quan này."))
    number, notation, problems = read_typed_code(
        fields.code, accept_problems=fields.accept_code_problems
    )
    if problems:
        raise ApiError(
            422,
            "invalid_code",
            _("Số, ký hiệu văn bản chưa đúng."),
            [{"field": "code", "message": p} for p in problems],
        )
    kind = document_type(agency, fields.document_type) if fields.document_type else None
    if fields.document_type and kind is None:
        raise ApiError(
            422,
            "invalid_input",
            _("Loại văn bản không tồn tại."),
            [{"field": "document_type", "message": _("Loại văn bản không tồn tại.")}],
        )
    if fields.source not in _SOURCES:
        raise ApiError(422, "invalid_input", _("Nguồn tiếp nhận không hợp lệ."))
    skip = {"agency", "code", "accept_code_problems", "document_type", "confidentiality"}
    values = {
        name: getattr(fields, name) for name in ReceiveFields.model_fields if name not in skip
    }
    with as_api_errors():
        document = incoming_receive_with_file(
            actor=user,
            agency=agency,
            data=data,
            original_name=name,
            confidentiality=fields.confidentiality,
            code_number=number,
            code_notation=notation,
            document_type=kind,
            **values,
        )
    return Status(201, _out(document))


# --- operations --------------------------------------------------------------------------


@incoming_router.get(
    "/incoming-documents",
    response={200: IncomingPageOut, 401: ErrorResponse, 422: ErrorResponse},
    summary="Văn bản đến (việc được giao cho mình, đơn vị mình trước)",
)
def list_incoming(
    request: HttpRequest,
    status: IncomingStatus | None = None,
    overdue: bool = False,
    mine: bool = False,
    cursor: Annotated[str, Text(24)] = "",
    limit: Annotated[int, Field(ge=1, le=200)] = 50,
) -> Any:
    """Keyset pages: pass ``next_cursor`` of a page as ``cursor`` for the next one."""
    user = api_user(request)
    after = parse_cursor(cursor) if cursor else None
    if cursor and after is None:
        raise ApiError(
            422,
            "invalid_cursor",
            _("Con trỏ trang không hợp lệ; dùng đúng giá trị next_cursor đã nhận."),
        )
    page = incoming_inbox(
        user,
        filters=InboxFilters(status=status or "", overdue=overdue, mine=mine),
        after=after,
        limit=limit,
    )
    return {
        "items": [
            {
                "id": row.document.pk,
                "status": row.document.status,
                "arrival_number": row.document.arrival_number,
                "code_number": row.document.code_number,
                "code_notation": row.document.code_notation,
                "organ_name": row.document.organ_name,
                "subject": row.document.subject,
                "urgency": row.document.urgency,
                "assigned_to_me": row.mine,
                "overdue": row.overdue,
                "due_soon": row.due_soon,
                "due_at": row.due_at,
            }
            for row in page.rows
        ],
        "next_cursor": page.next_cursor,
    }


@incoming_router.post(
    "/incoming-documents",
    response={201: IncomingOut, **WRITE_ERRORS},
    summary="Tiếp nhận văn bản đến (tệp PDF/DOCX mã hóa base64, hoặc không tệp)",
)
@idempotent(IncomingOut)
def receive_incoming(request: HttpRequest, payload: ReceiveIn) -> Any:
    """Receives an incoming document at the caller's agency (the clerk's step): its metadata and
    optionally its file (PDF or DOCX, base64), whose signatures are verified on receipt. It
    waits to be registered."""
    user = api_user(request)
    data = None
    if payload.file_base64 is not None:
        if len(payload.file_base64) > max_upload_bytes() * 4 // 3 + 4:
            raise ApiError(422, "invalid_file", _("Tệp lớn hơn giới hạn cho phép."))
        try:
            data = base64.b64decode(payload.file_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(
                422,
                "invalid_file",
                _("Tệp không đúng dạng base64."),
                [{"field": "file_base64", "message": _("Tệp không đúng dạng base64.")}],
            ) from None
    return _receive(user, payload, data, payload.file_name)


@incoming_router.post(
    "/incoming-documents/multipart",
    response={201: IncomingOut, **WRITE_ERRORS},
    summary="Tiếp nhận văn bản đến (multipart: các trường và tệp)",
)
def receive_incoming_multipart(
    request: HttpRequest,
    payload: Form[ReceiveFields],
    file: File[UploadedFile | None] = None,
) -> Any:
    user = api_user(request)
    data = file.read() if file is not None else None
    return _receive(user, payload, data, (file.name or "") if file is not None else "")


@incoming_router.post(
    "/incoming-documents/{incoming_id}/register",
    response={200: IncomingOut, **WRITE_ERRORS},
    summary="Vào sổ văn bản đến (cấp số đến); 409 possible_duplicate nếu có thể trùng",
    openapi_extra=error_docs(TRANSITION_ERRORS, s409=("possible_duplicate",)),
)
@idempotent(IncomingOut)
def register_incoming(request: HttpRequest, incoming_id: Id, payload: RegisterIn) -> Any:
    """The clerk registers the document in the incoming register and gives it its number; 409
    ``possible_duplicate`` when it may be one already registered (send again with
    ``override_reason``). Send ``revision`` to retry safely."""
    user, document = caller_and_incoming(request, incoming_id)
    with as_api_errors():
        incoming_register(
            actor=user,
            document=document,
            override_reason=payload.override_reason,
            expected_revision=payload.revision,
        )
    return _out(document)


@incoming_router.post(
    "/incoming-documents/{incoming_id}/return",
    response={200: IncomingOut, **WRITE_ERRORS},
    summary="Trả lại văn bản cho nơi gửi (kèm lý do)",
    openapi_extra=error_docs(TRANSITION_ERRORS),
)
@idempotent(IncomingOut)
def return_incoming(request: HttpRequest, incoming_id: Id, payload: ReturnIn) -> Any:
    """The clerk returns the document to its sender, with a reason."""
    user, document = caller_and_incoming(request, incoming_id)
    with as_api_errors():
        incoming_return_to_sender(
            actor=user, document=document, reason=payload.reason, expected_revision=payload.revision
        )
    return _out(document)


@incoming_router.post(
    "/incoming-documents/{incoming_id}/distribute",
    response={200: IncomingOut, **WRITE_ERRORS},
    summary="Phân phối: chủ trì, phối hợp, bút phê, thời hạn (ngày làm việc)",
    openapi_extra=error_docs(TRANSITION_ERRORS),
)
@idempotent(IncomingOut)
def distribute_incoming(request: HttpRequest, incoming_id: Id, payload: DistributeIn) -> Any:
    """A leader distributes the registered document: the lead (chủ trì), those who cooperate,
    the instruction (bút phê) and the time in working days."""
    user, document = caller_and_incoming(request, incoming_id)
    lead = _assignee(payload.lead, document.agency, "lead")
    cooperating = [
        _assignee(item, document.agency, f"cooperating.{index}")
        for index, item in enumerate(payload.cooperating)
    ]
    with as_api_errors():
        incoming_distribute(
            actor=user,
            document=document,
            lead=lead,
            cooperating=cooperating,
            instructions=payload.instructions,
            expected_revision=payload.revision,
        )
    return _out(document)


def _assignment_or_404(document: IncomingDocument, assignment_id: int) -> Assignment:
    found = (
        document.assignments.select_related("unit", "person", "document")
        .filter(pk=assignment_id)
        .first()
    )
    if found is None:
        raise ApiError(404, "assignment_not_found", _("Không tìm thấy phần việc được giao."))
    return found


@incoming_router.post(
    "/incoming-documents/{incoming_id}/assignments/{assignment_id}/start",
    response={200: IncomingOut, **WRITE_ERRORS},
    summary="Bắt đầu xử lý phần việc được giao",
    openapi_extra=error_docs(TRANSITION_ERRORS, s404=("assignment_not_found",)),
)
@idempotent(IncomingOut)
def start_assignment(request: HttpRequest, incoming_id: Id, assignment_id: Id) -> Any:
    """The assignee starts work on their part."""
    user, document = caller_and_incoming(request, incoming_id)
    with as_api_errors():
        assignment_start(actor=user, assignment=_assignment_or_404(document, assignment_id))
    document.refresh_from_db()
    return _out(document)


@incoming_router.post(
    "/incoming-documents/{incoming_id}/assignments/{assignment_id}/complete",
    response={200: IncomingOut, **WRITE_ERRORS},
    summary="Hoàn thành phần việc được giao (kèm kết quả, đề xuất)",
    openapi_extra=error_docs(TRANSITION_ERRORS, s404=("assignment_not_found",)),
)
@idempotent(IncomingOut)
def complete_assignment(
    request: HttpRequest, incoming_id: Id, assignment_id: Id, payload: NoteIn
) -> Any:
    """The assignee completes their part, with a note of the result or proposal."""
    user, document = caller_and_incoming(request, incoming_id)
    with as_api_errors():
        assignment_complete(
            actor=user, assignment=_assignment_or_404(document, assignment_id), note=payload.note
        )
    document.refresh_from_db()
    return _out(document)


@incoming_router.post(
    "/incoming-documents/{incoming_id}/reply",
    response={200: IncomingOut, **WRITE_ERRORS},
    summary="Gắn văn bản đi trả lời",
    openapi_extra=error_docs(TRANSITION_ERRORS),
)
@idempotent(IncomingOut)
def link_reply(request: HttpRequest, incoming_id: Id, payload: ReplyIn) -> Any:
    """Links an outgoing document of the caller's reach as this document's reply. 404
    ``document_not_found`` (with the field ``outgoing_id`` in ``details``) when that outgoing
    document is not in the caller's scope, as when it is named in the path."""
    user, document = caller_and_incoming(request, incoming_id)
    reply = get_outgoing_for_actor(user, payload.outgoing_id)
    if reply is None:
        raise ApiError(
            404,
            "document_not_found",
            _("Không tìm thấy văn bản đi trong phạm vi bạn được xem."),
            [{"field": "outgoing_id", "message": _("Không tìm thấy văn bản đi.")}],
        )
    with as_api_errors():
        incoming_link_reply(actor=user, document=document, reply=reply)
    return _out(document)


@incoming_router.get(
    "/incoming-documents/{incoming_id}/file",
    response={200: None, **READ_ERRORS},
    summary="Tải về tệp văn bản đến",
)
def download_file(request: HttpRequest, incoming_id: Id) -> Any:
    """The document's file as it was received; 404 ``file_not_found`` for a paper document
    without one. The download is recorded in its access log."""
    user, document = caller_and_incoming(request, incoming_id)
    if document.file is None:
        raise ApiError(404, "file_not_found", _("Văn bản này không có tệp."))
    document_record_access(
        actor=user, document=document, kind="download", ip_address=client_ip(request)
    )
    return stored_file_response(document.file)


@incoming_router.get(
    "/incoming-documents/{incoming_id}/handling-sheet.pdf",
    response={200: None, **READ_ERRORS},
    summary="Phiếu giải quyết văn bản đến (PDF)",
)
def handling_sheet(request: HttpRequest, incoming_id: Id) -> HttpResponse:
    """The handling sheet (Phiếu giải quyết văn bản đến) as a PDF."""
    user, document = caller_and_incoming(request, incoming_id)
    document_record_access(
        actor=user, document=document, kind="download", ip_address=client_ip(request)
    )
    return pdf_response(render_handling_sheet(document), handling_sheet_filename(document))


@incoming_router.post(
    "/incoming-documents/verify-file",
    response={200: VerdictOut, 401: ErrorResponse, 422: ErrorResponse},
    summary="Kiểm tra chữ ký số của một tệp PDF (không lưu tệp)",
)
def verify_uploaded_file(request: HttpRequest, file: File[UploadedFile]) -> Any:
    api_user(request)
    if file.size is not None and file.size > max_upload_bytes():
        raise ApiError(422, "invalid_file", _("Tệp lớn hơn giới hạn cho phép."))
    try:
        pdf, _ignored = pdf_from_upload(file.read(), file.name or "")
    except IntakeFileRefused as exc:  # the only refusal: nothing is stored, no state to check
        raise ApiError(422, "invalid_file", str(exc)) from None
    return _verdict(verify_file(pdf))


# After the literal paths (multipart, verify-file): a path with an id would take them first.
@incoming_router.get(
    "/incoming-documents/{incoming_id}",
    response={200: IncomingOut, **READ_ERRORS},
    summary="Một văn bản đến",
)
def get_incoming(request: HttpRequest, incoming_id: Id) -> Any:
    """One incoming document of the caller's reach, with its assignments and history (the view
    is recorded in its access log)."""
    user, document = caller_and_incoming(request, incoming_id)
    document_record_access(
        actor=user, document=document, kind="view", ip_address=client_ip(request)
    )
    return _out(document)
