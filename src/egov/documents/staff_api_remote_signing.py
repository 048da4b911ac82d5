"""Ký số từ xa through the staff API: ``POST /remote-signing-requests`` sends one request to the
signer's phone for one or several outgoing documents (202; a document already waiting in a
request gets that request back, 200) and ``GET /remote-signing-requests/{id}`` follows it until
it is ``signed``, ``declined``, ``expired`` or ``failed``. The phone is waited for by a
background task, never by the API call. Same service and checks as the workspace pages;
errors in the common error shape (``egov.core.api_errors``).

Kept apart from ``staff_api_outgoing`` on purpose (its own router and schemas)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from egov.accounts.api_auth import ApiKeyAuth, api_user
from egov.core.api_errors import ApiError, ErrorResponse
from egov.core.api_types import Text
from egov.documents.api_common import TRANSITION_ERRORS, error_docs, refusal
from egov.documents.errors import DocumentError
from egov.documents.models import Delegation, OutgoingDocument, RemoteSigningRequest
from egov.documents.permissions import get_outgoing_for_actor, get_remote_signing_for_actor
from egov.documents.selectors_remote_signing import remote_signing_status
from egov.documents.services.outgoing_remote_signing import (
    MAX_DOCUMENTS,
    outgoing_remote_sign_start,
    remote_signing_refresh,
)
from egov.signing.services import SigningError

remote_signing_router = Router(tags=["documents"], auth=ApiKeyAuth("documents"))

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Revision = Annotated[int, Field(ge=0, le=2**31 - 1)]


class RemoteSigningDocumentIn(Schema):
    id: Id
    revision: Revision


class RemoteSigningIn(Schema):
    documents: list[RemoteSigningDocumentIn] = Field(..., min_length=1, max_length=MAX_DOCUMENTS)
    delegation: Delegation | None = Field(
        None, description="Thẩm quyền ký; bỏ trống: như dự thảo của từng văn bản"
    )
    signer_position: Annotated[str, Text(100)] = ""


class RemoteSigningDocumentOut(Schema):
    id: int
    subject: str
    signed: bool
    message: str
    status: str
    revision: int


class RemoteSigningEventOut(Schema):
    sequence: int
    from_state: str
    to_state: str
    at: dt.datetime


class RemoteSigningOut(Schema):
    id: int
    state: str = Field(..., description="waiting, signed, declined, expired hoặc failed")
    message: str
    created_at: dt.datetime
    deadline: dt.datetime
    finished_at: dt.datetime | None
    documents: list[RemoteSigningDocumentOut]
    events: list[RemoteSigningEventOut]


def _out(request: RemoteSigningRequest) -> dict[str, Any]:
    status = remote_signing_status(request)
    return {
        "id": request.pk,
        "state": request.state,
        "message": status.message,
        "created_at": request.created_at,
        "deadline": request.deadline,
        "finished_at": request.finished_at,
        "documents": [
            {
                "id": row.document.pk,
                "subject": row.document.subject,
                "signed": row.signed,
                "message": row.message,
                "status": row.document.status,
                "revision": row.document.revision,
            }
            for row in status.documents
        ],
        "events": list(request.events.values("sequence", "from_state", "to_state", "at")),
    }


@remote_signing_router.post(
    "/remote-signing-requests",
    response={
        200: RemoteSigningOut,
        202: RemoteSigningOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        409: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Gửi yêu cầu ký số từ xa (xác nhận trên điện thoại) cho một hoặc nhiều văn bản đi",
    openapi_extra=error_docs(TRANSITION_ERRORS, s422=("signing_failed",)),
)
def start_remote_signing(request: HttpRequest, payload: RemoteSigningIn) -> Any:
    """All the documents are confirmed together on the caller's phone (one request when the
    credential allows several signatures per confirmation). 202 with the new request; 200
    with the request already waiting for one of these documents (nothing new is sent). 404
    ``document_not_found`` when a document is not in the caller's scope; 403 ``forbidden``
    when a document is not the caller's to sign or the caller's account does not sign remotely;
    409 ``revision_conflict`` on a stale ``revision``, ``state_conflict`` when a document is
    not waiting for its signature; 422 ``invalid_input`` (a secret document, no document) or
    ``signing_failed`` (remote signing not configured) — nothing is sent then."""
    user = api_user(request)
    documents: list[tuple[OutgoingDocument, int | None]] = []
    for item in payload.documents:
        document = get_outgoing_for_actor(user, item.id)
        if document is None:
            raise ApiError(
                404, "document_not_found", _("Không tìm thấy văn bản trong phạm vi bạn được xem.")
            )
        documents.append((document, item.revision))
    try:
        started = outgoing_remote_sign_start(
            actor=user,
            documents=documents,
            delegation=None if payload.delegation is None else str(payload.delegation),
            signer_position=payload.signer_position,
        )
    except (DocumentError, SigningError) as exc:
        raise refusal(exc) from None
    return Status(202 if started.created else 200, _out(started.request))


@remote_signing_router.get(
    "/remote-signing-requests/{request_id}",
    response={200: RemoteSigningOut, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
    summary="Trạng thái một yêu cầu ký số từ xa",
)
def get_remote_signing(request: HttpRequest, request_id: Id) -> dict[str, Any]:
    """Poll until ``state`` is no longer ``waiting`` (every 2-5 seconds is enough); only the
    signer who sent the request sees it."""
    found = get_remote_signing_for_actor(api_user(request), request_id)
    if found is None:
        raise ApiError(404, "remote_signing_not_found", _("Không tìm thấy yêu cầu ký số từ xa."))
    return _out(remote_signing_refresh(found))
