"""Electronic copies (sao y, sao lục, trích sao; NĐ 30/2020/NĐ-CP, Điều 25-27) through the staff
API (``Authorization: Bearer <key>``): make a copy of an incoming document, an outgoing
document or a copy, or of a digitised paper document (multipart); list the copies of a
document; read one; download its signed PDF; sign again one whose signature failed. Same
service and permission checks as the workspace pages; errors in the common error shape."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Q
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
from egov.core.downloads import stored_file_response
from egov.documents.api_common import (
    READ_ERRORS,
    Id,
    as_api_errors,
    caller_and_copy,
    copy_for,
    document_for,
    error_docs,
)
from egov.documents.catalogue import Confidentiality
from egov.documents.models import CopyForm, CopyStatus, ElectronicCopy
from egov.documents.permissions import (
    copy_agencies,
    get_incoming_for_actor,
    get_outgoing_for_actor,
)
from egov.documents.selectors_copies import copies_of, recent_copies
from egov.documents.services.copies import PaperScan, make_copy, sign_copy
from egov.documents.services.incoming import document_record_access
from egov.org.models import Unit

copies_router = Router(tags=["documents"], auth=ApiKeyAuth("documents"))


class CopyEventOut(Schema):
    sequence: int
    action: str
    from_status: str
    to_status: str
    at: dt.datetime


class CopyOut(Schema):
    id: int
    form: CopyForm
    status: CopyStatus
    number: int
    notation: str
    year: int
    agency: str
    source: str = Field(..., description="incoming, outgoing, copy hoặc paper_scan")
    incoming_id: int | None
    outgoing_id: int | None
    copy_id: int | None = Field(None, description="Bản sao được sao lại (sao lục)")
    source_description: str
    pages: str
    page_count: int | None
    purpose: str
    recipients: str
    made_at: dt.datetime
    signed_at: dt.datetime | None
    sha256: str | None = Field(None, description="SHA-256 của tệp bản sao đã ký số")
    events: list[CopyEventOut]


class CopyIn(Schema):
    form: CopyForm
    incoming_id: Id | None = None
    outgoing_id: Id | None = None
    copy_id: Id | None = Field(None, description="Sao lục, trích sao từ một bản sao")
    pages: Annotated[str, Text(200)] = Field("", description="Trích sao: ví dụ 1-3, 5")
    purpose: Annotated[str, Text(500)] = ""
    recipients: Annotated[str, Text(1000)] = ""


class PaperCopyIn(Schema):
    agency: Annotated[str, Text(100, min_length=1)] = Field(
        ..., description="Mã (key) hoặc mã định danh của cơ quan sao văn bản"
    )
    form: CopyForm
    description: Annotated[str, Text(500, min_length=1)] = Field(
        ..., description="Văn bản giấy được sao: tên loại, số, ký hiệu, ngày, cơ quan ban hành"
    )
    is_sao_y: bool = Field(False, description="Văn bản giấy là bản sao y (để sao lục)")
    confidentiality: Confidentiality = Confidentiality.NORMAL
    pages: Annotated[str, Text(200)] = ""
    purpose: Annotated[str, Text(500)] = ""
    recipients: Annotated[str, Text(1000)] = ""


def _out(copy: ElectronicCopy) -> dict[str, Any]:
    return {
        "id": copy.pk,
        "form": copy.form,
        "status": copy.status,
        "number": copy.code_number,
        "notation": copy.code_notation,
        "year": copy.year,
        "agency": copy.agency.name,
        "source": copy.source_kind,
        "incoming_id": copy.incoming_id,
        "outgoing_id": copy.outgoing_id,
        "copy_id": copy.source_copy_id,
        "source_description": copy.source_description,
        "pages": copy.pages,
        "page_count": copy.page_count,
        "purpose": copy.purpose,
        "recipients": copy.recipients,
        "made_at": copy.made_at,
        "signed_at": copy.signed_at,
        "sha256": copy.file.sha256 if copy.file else None,
        "events": list(copy.events.values("sequence", "action", "from_status", "to_status", "at")),
    }


def _made(user: User, payload: CopyIn | PaperCopyIn, **source: Any) -> Status[dict[str, Any]]:
    """Make the copy (201) or answer why not (422)."""
    with as_api_errors():
        copy = make_copy(
            actor=user,
            form=payload.form,
            pages=payload.pages,
            purpose=payload.purpose,
            recipients=payload.recipients,
            **source,
        )
    return Status(201, _out(copy))


def _source(
    user: User, incoming_id: int | None, outgoing_id: int | None, copy_id: int | None
) -> dict[str, Any]:
    """The one source named, loaded within what the caller may see (404 otherwise)."""
    named = [value for value in (incoming_id, outgoing_id, copy_id) if value]
    if len(named) != 1:
        raise ApiError(
            422,
            "invalid_input",
            _("Hãy chọn đúng một văn bản để sao."),
            [{"field": "", "message": _("Ghi một trong incoming_id, outgoing_id, copy_id.")}],
        )
    if incoming_id:
        return {"incoming": document_for(user, incoming_id, load=get_incoming_for_actor)}
    if outgoing_id:
        return {"outgoing": document_for(user, outgoing_id, load=get_outgoing_for_actor)}
    assert copy_id is not None
    return {"copy_of": copy_for(user, copy_id)}


@copies_router.post(
    "/document-copies",
    response={
        201: CopyOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        409: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Sao văn bản đến, văn bản đi hoặc một bản sao (sao y, sao lục, trích sao) và ký số "
    "của cơ quan",
    openapi_extra=error_docs(
        {
            403: ("forbidden", "insufficient_scope"),
            404: ("document_not_found", "copy_not_found"),
            409: ("state_conflict",),
            422: (
                "invalid_input",
                "copy_refused",
                "copy_not_signed",
                "signing_failed",
                "idempotency_key_reused",
                "invalid_idempotency_key",
            ),
        }
    ),
)
@idempotent(CopyOut)
def create_copy(request: HttpRequest, payload: CopyIn) -> Any:
    """Only the agency's văn thư: 403 ``forbidden`` for anyone else. 422 ``copy_refused`` (a
    secret document, a form the decree does not allow for this source, a bad page range…); 422
    ``copy_not_signed`` when the copy was numbered but the agency's signature failed (it is
    listed with status ``numbered``: sign it with ``/sign``)."""
    user = api_user(request)
    source = _source(user, payload.incoming_id, payload.outgoing_id, payload.copy_id)
    return _made(user, payload, **source)


@copies_router.post(
    "/document-copies/paper-scan",
    response={
        201: CopyOut,
        401: ErrorResponse,
        403: ErrorResponse,
        409: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Sao văn bản giấy sang bản sao điện tử từ bản số hóa (PDF)",
    openapi_extra=error_docs(
        {
            403: ("not_a_clerk", "forbidden", "insufficient_scope"),
            409: ("state_conflict",),
            422: ("invalid_input", "copy_refused", "copy_not_signed", "signing_failed"),
        }
    ),
)
def create_paper_copy(
    request: HttpRequest, payload: Form[PaperCopyIn], file: File[UploadedFile]
) -> Any:
    """Nghị định 30/2020/NĐ-CP, Điều 25.1.c: digitising the paper and the agency's signature.
    403 when the caller is not the văn thư of ``agency``."""
    user = api_user(request)
    agency = (
        Unit.objects.filter(pk__in=copy_agencies(user))
        .filter(Q(key=payload.agency) | Q(code=payload.agency))
        .first()
    )
    if agency is None:
        raise ApiError(403, "not_a_clerk", _("Tài khoản không phải văn thư của cơ quan này."))
    paper = PaperScan(
        agency=agency,
        data=file.read(),
        name=file.name or "ban-so-hoa.pdf",
        description=payload.description,
        is_sao_y=payload.is_sao_y,
        confidentiality=payload.confidentiality,
    )
    return _made(user, payload, paper=paper)


@copies_router.get(
    "/document-copies",
    response={200: list[CopyOut], **READ_ERRORS},
    summary="Các bản sao của một văn bản (hoặc các bản sao mới nhất được xem)",
)
def list_copies(
    request: HttpRequest,
    incoming_id: Id | None = None,
    outgoing_id: Id | None = None,
    copy_id: Id | None = None,
) -> list[dict[str, Any]]:
    """With one of ``incoming_id``, ``outgoing_id``, ``copy_id``: that document's copies
    (404 if the caller may not see it); with none: the newest copies the caller may see."""
    user = api_user(request)
    if incoming_id or outgoing_id or copy_id:
        source = _source(user, incoming_id, outgoing_id, copy_id)
        copies = copies_of(
            user,
            incoming=source.get("incoming"),
            outgoing=source.get("outgoing"),
            copy=source.get("copy_of"),
        )
    else:
        copies = recent_copies(user)
    return [_out(copy) for copy in copies]


@copies_router.get(
    "/document-copies/{copy_id}",
    response={200: CopyOut, **READ_ERRORS},
    summary="Một bản sao điện tử",
)
def get_copy(request: HttpRequest, copy_id: Id) -> dict[str, Any]:
    """One electronic copy within the caller's reach (the view is recorded in its access log)."""
    user, copy = caller_and_copy(request, copy_id)
    document_record_access(actor=user, document=copy, kind="view", ip_address=client_ip(request))
    return _out(copy)


