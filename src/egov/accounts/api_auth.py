"""Authentication of the staff API: ``Authorization: Bearer <key>`` of an API client
(``manage.py api_client``). The request then acts as the client's service account, so the
same role checks apply as to a person."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from egov.accounts.services import api_client_authenticate


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        client = api_client_authenticate(token)
        if client is None:
            return None
        return client.user
