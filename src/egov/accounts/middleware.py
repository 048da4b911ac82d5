"""Mandatory two-factor authentication for staff (``EGOV_REQUIRE_STAFF_MFA``)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from egov.accounts.selectors import has_totp, is_staff_member

PROTECTED_PREFIXES = ("/staff/", "/admin/")


class StaffMFARequiredMiddleware:
    """Sends staff without a TOTP authenticator to the enrolment page before they can use
    the staff workspace or the admin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.EGOV_REQUIRE_STAFF_MFA
            and request.path.startswith(PROTECTED_PREFIXES)
            and request.user.is_authenticated
            and is_staff_member(request.user)
            and not has_totp(request.user)
        ):
            messages.warning(
                request,
                _("Cán bộ phải bật xác thực hai lớp (TOTP) trước khi sử dụng hệ thống."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