@copies_router.get(
    "/document-copies/{copy_id}/file",
    response={200: None, **READ_ERRORS},
    summary="Tải về bản sao điện tử đã ký số (PDF)",
)
def download_copy(request: HttpRequest, copy_id: Id) -> Any:
    """The signed PDF of a copy; 404 ``file_not_found`` before it is signed. The download is
    recorded in the copy's access log."""
    user, copy = caller_and_copy(request, copy_id)
    if copy.file is None:
        raise ApiError(404, "file_not_found", _("Bản sao này chưa được ký số nên chưa có tệp."))
    document_record_access(
        actor=user, document=copy, kind="download", ip_address=client_ip(request)
    )
    return stored_file_response(copy.file)


@copies_router.post(
    "/document-copies/{copy_id}/sign",
    response={
        200: CopyOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        409: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Ký số lại bản sao đã cấp số mà chưa ký được",
    openapi_extra=error_docs(
        {
            403: ("forbidden", "insufficient_scope"),
            404: ("copy_not_found",),
            409: ("state_conflict",),
            422: (
                "copy_refused",
                "copy_not_signed",
                "signing_failed",
                "idempotency_key_reused",
                "invalid_idempotency_key",
            ),
        }
    ),
)
@idempotent(CopyOut)
def sign_copy_again(request: HttpRequest, copy_id: Id) -> Any:
    """403 ``forbidden`` when the caller is not the văn thư of the copy's agency; 409
    ``state_conflict`` when the copy is already signed; 422 ``copy_not_signed`` when the
    signature failed again."""
    user, copy = caller_and_copy(request, copy_id)
    with as_api_errors():
        copy = sign_copy(actor=user, copy=copy)
    return _out(copy)
