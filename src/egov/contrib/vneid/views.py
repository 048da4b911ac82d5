"""The OAuth2 adapter and the login/callback views of the national SSO provider. Every
failure ends on a Vietnamese page with a retry link and an audit entry (see adapter.py)."""

from __future__ import annotations

import logging
from typing import Any

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp, SocialToken
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from egov.contrib.vneid.errors import SsoError, refused, unreachable
from egov.contrib.vneid.identity import identity_from_claims
from egov.contrib.vneid.tokens import verify_id_token

logger = logging.getLogger(__name__)
SESSION_KEY = "egov_sso"  # what sign-out needs: the id_token (id_token_hint), end_session_endpoint
REQUIRED_DISCOVERY = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


class VneidOAuth2Adapter(OpenIDConnectOAuth2Adapter):  # type: ignore[misc]
    state: dict[str, Any] | None = None

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request, "vneid")

    @property
    def openid_config(self) -> dict[str, Any]:
        if not hasattr(self, "_openid_config"):
            provider = self.get_provider()
            try:
                with get_adapter().get_requests_session() as session:
                    response = session.get(provider.server_url)
                    response.raise_for_status()
                    config = response.json()
            except (requests.RequestException, ValueError) as exc:
                raise unreachable() from exc
            if not isinstance(config, dict) or not all(
                isinstance(config.get(key), str) for key in REQUIRED_DISCOVERY
            ):
                raise refused("discovery_invalid")
            config.update(provider.app.settings.get("openid_configuration_overrides", {}))
            self._openid_config = config
        return dict(self._openid_config)

    @property
    def profile_url(self) -> str:
        url = self.openid_config.get("userinfo_endpoint")
        if not isinstance(url, str):
            raise refused("discovery_invalid")
        return url

    def complete_login(
        self, request: HttpRequest, app: SocialApp, token: SocialToken, **kwargs: Any
    ) -> Any:
        raw = kwargs["response"].get("id_token")
        if not isinstance(raw, str) or not raw:
            raise refused("id_token_missing")
        config = self.openid_config
        with get_adapter().get_requests_session() as session:
            id_claims = verify_id_token(
                raw,
                session=session,
                jwks_uri=config["jwks_uri"],
                issuer=config["issuer"],
                client_id=app.client_id,
                nonce=str((self.state or {}).get("nonce") or ""),
            )
        try:
            userinfo = self._fetch_user_info(token.token)
        except requests.HTTPError as exc:
            raise refused("userinfo_refused") from exc
        except (requests.RequestException, ValueError) as exc:
            raise unreachable() from exc
        if not isinstance(userinfo, dict) or userinfo.get("sub") != id_claims["sub"]:
            raise refused("sub_mismatch")
        identity_from_claims({**id_claims, **userinfo})  # refuses missing/invalid claims
        end_session = config.get("end_session_endpoint")
        request.session[SESSION_KEY] = {
            "id_token": raw,
            "end_session": end_session if isinstance(end_session, str) else "",
        }
        data = {"userinfo": userinfo, "id_token": id_claims}
        return self.get_provider().sociallogin_from_response(request, data)

    def get_callback_url(self, request: HttpRequest, app: SocialApp) -> str:
        return str(request.build_absolute_uri(reverse("vneid_callback")))


class VneidCallbackView(OAuth2CallbackView):  # type: ignore[misc]
    def _get_state(self, request: HttpRequest, provider: Any) -> Any:
        state, response = super()._get_state(request, provider)
        self.adapter.state = state  # the nonce sent with the authorization request
        return state, response


def error_page(request: HttpRequest, *, reason: str, message: str = "") -> HttpResponse:
    from django.shortcuts import render

    from egov.contrib.vneid.identity import audit_failure

    audit_failure(request=request, reason=reason)
    logger.warning("national SSO sign-in refused: %s", reason)  # a code, no personal data
    if not request.user.is_authenticated:
        request.session.pop(SESSION_KEY, None)  # no provider session to end for this browser
    status = 503 if reason == "provider_unreachable" else 400
    return render(
        request,
        "socialaccount/vneid_error.html",
        {
            "message": message or _("Không đăng nhập được bằng tài khoản định danh điện tử."),
            "retry_url": reverse("vneid_login"),
        },
        status=status,
    )


def _guarded(view: Any, request: HttpRequest) -> HttpResponse:
    try:
        response: HttpResponse = view(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc
    except SsoError as exc:
        return error_page(request, reason=exc.reason, message=exc.message)
    except requests.RequestException:
        return error_page(request, reason="provider_unreachable", message=unreachable().message)
    return response


def login(request: HttpRequest) -> HttpResponse:
    return _guarded(OAuth2LoginView.adapter_view(VneidOAuth2Adapter(request)), request)


def callback(request: HttpRequest) -> HttpResponse:
    return _guarded(VneidCallbackView.adapter_view(VneidOAuth2Adapter(request)), request)
