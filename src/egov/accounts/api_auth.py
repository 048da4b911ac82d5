"""Authentication of the staff API: ``Authorization: Bearer <key>`` of an API client
(``manage.py api_client``). The request then acts as the client's service account, so the
same role checks apply as to a person."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from egov.accounts.models import User
from egov.accounts.services import api_client_authenticate


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        client = api_client_authenticate(token)
        if client is None:
            return None
        return client.user


def api_user(request: HttpRequest) -> User:
    """The service account a request authenticated by ``ApiKeyAuth`` acts as (ninja keeps it
    in ``request.auth``). Endpoints behind ``ApiKeyAuth`` never run without one; if one did,
    it is answered 401 rather than run anonymous."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    return user
