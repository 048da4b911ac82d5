"""Writes of the national SSO's linking step: the audit of a sign-in that must prove control
of a matching account, the proof itself (password or SMS code), the link of the e-ID to the
proven account, and the audit of the choices that skip a match (a staff account, or a new
account despite matches on unproven data). The views and the allauth adapter only call these."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.citizens import phone_verification_confirm
from egov.accounts.models import User
from egov.audit.services import audit_record
from egov.core.ratelimit import hit_key

PASSWORD_ATTEMPTS_PER_ACCOUNT = 10  # per hour, across all addresses (a spread-out guess)
ProofMethod = Literal["password", "code"]


@transaction.atomic
def sso_link_require(*, actor: User | None, users: Sequence[User], ip_address: str | None) -> None:
    """The e-ID matched these accounts: the sign-in waits for proof of control of one."""
    for user in users:
        audit_record(
            actor=actor, action="accounts.sso_link_required", target=user, ip_address=ip_address
        )


@transaction.atomic
def sso_staff_match_ignore(
    *, actor: User | None, users: Sequence[User], ip_address: str | None
) -> None:
    """Staff accounts are never reached through the citizens' SSO: the match is ignored (and
    not shown to the citizen), but kept in the audit."""
    for user in users:
        audit_record(
            actor=actor,
            action="accounts.sso_staff_match_ignored",
            target=user,
            ip_address=ip_address,
        )


def sso_link_prove(
    *, actor: User | None, user: User, method: ProofMethod, secret: str, ip_address: str | None
) -> None:
    """Check that the citizen controls ``user``: its password, or the SMS code sent to its
    verified number. Raises ValidationError (translated) when the proof fails.

    Not one transaction on purpose: phone_verification_confirm commits a wrong code (its own
    durable transaction) before answering, so it must never run inside an atomic block."""
    if method == "code":
        phone_verification_confirm(actor=user, user=user, code=secret[:10])
        return
    if not hit_key(
        "sso_link_account", str(user.pk), limit=PASSWORD_ATTEMPTS_PER_ACCOUNT, window_seconds=3600
    ):
        raise ValidationError(_("Nhập sai quá nhiều lần; hãy thử lại sau 10 phút."))
    if not user.check_password(secret[:4096]):
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="accounts.sso_link_failed",
                target=user,
                ip_address=ip_address,
                details={"reason": "password"},
            )
        raise ValidationError(_("Mật khẩu không đúng."))


@transaction.atomic
def sso_link_confirm(
    *, actor: User, request_login: Any, user: User, ip_address: str | None
) -> None:
    """Link the pending e-ID sign-in (allauth's SocialLogin) to ``user``, whose control the
    citizen (``actor``, that same user) has just proven."""
    request_login.user = user
    request_login.save(None, connect=True)  # the request is not used when connecting
    audit_record(actor=actor, action="accounts.sso_linked", target=user, ip_address=ip_address)


@transaction.atomic
def sso_new_account_record(*, actor: User, kinds: Iterable[str], ip_address: str | None) -> None:
    """The citizen chose a new account although the e-ID matched accounts on unproven data
    (a typed personal ID, an unverified e-mail): the kinds of match only, no personal data."""
    audit_record(
        actor=actor,
        action="accounts.sso_new_account_despite_match",
        target=actor,
        ip_address=ip_address,
        details={"kinds": sorted(set(kinds))},
    )
