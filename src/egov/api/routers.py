"""Endpoints of the API itself (not of a domain app): the service's health and the published
list of error codes."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from egov.core.api_error_codes import ERROR_CODES

system_router = Router(tags=["system"])


class HealthOut(Schema):
    status: str


class ErrorCodeOut(Schema):
    code: str
    status: int
    # True when the same request, unchanged, may succeed later (429 after Retry-After, 500).
    retryable: bool
    description: str


@system_router.get("/health", response=HealthOut, summary="Tình trạng dịch vụ", auth=None)
def health(request: HttpRequest) -> dict[str, str]:
    """``{"status": "ok"}`` while the service answers; for load balancers and monitors."""
    return {"status": "ok"}


@system_router.get(
    "/errors", response=list[ErrorCodeOut], summary="Danh sách mã lỗi của API", auth=None
)
def list_error_codes(request: HttpRequest) -> list[dict[str, object]]:
    """Every ``error.code`` the API answers with, its HTTP status, whether the same request may
    be sent again (``retryable``) and what it means, in the language of Accept-Language."""
    return [
        {
            "code": code,
            "status": entry.status,
            "retryable": entry.retryable,
            "description": str(entry.description),
        }
        for code, entry in sorted(ERROR_CODES.items(), key=lambda item: (item[1].status, item[0]))
    ]
