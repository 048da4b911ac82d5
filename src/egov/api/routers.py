"""Endpoints of the API itself (not of a domain app): the service's health, the published
list of error codes and what the calling key is ("who am I")."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from egov.accounts.api_auth import ApiKeyAuth, api_user, rate_limit_of
from egov.accounts.models import ApiClient, Role, RoleAssignment
from egov.accounts.scopes import Scope
from egov.core.api_error_codes import ERROR_CODES
from egov.core.api_errors import ErrorResponse

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


class ClientRoleOut(Schema):
    role: Role
    role_label: str
    # The unit's electronic code (mã định danh), or its data key where it has none: the same
    # identifier the other operations take and return.
    unit: str
    unit_name: str


class ClientScopeOut(Schema):
    scope: Scope
    label: str


class CallingClientOut(Schema):
    name: str
    key_prefix: str
    roles: list[ClientRoleOut]
    scopes: list[ClientScopeOut]
    rate_limit_per_minute: int
    expires_at: dt.datetime | None
    rotated_at: dt.datetime | None


@system_router.get(
    "/client",
    response={200: CallingClientOut, 401: ErrorResponse},
    summary="Khóa API đang gọi: ứng dụng, vai trò, phạm vi quyền, giới hạn",
    auth=ApiKeyAuth("client"),
)
def get_calling_client(request: HttpRequest) -> dict[str, object]:
    """What the key sent with the request may do: its application's name, the roles it acts
    with (and in which unit), its scopes, its requests per minute and when it expires — so an
    integrator can check a new or rotated key before using it. Any valid key may call it; no
    scope is needed."""
    user = api_user(request)
    client = ApiClient.objects.get(user=user)
    assignments = (
        RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(user=user)
        .select_related("unit")
        .order_by("role", "unit__key")
    )
    return {
        "name": client.name,
        "key_prefix": client.key_prefix,
        "roles": [
            {
                "role": a.role,
                "role_label": str(Role(a.role).label),
                "unit": a.unit.code or a.unit.key,
                "unit_name": a.unit.name,
            }
            for a in assignments
        ],
        "scopes": [
            {"scope": scope, "label": str(Scope(scope).label)}
            for scope in sorted(client.scopes)
            if scope in Scope.values
        ],
        "rate_limit_per_minute": rate_limit_of(client),
        "expires_at": client.expires_at,
        "rotated_at": client.rotated_at,
    }
