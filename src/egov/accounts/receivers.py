"""allauth offers signals as its only hook for these session facts; the receivers only note
them in the session, where the one-door middleware reads them."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver
from django.http import HttpRequest


@receiver(authenticator_added, dispatch_uid="egov.accounts.totp_enrolled")
def _totp_enrolled(
    sender: Any, request: HttpRequest | None, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    # Enrolling TOTP means typing a valid code from the new device: this session has just
    # passed the second factor, so the one-door check must not throw the officer out.
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", type="totp", enrolled=True)
