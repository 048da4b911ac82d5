"""The national SSO as an allauth provider ("vneid"): allauth's OpenID Connect provider with
what it lacks for a government relying party. The scopes and the assurance level come from
configuration only (the login URL's ``scope`` and ``auth_params`` are ignored), and a nonce is
sent with every authorization request and kept in the state to be checked."""

from __future__ import annotations

import secrets
from typing import Any

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
)
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode

from egov.contrib.vneid.views import VneidOAuth2Adapter


class VneidAccount(OpenIDConnectProviderAccount):  # type: ignore[misc]
    pass


class VneidProvider(OpenIDConnectProvider):  # type: ignore[misc]
    id = "vneid"
    name = "VNeID"
    package = "egov.contrib.vneid"
    account_class = VneidAccount
    oauth2_adapter_class = VneidOAuth2Adapter
    pkce_enabled_default = True
    supports_token_authentication = False

    @property
    def server_url(self) -> str:
        url = str(self.app.settings.get("server_url", "")).strip().rstrip("/")
        return str(self.wk_server_url(url))

    def get_login_url(self, request: HttpRequest, **kwargs: Any) -> str:
        url = reverse("vneid_login")
        allowed = {k: v for k, v in kwargs.items() if k in ("process", "next")}
        return f"{url}?{urlencode(allowed)}" if allowed else url

    def get_callback_url(self) -> str:
        return reverse("vneid_callback")

    def get_default_scope(self) -> list[str]:
        scopes = [part for item in settings.EGOV_SSO_SCOPES for part in item.split()]
        return ["openid"] + [s for s in dict.fromkeys(scopes) if s != "openid"]

    def get_scope(self) -> list[str]:
        return self.get_default_scope()

    def get_scope_from_request(self, request: HttpRequest) -> list[str]:
        return self.get_scope()

    def get_auth_params(self) -> dict[str, str]:
        return {"acr_values": settings.EGOV_SSO_MIN_ACR}

    def get_auth_params_from_request(self, request: HttpRequest, action: Any) -> dict[str, str]:
        return self.get_auth_params()  # the login URL cannot lower the assurance level

    def get_oauth2_adapter(self, request: HttpRequest) -> VneidOAuth2Adapter:
        return VneidOAuth2Adapter(request)

    def redirect(
        self,
        request: HttpRequest,
        process: Any,
        next_url: str | None = None,
        data: Any = None,
        **kwargs: Any,
    ) -> HttpResponse:
        process = "login"  # connecting to the signed-in account goes through the linking page
        nonce = secrets.token_urlsafe(32)
        kwargs["auth_params"] = {**self.get_auth_params(), "nonce": nonce}
        kwargs["scope"] = self.get_scope()
        response: HttpResponse = super().redirect(
            request, process, next_url=next_url, data=data, nonce=nonce, **kwargs
        )
        return response

    def verify_token(self, request: HttpRequest, token: Any) -> Any:
        raise get_adapter().validation_error("invalid_token")


provider_classes = [VneidProvider]
