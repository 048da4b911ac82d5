"""Authentication of the staff API: ``Authorization: Bearer <key>`` of an API client
(``manage.py api_client``). The request then acts as the client's service account, so the
same role checks apply as to a person; on top of them the key must hold the operation's scope
(``egov.accounts.scopes``) and stay within its own rate limit, counted in the shared database
so that every worker and host sees the same count (``egov.core.ratelimit``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from egov.accounts.models import ApiClient, User
from egov.accounts.scopes import Scope, required_scope
from egov.accounts.services import api_client_authenticate
from egov.core.api_errors import ApiError
from egov.core.ratelimit import take_key

RATE_WINDOW_SECONDS = 60


class ApiKeyAuth(HttpBearer):
    """``family`` names the operations' scope family (``dossiers``, ``documents``, …)."""

    def __init__(self, family: str) -> None:
        super().__init__()
        self.family = family

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        client = api_client_authenticate(token)
        if client is None:
            return None
        request.egov_api_client = client  # type: ignore[attr-defined]  # for ApiCallMiddleware
        _enforce_rate_limit(request, client)
        match = request.resolver_match
        scope = required_scope(self.family, request.method or "GET", match.route if match else "")
        if scope and scope not in client.scopes:
            raise ApiError(
                403,
                "insufficient_scope",
                _("Khóa API này không có phạm vi quyền “%(scope)s” (%(label)s) cần cho thao tác.")
                % {"scope": scope, "label": _scope_label(scope)},
            )
        return client.user


def api_user(request: HttpRequest) -> User:
    """The service account a request authenticated by ``ApiKeyAuth`` acts as (ninja keeps it
    in ``request.auth``). Endpoints behind ``ApiKeyAuth`` never run without one; if one did,
    it is answered 401 rather than run anonymous."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    return user


def _scope_label(scope: str) -> str:
    return str(Scope(scope).label) if scope in Scope.values else scope


def rate_limit_of(client: ApiClient) -> int:
    """Requests per minute the client may send: its own limit, else the setting's."""
    return client.rate_limit_per_minute or settings.EGOV_API_CLIENT_RATE_PER_MINUTE


def _enforce_rate_limit(request: HttpRequest, client: ApiClient) -> None:
    limit = rate_limit_of(client)
    window = take_key("api-client", str(client.pk), limit=limit, window_seconds=RATE_WINDOW_SECONDS)
    request.egov_rate_window = window  # type: ignore[attr-defined]  # headers on the answer
    if not window.allowed:
        raise ApiError(
            429,
            "rate_limited",
            _("Khóa API này đã dùng hết %(limit)s yêu cầu mỗi phút; thử lại sau %(seconds)s giây.")
            % {"limit": limit, "seconds": window.reset_seconds},
            headers=window.headers(),
        )
