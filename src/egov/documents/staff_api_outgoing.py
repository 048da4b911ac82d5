"""Văn bản đi through the staff API (``Authorization: Bearer <key>``): list, read, create a
draft from a PDF or DOCX (multipart), act on it (submit, approve, return, sign, register and
counter-sign, issue) and sign several at once. Same services and permission checks as the
workspace pages; errors in the common error shape (``egov.core.api_errors``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from egov.accounts.api_auth import ApiKeyAuth, api_user
from egov.accounts.idempotency import idempotent
from egov.accounts.models import User
from egov.core.api_errors import ApiError, ErrorResponse
from egov.core.api_types import Text
from egov.core.clientip import client_ip
from egov.core.cursors import decode_cursor, encode_cursor
from egov.core.downloads import stored_file_response
from egov.documents.actions import OutgoingAction
from egov.documents.api_common import (
    READ_ERRORS,
    TRANSITION_ERRORS,
    WRITE_ERRORS,
    Id,
    Revision,
    as_api_errors,
    caller_and_outgoing,
    error_docs,
    refusal,
)
from egov.documents.errors import DocumentError
from egov.documents.models import (
    Confidentiality,
    Delegation,
    OutgoingDocument,
    OutgoingStatus,
    RecipientKind,
    Urgency,
    VersionKind,
)
from egov.documents.permissions import (
    drafting_places,
    get_outgoing_for_actor,
    outgoing_allowed_actions,
)
from egov.documents.selectors import document_type
from egov.documents.selectors_outgoing import (
    number_date_notices,
    outgoing_page,
    unit_abbreviation_of,
)
from egov.documents.services.incoming import document_record_access
from egov.documents.services.outgoing import RecipientInput, outgoing_transition
from egov.documents.services.outgoing_drafts import external_recipients, outgoing_upload
from egov.documents.services.outgoing_signing import (
    outgoing_agency_seal,
    outgoing_issue,
    outgoing_register_and_seal,
    outgoing_sign,
    outgoing_sign_many,
)
from egov.org.models import Unit

outgoing_router = Router(tags=["documents"], auth=ApiKeyAuth("documents"))


class VersionOut(Schema):
    number: int
    kind: VersionKind
    sha256: str
    size: int
    created_at: dt.datetime


class OutgoingEventOut(Schema):
    sequence: int
    action: str
    from_status: str
    to_status: str
    at: dt.datetime
    reason: str


class RecipientOut(Schema):
    kind: RecipientKind
    name: str
    email: str
    unit: str | None
    delivered_at: dt.datetime | None


class OutgoingSummaryOut(Schema):
    id: int
    status: OutgoingStatus
    document_type: str
    subject: str
    number: int | None
    notation: str
    issued_date: dt.date | None
    urgency: Urgency
    confidentiality: Confidentiality
    revision: int


class OutgoingOut(OutgoingSummaryOut):
    agency: str
    drafting_unit: str
    signer: str | None
    delegation: str
    signer_position: str
    allowed_actions: list[OutgoingAction]
    versions: list[VersionOut]
    recipients: list[RecipientOut]
    events: list[OutgoingEventOut]
    number_date_on_file: bool = Field(
        description="Số và ngày được ghi vào tệp khi cấp số: dự thảo của trình soạn thảo, hoặc "
        "tệp tải lên có dòng “Số:” và dòng ngày tháng năm để trống ở trang 1 (NĐ 30/2020/NĐ-CP, "
        "Điều 15)"
    )
    number_date_notice: str = Field(
        description="Câu báo cho người soạn thảo và văn thư về số và ngày trên tệp tải lên "
        "(rỗng với dự thảo của trình soạn thảo)"
    )


class OutgoingPageOut(Schema):
    items: list[OutgoingSummaryOut]
    # Pass as ``cursor`` for the next page; null on the last page.
    next_cursor: str | None


OUTGOING_CURSOR = "out"


class DraftIn(Schema):
    drafting_unit: Annotated[str, Text(100, min_length=1)]
    document_type: Annotated[str, Text(40, min_length=1)]
    subject: Annotated[str, Text(500, min_length=1)]
    signer: Annotated[str, Text(150, min_length=1)]
    urgency: Urgency = Urgency.NORMAL
    confidentiality: Confidentiality = Confidentiality.NORMAL
    internal_recipients: Annotated[str, Text(2000)] = Field(
        "", description="Mã (key) các đơn vị nhận trong hệ thống, cách nhau dấu phẩy"
    )
    external_recipients: Annotated[str, Text(5000)] = Field(
        "", description="Nơi nhận bên ngoài, mỗi dòng: Tên cơ quan <thư điện tử>"
    )


class ActionIn(Schema):
    action: OutgoingAction
    revision: Revision
    reason: Annotated[str, Text(4000)] = ""
    delegation: Delegation | None = Field(
        None, description="Thẩm quyền ký khi ký (sign); bỏ trống: như dự thảo"
    )
    signer_position: Annotated[str, Text(100)] = ""


class BatchItemIn(Schema):
    id: Id
    revision: Revision


class BatchSignIn(Schema):
    documents: list[BatchItemIn] = Field(..., min_length=1, max_length=50)
    delegation: Delegation | None = Field(
        None, description="Thẩm quyền ký; bỏ trống: như dự thảo của từng văn bản"
    )
    signer_position: Annotated[str, Text(100)] = ""


class BatchResultOut(Schema):
    id: int
    ok: bool
    message: str
    status: str
    revision: int


def _summary(document: OutgoingDocument) -> dict[str, Any]:
    return {
        "id": document.pk,
        "status": document.status,
        "document_type": document.document_type.key,
        "subject": document.subject,
        "number": document.code_number,
        "notation": document.code_notation,
        "issued_date": document.issued_date,
        "urgency": document.urgency,
        "confidentiality": document.confidentiality,
        "revision": document.revision,
    }


def _out(document: OutgoingDocument, user: User) -> dict[str, Any]:
    number_date = number_date_notices([document])[document.pk]
    return {
        **_summary(document),
        "agency": document.agency.name,
        "drafting_unit": document.drafting_unit.name,
        "signer": document.signer.get_username() if document.signer else None,
        "delegation": document.delegation,
        "signer_position": document.signer_position,
        "allowed_actions": outgoing_allowed_actions(user, document),
        "versions": [
            {
                "number": v.number,
                "kind": v.kind,
                "sha256": v.file.sha256,
                "size": v.file.size,
                "created_at": v.created_at,
            }
            for v in document.versions.select_related("file")
        ],
        "recipients": [
            {
                "kind": r.kind,
                "name": r.name,
                "email": r.email,
                "unit": r.unit.key if r.unit else None,
                "delivered_at": r.delivered_at,
            }
            for r in document.recipients.select_related("unit")
        ],
        "events": list(
            document.events.values("sequence", "action", "from_status", "to_status", "at", "reason")
        ),
        "number_date_on_file": number_date.on_file,
        "number_date_notice": number_date.text,
    }


@outgoing_router.get(
    "/outgoing-documents",
    response={200: OutgoingPageOut, 401: ErrorResponse, 422: ErrorResponse},
    summary="Văn bản đi trong phạm vi được xem, mới nhất trước",
    openapi_extra=error_docs(
        {
            403: ("not_a_drafter", "forbidden", "insufficient_scope"),
            409: ("state_conflict",),
            422: ("invalid_input", "invalid_file", "secret_file_refused"),
        }
    ),
)
def list_outgoing(
    request: HttpRequest,
    status: OutgoingStatus | None = None,
    cursor: Annotated[str, Text(120)] = "",
    limit: Annotated[int, Field(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """Keyset pagination: pass ``next_cursor`` of a page as ``cursor`` for the next one, until
    it is null; 422 ``invalid_cursor`` for a token not made here."""
    before = None
    if cursor:
        decoded = decode_cursor(OUTGOING_CURSOR, cursor)
        if decoded is None:
            raise ApiError(
                422,
                "invalid_cursor",
                _("Con trỏ trang không hợp lệ; dùng đúng giá trị next_cursor đã nhận."),
            )
        before = decoded[0]
    page = outgoing_page(api_user(request), status=status or "", before=before, limit=limit)
    following = page.next_before
    return {
        "items": [_summary(d) for d in page.rows],
        "next_cursor": None if following is None else encode_cursor(OUTGOING_CURSOR, following),
    }


@outgoing_router.post(
    "/outgoing-documents/sign-batch",
    response={200: list[BatchResultOut], 401: ErrorResponse, 422: ErrorResponse},
    summary="Ký số nhiều văn bản một lần (mỗi văn bản một kết quả)",
)
def sign_batch(request: HttpRequest, payload: BatchSignIn) -> list[dict[str, Any]]:
    """Each document is signed on its own: one that cannot be signed (not found, not the
    caller's to sign, changed since read) is reported and the others are signed."""
    user = api_user(request)
    chosen: list[tuple[OutgoingDocument, int | None]] = []
    results: dict[int, dict[str, Any]] = {}
    for item in payload.documents:
        document = get_outgoing_for_actor(user, item.id)
        if document is None:
            results[item.id] = {
                "id": item.id,
                "ok": False,
                "message": _("Không tìm thấy văn bản trong phạm vi bạn được xem."),
                "status": "",
                "revision": 0,
            }
        else:
            chosen.append((document, item.revision))
    for outcome in outgoing_sign_many(
        actor=user,
        documents=chosen,
        delegation=None if payload.delegation is None else str(payload.delegation),
        signer_position=payload.signer_position,
    ):
        fresh = get_outgoing_for_actor(user, outcome.document.pk) or outcome.document
        results[outcome.document.pk] = {
            "id": outcome.document.pk,
            "ok": outcome.ok,
            "message": outcome.message,
            "status": fresh.status,
            "revision": fresh.revision,
        }
    return [results[item.id] for item in payload.documents]


@outgoing_router.get(
    "/outgoing-documents/{outgoing_id}",
    response={200: OutgoingOut, **READ_ERRORS},
    summary="Một văn bản đi",
)
def get_outgoing(request: HttpRequest, outgoing_id: Id) -> dict[str, Any]:
    """One outgoing document of the caller's reach, with its versions, recipients and history
    (the view is recorded in its access log)."""
    user, document = caller_and_outgoing(request, outgoing_id)
    document_record_access(
        actor=user, document=document, kind="view", ip_address=client_ip(request)
    )
    return _out(document, user)


@outgoing_router.get(
    "/outgoing-documents/{outgoing_id}/versions/{number}",
    response={200: None, **READ_ERRORS},
    summary="Tải về một phiên bản (PDF) của văn bản đi",
)
def download_version(request: HttpRequest, outgoing_id: Id, number: Id) -> Any:
    """One version of the outgoing document as a PDF; 404 ``version_not_found``."""
    user, document = caller_and_outgoing(request, outgoing_id)
    version = document.versions.select_related("file").filter(number=number).first()
    if version is None:
        raise ApiError(404, "version_not_found", _("Không tìm thấy phiên bản này."))
    document_record_access(
        actor=user, document=document, kind="download", ip_address=client_ip(request)
    )
    return stored_file_response(
        version.file, filename=f"van-ban-di-{document.pk}-v{version.number}.pdf"
    )


def _units(keys: str) -> list[Unit]:
    wanted = [key.strip() for key in keys.split(",") if key.strip()]
    found = {unit.key: unit for unit in Unit.objects.filter(key__in=wanted)}
    missing = [key for key in wanted if key not in found]
    if missing:
        raise ApiError(
            422,
            "invalid_input",
            _("Không có đơn vị: %s.") % ", ".join(missing),
            [{"field": "internal_recipients", "message": _("Đơn vị không tồn tại.")}],
        )
    return [found[key] for key in wanted]


@outgoing_router.post(
    "/outgoing-documents",
    response={
        201: OutgoingOut,
        401: ErrorResponse,
        403: ErrorResponse,
        409: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Tạo dự thảo văn bản đi từ tệp PDF (giữ nguyên) hoặc DOCX (chuyển sang PDF)",
)
def create_outgoing(request: HttpRequest, payload: Form[DraftIn], file: File[UploadedFile]) -> Any:
    """422 ``invalid_file`` when the file is not a PDF or DOCX, is too large, or is a DOCX
    while LibreOffice is not installed on the server (the message says so); 403 when the
    caller may not draft in ``drafting_unit``."""
    user = api_user(request)
    place = next(
        (p for p in drafting_places(user) if payload.drafting_unit in (p.unit.key, p.unit.code)),
        None,
    )
    if place is None:
        raise ApiError(
            403, "not_a_drafter", _("Tài khoản không có vai trò soạn thảo tại đơn vị này.")
        )
    unit, agency = place.unit, place.agency
    kind = document_type(agency, payload.document_type)
    if kind is None:
        raise ApiError(422, "invalid_input", _("Loại văn bản không tồn tại."))
    signer = User.objects.filter(username=payload.signer, is_active=True).first()
    if signer is None:
        raise ApiError(422, "invalid_input", _("Không có người ký này."))
    try:
        outside = external_recipients(payload.external_recipients)
    except ValidationError as exc:
        raise ApiError(
            422,
            "invalid_input",
            " ".join(exc.messages),
            [{"field": "external_recipients", "message": " ".join(exc.messages)}],
        ) from None
    recipients = [*(RecipientInput(unit=u) for u in _units(payload.internal_recipients)), *outside]
    try:
        document = outgoing_upload(
            actor=user,
            agency=agency,
            drafting_unit=unit,
            document_type=kind,
            subject=payload.subject,
            data=file.read(),
            name=file.name or "du-thao",
            signer=signer,
            unit_abbreviation=unit_abbreviation_of(agency, unit),
            urgency=payload.urgency,
            confidentiality=payload.confidentiality,
            recipients=recipients,
        )
    except ValidationError as exc:
        raise ApiError(422, "invalid_file", " ".join(exc.messages)) from None
    except DocumentError as exc:
        raise refusal(exc) from None
    return Status(201, _out(document, user))


@outgoing_router.post(
    "/outgoing-documents/{outgoing_id}/transitions",
    response={200: OutgoingOut, **WRITE_ERRORS},
    summary="Thao tác trên văn bản đi (trình, duyệt, trả lại, ký, cấp số và ký số cơ quan, "
    "phát hành)",
    openapi_extra=error_docs(
        TRANSITION_ERRORS,
        s422=("signing_failed", "idempotency_key_reused", "invalid_idempotency_key"),
    ),
)
@idempotent(OutgoingOut)
def transition_outgoing(request: HttpRequest, outgoing_id: Id, payload: ActionIn) -> Any:
    """``sign``: the caller's personal signature (they must be the signer). ``register``:
    number, date, then the agency's signature in one step (``agency_sign`` repeats the
    signature if it failed after numbering). 403 ``forbidden`` when the caller's roles do not
    allow the action; 409 ``revision_conflict`` on a stale ``revision``, ``state_conflict``
    when the document's step does not allow it; 422 ``invalid_input`` (the field named in
    ``details``) or ``signing_failed`` otherwise."""
    user, document = caller_and_outgoing(request, outgoing_id)
    action, revision = payload.action, payload.revision
    with as_api_errors():
        if action == OutgoingAction.SIGN:
            document = outgoing_sign(
                actor=user,
                document=document,
                delegation=None if payload.delegation is None else str(payload.delegation),
                signer_position=payload.signer_position,
                expected_revision=revision,
            )
        elif action == OutgoingAction.REGISTER:
            document = outgoing_register_and_seal(
                actor=user, document=document, expected_revision=revision
            )
        elif action == OutgoingAction.AGENCY_SIGN:
            document = outgoing_agency_seal(
                actor=user, document=document, expected_revision=revision
            )
        elif action == OutgoingAction.ISSUE:
            document = outgoing_issue(actor=user, document=document, expected_revision=revision)
        else:
            document = outgoing_transition(
                actor=user,
                document=document,
                action=action,
                reason=payload.reason,
                expected_revision=revision,
            )
    return _out(document, user)
