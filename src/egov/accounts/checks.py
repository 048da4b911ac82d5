"""The sign-up rule allauth's own check (account.W001) cannot see, checked instead of it.

Citizens sign up with an e-mail address *or* a mobile number (CitizenSignupForm requires one
of the two) and sign in with either, staff with the user name an administrator gave them.
allauth only knows "this field is required at sign-up", so it warns that no login method is
required; our check verifies the real rule: the sign-up form demands one of the two and the
phone backend that turns a verified number into a login is installed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.utils.module_loading import import_string

PHONE_BACKEND = "egov.accounts.backends.PhoneBackend"


@register("egov")
def signup_identifies_the_account(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from egov.accounts.forms import CitizenSignupForm

    problems: list[CheckMessage] = []
    form_path = getattr(settings, "ACCOUNT_SIGNUP_FORM_CLASS", "")
    form_class = import_string(form_path) if form_path else None
    if form_class is None or not issubclass(form_class, CitizenSignupForm):
        problems.append(
            Error(
                "ACCOUNT_SIGNUP_FORM_CLASS must be (a subclass of) CitizenSignupForm, which "
                "requires an e-mail address or a mobile number at sign-up.",
                id="egov.E001",
            )
        )
    if PHONE_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        problems.append(
            Error(f"{PHONE_BACKEND} must be in AUTHENTICATION_BACKENDS.", id="egov.E002")
        )
    fields = [f.rstrip("*") for f in settings.ACCOUNT_SIGNUP_FIELDS]
    if "email" not in fields or "email" not in settings.ACCOUNT_LOGIN_METHODS:
        problems.append(Error("E-mail must be a sign-up field and a login method.", id="egov.E003"))
    return problems
