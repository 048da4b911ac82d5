from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from egov.accounts.models import CitizenProfile
from egov.accounts.selectors import is_staff_member


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
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
