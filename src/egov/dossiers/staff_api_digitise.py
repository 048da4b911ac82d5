"""Digitisation at reception through the staff API (TT 01/2023/TT-VPCP Điều 8): where each
component stands, "đã đối chiếu bản chính — ký số kết quả số hóa" and "không khớp bản chính".
Same services and access checks as the workspace (``dossiers.services.digitisation``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from egov.accounts.api_auth import ApiKeyAuth, api_user
from egov.catalog.models import DocumentKind
from egov.core.api_errors import ApiError, ErrorResponse, validation_details
from egov.core.api_types import Text
from egov.datastore.models import StoreSource, StoreState
from egov.dossiers.digitisation import DigitisationStatus, dossier_digitisation, pending_documents
from egov.dossiers.digitisation_signing import SIGNING_FAILED
from egov.dossiers.models import Dossier
from egov.dossiers.services.digitisation import (
    NOT_RECEIVING_DESK,
    PaperDetails,
    dossier_digitise_reject,
    dossier_digitise_verify,
)
from egov.dossiers.staff_api import _dossier_or_404

# Mounted by the api app under /staff, beside the other dossier routers (same tag, same keys).
digitise_router = Router(tags=["dossiers"], auth=ApiKeyAuth("dossiers"))
DocumentCode = Annotated[str, Text(80, min_length=1)]


class ComponentDigitisationOut(Schema):
    component_id: int
    name: str
    status: DigitisationStatus
    document: str | None


class DigitisedDocumentOut(Schema):
    code: str
    title: str
    source: StoreSource
    state: StoreState
    kind: str | None
    number: str
    issuer: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    signature_signer: str
    signature_verdict: str
    digitised_at: dt.datetime | None


class DossierDigitisationOut(Schema):
    status: DigitisationStatus
    # Why nothing is kept in a data store (no personal ID nor tax code); "" otherwise.
    no_owner: str
    components: list[ComponentDigitisationOut]
    documents: list[DigitisedDocumentOut]


class PaperIn(Schema):
    code: DocumentCode
    # A kind of paper by its code (GET /procedures lists components with theirs); none: unknown.
    kind: Annotated[str, Text(60)] = ""
    number: Annotated[str, Text(100)] = ""
    issuer: Annotated[str, Text(255)] = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None


class VerifyIn(Schema):
    # The papers checked against their originals; an empty list: every pending one, with the
    # details already stored.
    documents: list[PaperIn] = []


class RejectIn(Schema):
    code: DocumentCode
    reason: Annotated[str, Text(500, min_length=1)]


def _out(dossier: Dossier) -> dict[str, Any]:
    state = dossier_digitisation(dossier)
    return {
        "status": state.status,
        "no_owner": state.no_owner,
        "components": [
            {
                "component_id": c.row.component_id,
                "name": c.row.component.name,
                "status": c.status,
                "document": c.row.store_document.code if c.row.store_document else None,
            }
            for c in state.components
        ],
        "documents": [
            {
                "code": d.code,
                "title": d.title,
                "source": d.source,
                "state": d.state,
                "kind": d.kind.code if d.kind else None,
                "number": d.number,
                "issuer": d.issuer,
                "issued_on": d.issued_on,
                "expires_on": d.expires_on,
                "signature_signer": d.signature_signer,
                "signature_verdict": d.signature_verdict,
                "digitised_at": d.digitised_at,
            }
            for d in state.documents
        ],
    }


def _refused(exc: ValidationError) -> ApiError:
    codes = {e.code for e in exc.error_list}
    message = " ".join(exc.messages)
    if NOT_RECEIVING_DESK in codes:
        return ApiError(403, "forbidden", message)
    if "not_found" in codes:
        return ApiError(404, "store_document_not_found", message)
    if "state" in codes:
        return ApiError(409, "state_conflict", message)
    if SIGNING_FAILED in codes:
        return ApiError(422, "signing_failed", message)
    return ApiError(422, "digitisation_refused", message, validation_details(exc))


def _paper(item: PaperIn) -> PaperDetails:
    kind = DocumentKind.objects.filter(code=item.kind).first() if item.kind else None
    if item.kind and kind is None:
        raise ValidationError(_("Loại giấy tờ của %s không hợp lệ.") % item.code)
    return PaperDetails(
        code=item.code,
        kind=kind,
        number=item.number,
        issuer=item.issuer,
        issued_on=item.issued_on,
        expires_on=item.expires_on,
    )


@digitise_router.get(
    "/dossiers/{code}/digitisation",
    response={200: DossierDigitisationOut, 401: ErrorResponse, 404: ErrorResponse},
    summary="Tình trạng số hóa của hồ sơ và các kết quả số hóa",
)
def digitisation_status(request: HttpRequest, code: str) -> Any:
    """Per component and overall: not_started, in_progress, done, or not_required (submitted
    online, or taken from the data store: TT 03/2025/TT-VPCP Điều 5 khoản 2); the store
    documents the dossier's scans and uploads became."""
    return _out(_dossier_or_404(api_user(request), code))


@digitise_router.post(
    "/dossiers/{code}/digitisation/verify",
    response={
        200: DossierDigitisationOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        409: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Đã đối chiếu bản chính — ký số kết quả số hóa",
)
def digitisation_verify(request: HttpRequest, code: str, payload: VerifyIn) -> Any:
    """The desk confirms the papers' details read on the originals; each "kết quả số hóa" is
    signed (the officer's personal certificate, else the unit's), verified and kept valid in
    the applicant's data store. 403 ``forbidden``: not the receiving desk; 404
    ``store_document_not_found``; 409 ``state_conflict``: not pending any more; 422
    ``signing_failed``: the signature could not be made (the paper stays pending; those
    signed before it in the same request stay signed) or ``digitisation_refused``."""
    user = api_user(request)
    dossier = _dossier_or_404(user, code)
    try:
        papers = [_paper(item) for item in payload.documents] or [
            PaperDetails(
                code=d.code,
                kind=d.kind,
                number=d.number,
                issuer=d.issuer,
                issued_on=d.issued_on,
                expires_on=d.expires_on,
            )
            for d in pending_documents(dossier)
        ]
        dossier_digitise_verify(actor=user, dossier=dossier, papers=papers)
    except ValidationError as exc:
        raise _refused(exc) from None
    return _out(dossier)


@digitise_router.post(
    "/dossiers/{code}/digitisation/reject",
    response={
        200: DossierDigitisationOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        409: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Không khớp bản chính",
)
def digitisation_reject(request: HttpRequest, code: str, payload: RejectIn) -> Any:
    """The scan or upload does not match the original: rejected with the reason (scan the
    component again to digitise it). Errors as for verify."""
    user = api_user(request)
    dossier = _dossier_or_404(user, code)
    try:
        dossier_digitise_reject(
            actor=user, dossier=dossier, code=payload.code, reason=payload.reason
        )
    except ValidationError as exc:
        raise _refused(exc) from None
    return _out(dossier)
