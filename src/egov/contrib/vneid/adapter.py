"""allauth's social-account adapter for the national SSO (moved here from
egov.accounts.adapters): failures end on our Vietnamese page and are audited; the profile
takes the identity from the claims at every sign-in; an identity that matches an existing
account goes through the linking page (proof of control) instead of a second account, unless
the match rests only on unproven data and the citizen chose a new account there; staff
accounts never match."""

from __future__ import annotations

import functools
from typing import Any

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from egov.audit.services import client_ip
from egov.contrib.vneid.errors import SsoError
from egov.contrib.vneid.identity import (
    NEW_ACCOUNT_KINDS_STATE,
    NEW_ACCOUNT_STATE,
    SsoIdentity,
    email_taken,
    identity_from_claims,
    linkable,
    matching_accounts,
    sso_identity_apply,
)
from egov.contrib.vneid.services import sso_new_account_record, sso_staff_match_ignore


def claims_of(sociallogin: Any) -> dict[str, Any]:
    data = sociallogin.account.extra_data or {}
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


def _reason(error: Any, exception: Any) -> tuple[str, str]:
    if isinstance(exception, SsoError):
        return exception.reason, exception.message
    if isinstance(exception, OAuth2Error):
        return "token_refused", ""
    if isinstance(exception, requests.RequestException):
        return "provider_unreachable", _(
            "Không kết nối được với hệ thống định danh điện tử; hãy thử lại sau ít phút."
        )
    if error == AuthError.CANCELLED:
        return "cancelled", _("Bạn đã huỷ đăng nhập bằng tài khoản định danh điện tử.")
    if exception is not None:
        return type(exception).__name__[:60], ""
    return "callback_invalid", _("Phiên đăng nhập đã hết hạn hoặc không hợp lệ; hãy thử lại.")


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def get_requests_session(self) -> requests.Session:
        session = requests.Session()
        session.request = functools.partial(  # type: ignore[method-assign]
            session.request, timeout=settings.EGOV_SSO_TIMEOUT_SECONDS
        )
        return session

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        from egov.contrib.vneid.views import error_page

        reason, message = _reason(error, exception)
        raise ImmediateHttpResponse(error_page(request, reason=reason, message=message))

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        identity = identity_from_claims(claims_of(sociallogin))
        if sociallogin.is_existing:
            sso_identity_apply(user=sociallogin.user, identity=identity)
            return
        matches = matching_accounts(identity)
        chose_new = bool(sociallogin.state.get(NEW_ACCOUNT_STATE))
        staff = [match.user for match in matches if not linkable(match.user)]
        if staff and not chose_new:  # audited at the first pass through here
            sso_staff_match_ignore(actor=None, users=staff, ip_address=client_ip(request))
        citizens = [match for match in matches if linkable(match.user)]
        if citizens and (not chose_new or any(match.proven for match in citizens)):
            from egov.contrib.vneid.linking import link_start

            link_start(request, sociallogin=sociallogin, matches=citizens)
            raise ImmediateHttpResponse(redirect("vneid_link"))
        if citizens:
            sociallogin.state[NEW_ACCOUNT_KINDS_STATE] = sorted(
                {kind for match in citizens for kind in match.kinds}
            )
        _drop_taken_email(sociallogin)

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        identity: SsoIdentity = identity_from_claims(claims_of(sociallogin))
        sso_identity_apply(user=user, identity=identity)
        kinds = sociallogin.state.get(NEW_ACCOUNT_KINDS_STATE)
        if kinds:
            sso_new_account_record(actor=user, kinds=kinds, ip_address=client_ip(request))
        return user


def _drop_taken_email(sociallogin: Any) -> None:
    """A new account never takes an e-mail another account holds (ACCOUNT_UNIQUE_EMAIL; the
    other account may be a staff one, or one that merely typed it): it is created without it,
    instead of stopping at allauth's sign-up form."""
    sociallogin.email_addresses = [
        address for address in sociallogin.email_addresses if not email_taken(address.email)
    ]
    if sociallogin.user is not None and email_taken(sociallogin.user.email or ""):
        sociallogin.user.email = ""
