"""One door into staff sessions.

Every session that reaches the staff workspace or the admin must have been opened by
django-allauth's sign-in, with its two-factor stage for anyone who enrolled TOTP. The admin's
own login form is not a door (``egov.urls`` sends it to the allauth sign-in), and this
middleware refuses any session that skipped the second factor however it was made, so a
future login path cannot quietly become a second door. Staff without TOTP are sent to
enrol it first when ``EGOV_REQUIRE_STAFF_MFA`` is on."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import ApiCall
from egov.accounts.selectors import has_totp, is_staff_member

PROTECTED_PREFIXES = ("/staff/", "/admin/")


def passed_second_factor(request: HttpRequest) -> bool:
    """Whether this session's sign-in included allauth's MFA stage."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def login_url_for(request: HttpRequest) -> str:
    return f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"


class StaffMFARequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not (request.path.startswith(PROTECTED_PREFIXES) and user.is_authenticated):
            return self.get_response(request)
        if passed_second_factor(request):
            return self.get_response(request)
        if has_totp(user):
            # Enrolled, but this session never passed the second factor: not one of ours.
            logout(request)
            messages.warning(request, _("Hãy đăng nhập lại và nhập mã xác thực hai lớp."))
            return redirect(login_url_for(request))
        if settings.EGOV_REQUIRE_STAFF_MFA and is_staff_member(user):
            messages.warning(
                request,
                _("Cán bộ phải bật xác thực hai lớp (TOTP) trước khi sử dụng hệ thống."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class ApiCallMiddleware:
    """Every call made with an API key is recorded with its client (``ApiCall``), and its
    answer carries the client's RateLimit headers (refusals carry Retry-After as well)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        client = getattr(request, "egov_api_client", None)
        if client is None:
            return response
        window = getattr(request, "egov_rate_window", None)
        if window is not None:
            for name, value in window.headers().items():
                response.headers.setdefault(name, value)
        match = request.resolver_match
        ApiCall.objects.create(
            client=client,
            at=timezone.now(),
            method=(request.method or "")[:7],
            route=(match.route if match else request.path)[:200],
            status=response.status_code,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        return response
