"""The applicant's data store through the staff API (``Authorization: Bearer <key>``): the
store documents of a dossier's applicant, for a key whose account is handling that dossier —
the same rule as the workspace (``dossiers.store_access``), and every call audited. Citizens
reach their own store on the portal ("Kho dữ liệu của tôi"); the API takes no citizen
sessions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from egov.accounts.api_auth import ApiKeyAuth, api_user
from egov.core.api_errors import ApiError, ErrorResponse
from egov.core.api_types import Text
from egov.core.clientip import client_ip
from egov.core.cursors import decode_cursor, encode_cursor
from egov.datastore.models import OwnerKind, StoreDocument, StoreSource, StoreState
from egov.dossiers.permissions import get_dossier_for_actor
from egov.dossiers.store_access import applicant_owner, store_documents_for_dossier

store_router = Router(tags=["datastore"], auth=ApiKeyAuth("dossiers"))

STORE_CURSOR = "kho"
MAX_LIMIT = 100


class StoreDocumentsFilter(Schema):
    dossier: Annotated[str, Text(40, min_length=1)] = Field(
        ..., description="Mã hồ sơ người gọi đang giải quyết (bắt buộc)"
    )
    owner_kind: OwnerKind | None = Field(
        None, description="Nếu gửi: phải là loại người nộp của hồ sơ (person / organisation)"
    )
    owner_identifier: Annotated[str, Text(14)] = Field(
        "", description="Nếu gửi: phải là số định danh / mã số thuế của người nộp hồ sơ"
    )
    cursor: Annotated[str, Text(120)] = ""
    limit: int = 50


class StoreDocumentOut(Schema):
    code: str
    kind: str | None = Field(None, description="Mã loại giấy tờ (danh mục loại giấy tờ)")
    title: str
    number: str
    issuer: str
    issued_on: dt.date | None
    valid_until: dt.date | None
    state: StoreState
    source: StoreSource
    source_dossier_code: str
    digitised_at: dt.datetime | None
    signature_verdict: str
    signature_signer: str
    sha256: str | None = Field(None, description="SHA-256 của bản đã ký số")


class StoreDocumentPage(Schema):
    items: list[StoreDocumentOut]
    next_cursor: str | None


def _out(document: StoreDocument) -> dict[str, Any]:
    return {
        "code": document.code,
        "kind": document.kind.code if document.kind else None,
        "title": document.title,
        "number": document.number,
        "issuer": document.issuer,
        "issued_on": document.issued_on,
        "valid_until": document.valid_until,
        "state": document.state,
        "source": document.source,
        "source_dossier_code": document.source_dossier_code,
        "digitised_at": document.digitised_at,
        "signature_verdict": document.signature_verdict,
        "signature_signer": document.signature_signer,
        "sha256": document.signed_file.sha256 if document.signed_file else None,
    }


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(
        422,
        "invalid_input",
        _("Dữ liệu gửi lên không hợp lệ."),
        [{"field": field, "message": message, "code": "value_error"}],
    )


@store_router.get(
    "/documents",
    response={
        200: StoreDocumentPage,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Giấy tờ trong kho dữ liệu của người nộp hồ sơ đang giải quyết",
    openapi_extra={
        "responses": {
            403: {
                "description": (
                    "forbidden: hồ sơ không còn đang giải quyết (đã có kết quả, đã trả, từ "
                    "chối, rút, dừng) hoặc tài khoản của khóa không giải quyết hồ sơ này."
                )
            }
        }
    },
)
def list_store_documents(request: HttpRequest, filters: Query[StoreDocumentsFilter]) -> Any:
    """The store documents (in force or withdrawn, newest first) of the applicant of
    ``dossier`` — only while the key's account handles that dossier (the receiving desk, the
    assigned specialist, a specialist or leader of the handling unit) and it is being handled
    (NĐ 45/2020/NĐ-CP Điều 16). Every call is recorded in the audit trail. 404
    ``dossier_not_found`` for a dossier outside the caller's reach."""
    user = api_user(request)
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise _invalid("limit", _("limit phải từ 1 đến %d.") % MAX_LIMIT)
    before = None
    if filters.cursor:
        decoded = decode_cursor(STORE_CURSOR, filters.cursor)
        if decoded is None:
            raise ApiError(
                422,
                "invalid_cursor",
                _("Con trỏ trang không hợp lệ; dùng đúng giá trị next_cursor đã nhận."),
            )
        before = decoded[0]
    dossier = get_dossier_for_actor(user, filters.dossier)
    if dossier is None:
        raise ApiError(
            404, "dossier_not_found", _("Không tìm thấy hồ sơ trong phạm vi bạn được xem.")
        )
    owner = applicant_owner(dossier)
    if owner is not None and filters.owner_kind and filters.owner_kind != owner[0]:
        raise _invalid("owner_kind", _("Không phải loại người nộp của hồ sơ này."))
    if owner is not None and filters.owner_identifier and filters.owner_identifier != owner[1]:
        raise _invalid(
            "owner_identifier", _("Không phải số định danh / mã số thuế của người nộp hồ sơ.")
        )
    documents = store_documents_for_dossier(
        user,
        dossier,
        ip_address=client_ip(request),
        channel="api",
        before_id=before,
        limit=filters.limit,
    )
    if documents is None:
        raise ApiError(
            403,
            "forbidden",
            _(
                "Chỉ xem được kho dữ liệu của người nộp khi đang giải quyết hồ sơ này "
                "(hồ sơ chưa có kết quả, chưa kết thúc)."
            ),
        )
    more = len(documents) > filters.limit
    documents = documents[: filters.limit]
    return {
        "items": [_out(d) for d in documents],
        "next_cursor": encode_cursor(STORE_CURSOR, documents[-1].pk) if more else None,
    }
