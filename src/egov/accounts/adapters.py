from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from egov.accounts import known_devices
from egov.accounts.models import CitizenProfile
from egov.accounts.selectors import is_staff_member
from egov.core.clientip import client_ip
from egov.core.identity import clean_phone
from egov.core.ratelimit import over_limit, record


def login_subject(credentials: dict[str, Any]) -> str:
    """The account a sign-in attempt is about, however it was typed: e-mail addresses and
    user names without case, mobile numbers in E.164 (0912 345 678 = +84912345678)."""
    raw = str(credentials.get("email") or credentials.get("username") or "").strip()
    if raw and "@" not in raw:
        try:
            return clean_phone(raw)
        except ValidationError:
            pass
    return raw.lower()


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Sign-in rules shared by every way into a session (the portal, the staff workspace and
    the admin all sign in here)."""

    def get_client_ip(self, request: HttpRequest) -> str:
        # The one client-IP function (trusted-proxy aware), so allauth's limits count the
        # citizen behind the proxy rather than the proxy itself.
        return client_ip(request) or "0.0.0.0"  # noqa: S104 (a key, never a bind address)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth's per-"key" limit counts failures per account *and* client address: a third
        # party failing on purpose from its own address cannot lock the owner out. The
        # per-account limit across all addresses is the slower back-off below.
        return f"{login_subject(credentials)}|{client_ip(request) or 'unknown'}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        subject = login_subject(credentials)
        if (
            subject
            and over_limit(
                "login_failed_account",
                subject,
                limit=settings.EGOV_LOGIN_ACCOUNT_FAILURES_PER_HOUR,
                window_seconds=3600,
            )
            # A browser the account signed in from before is held back only by the
            # per-address limits: an attack elsewhere cannot lock the owner out.
            and not known_devices.is_known(request, subject)
        ):
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().post_login(request, user, **kwargs)
        known_devices.remember(request, response, user)
        return response

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        subject = login_subject(credentials)
        if subject:
            record("login_failed_account", subject, window_seconds=3600)
        super().authentication_failed(request, **credentials)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Citizens and business representatives register themselves; staff accounts are
        # created by administrators (and given roles per unit).
        return bool(settings.EGOV_CITIZEN_SIGNUP)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if is_staff_member(request.user):
            return reverse("workspace:home")
        return reverse("portal:my_dossiers")

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        profile = CitizenProfile.objects.filter(user=request.user.pk or 0).first()
        if profile is not None and profile.phone and profile.phone_verified_at is None:
            return reverse("portal:verify_phone")
        return reverse("portal:my_dossiers")
