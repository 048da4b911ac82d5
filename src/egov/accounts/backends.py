"""Signing in with a mobile number and password: the number as the citizen types it
(0912 345 678, +84…) is matched to the profile's verified number in E.164 (a number nobody
verified cannot be used to sign in, so typing someone else's number at sign-up gains
nothing)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from egov.accounts.models import CitizenProfile
from egov.core.identity import clean_phone


class PhoneBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or not password or "@" in username:
            return None
        try:
            phone = clean_phone(username)
        except ValidationError:
            return None
        profiles = CitizenProfile.objects.filter(
            phone=phone, phone_verified_at__isnull=False
        ).select_related("user")[:2]
        if len(profiles) != 1:  # unknown, or shared by two accounts: not a login key
            return None
        user = profiles[0].user
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
