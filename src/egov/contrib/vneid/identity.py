"""The citizen's identity as the national e-ID states it, and the services that apply it to
an account: the profile takes the e-ID's name, personal ID, birth date (and phone when given)
at every SSO sign-in, and an identity that matches an existing account is linked to it only
after the citizen proved control of that account (when the match rests only on unproven data,
the citizen may instead continue with a new account)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.citizens import ProfileInput, citizen_profile_save
from egov.accounts.models import CitizenProfile, User
from egov.accounts.selectors import is_staff_member
from egov.audit.services import audit_record
from egov.contrib.vneid.errors import SsoError
from egov.core.identity import clean_personal_id, clean_phone

IDENTITY_SOURCE = "national_sso"
# In a SocialLogin's state: the citizen chose a new account on the linking page; then, in the
# kinds of the unproven matches set aside (for the audit once the account exists).
NEW_ACCOUNT_STATE = "egov_sso_new_account"
NEW_ACCOUNT_KINDS_STATE = "egov_sso_new_account_kinds"


@dataclass(frozen=True)
class SsoIdentity:
    full_name: str
    personal_id: str
    birth_date: dt.date | None
    phone: str  # "" when the e-ID gave no (usable) number
    email: str


def identity_from_claims(claims: dict[str, Any]) -> SsoIdentity:
    """The identity in the claims; refuses a sign-in without a name or a valid personal ID."""
    name = str(claims.get("name") or "").strip()
    raw_id = str(claims.get(settings.EGOV_SSO_PERSONAL_ID_CLAIM) or "").strip()
    if not name or not raw_id:
        raise SsoError(
            "claims_missing",
            _(
                "Tài khoản định danh điện tử không cung cấp đủ họ tên và số định danh cá nhân, "
                "nên không đăng nhập được. Hãy liên hệ bộ phận hỗ trợ của cổng."
            ),
        )
    birth = str(claims.get(settings.EGOV_SSO_BIRTH_DATE_CLAIM) or "")
    try:
        birth_date = dt.date.fromisoformat(birth) if birth else None
    except ValueError:
        birth_date = None
    try:
        personal_id = clean_personal_id(raw_id, birth_date=birth_date)
    except ValidationError as exc:
        raise SsoError(
            "claims_invalid",
            _("Số định danh cá nhân nhận từ tài khoản định danh điện tử không hợp lệ."),
        ) from exc
    phone = ""
    raw_phone = str(claims.get(settings.EGOV_SSO_PHONE_CLAIM) or "").strip()
    if raw_phone:
        try:
            phone = clean_phone(raw_phone)
        except ValidationError:
            phone = ""  # an unusable number does not block the sign-in
    email = str(claims.get("email") or "").strip()[:254]
    return SsoIdentity(name[:150], personal_id, birth_date, phone, email)


@dataclass(frozen=True)
class AccountMatch:
    """An existing account the e-ID matches. ``proven``: it matched on an attribute its owner
    proved (a verified phone, a verified e-mail, a personal ID that came from the e-ID);
    otherwise only on what anyone can type (a personal ID at sign-up, an unverified e-mail).
    ``kinds``: the attributes that matched ("personal_id", "phone", "email") — the proven ones
    when proven, else the unproven ones."""

    user: User
    proven: bool
    kinds: tuple[str, ...]


def matching_accounts(identity: SsoIdentity) -> list[AccountMatch]:
    """Active accounts (staff included) that hold this personal ID, this verified number or
    this e-mail, each told whether the match is proven."""
    from allauth.account.models import EmailAddress

    proven: dict[int, set[str]] = {}
    unproven: dict[int, set[str]] = {}
    for user_id, source in CitizenProfile.objects.filter(
        personal_id=identity.personal_id
    ).values_list("user_id", "identity_source"):
        bucket = proven if source == IDENTITY_SOURCE else unproven
        bucket.setdefault(user_id, set()).add("personal_id")
    if identity.phone:
        for user_id in CitizenProfile.objects.filter(
            phone=identity.phone, phone_verified_at__isnull=False
        ).values_list("user_id", flat=True):
            proven.setdefault(user_id, set()).add("phone")
    if identity.email:
        for user_id in User.objects.filter(email__iexact=identity.email).values_list(
            "pk", flat=True
        ):
            unproven.setdefault(user_id, set()).add("email")
        for user_id, verified in EmailAddress.objects.filter(
            email__iexact=identity.email
        ).values_list("user_id", "verified"):
            (proven if verified else unproven).setdefault(user_id, set()).add("email")
    users = User.objects.filter(pk__in=set(proven) | set(unproven), is_active=True).order_by("pk")
    return [
        AccountMatch(
            user=user,
            proven=user.pk in proven,
            kinds=tuple(sorted(proven.get(user.pk) or unproven.get(user.pk) or ())),
        )
        for user in users
    ]


def email_taken(email: str) -> bool:
    """Whether any account (active or not, verified or not) holds this e-mail: the e-ID's
    e-mail is then not given to a new account (ACCOUNT_UNIQUE_EMAIL)."""
    from allauth.account.models import EmailAddress

    return bool(email) and (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def linkable(user: User) -> bool:
    """Staff accounts are never reached through the citizens' SSO."""
    return not (user.is_staff or user.is_superuser or is_staff_member(user))


@transaction.atomic
def sso_identity_apply(*, user: User, identity: SsoIdentity) -> CitizenProfile:
    """Write the e-ID's identity on ``user``'s profile (at each SSO sign-in: what the citizen
    may have changed elsewhere is restored). Other fields stay as the citizen set them."""
    current = CitizenProfile.objects.select_for_update().filter(user=user).first()
    phone = identity.phone or (current.phone if current else "")
    data = ProfileInput(
        full_name=identity.full_name,
        personal_id=identity.personal_id,
        birth_date=identity.birth_date,
        phone=phone,
    )
    if current is not None:
        data.kind = current.kind
        data.address = current.address
        data.organisation_name = current.organisation_name
        data.tax_code = current.tax_code
    try:
        citizen_profile_save(actor=user, user=user, data=data)
    except ValidationError:
        # e.g. an organisation profile missing its tax code: the identity still applies.
        data.kind, data.organisation_name, data.tax_code = "citizen", "", ""
        citizen_profile_save(actor=user, user=user, data=data)
    profile = CitizenProfile.objects.select_for_update().get(user=user)
    profile.identity_source = IDENTITY_SOURCE
    fields = ["identity_source"]
    if identity.phone and profile.phone_verified_at is None:
        # The number comes with the national identity: it counts as verified, unless another
        # account verified it (a number is verified on one account only).
        taken = (
            CitizenProfile.objects.filter(phone=identity.phone, phone_verified_at__isnull=False)
            .exclude(pk=profile.pk)
            .exists()
        )
        if not taken:
            profile.phone_verified_at = timezone.now()
            fields.append("phone_verified_at")
    profile.save(update_fields=fields)
    return profile


def locked_fields(profile: CitizenProfile | None, user: Any) -> set[str]:
    """Profile fields that came from the e-ID and cannot be edited by the citizen."""
    if profile is None or profile.identity_source != IDENTITY_SOURCE:
        return set()
    from allauth.socialaccount.models import SocialAccount

    fields = {"full_name", "personal_id", "birth_date"}
    for account in SocialAccount.objects.filter(user=user, provider="vneid"):
        data = account.extra_data or {}
        claims = {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
        if claims.get(settings.EGOV_SSO_PHONE_CLAIM):
            fields.add("phone")
    return fields


def audit_failure(*, request: Any, reason: str) -> None:
    from egov.audit.services import client_ip

    audit_record(
        actor=None,
        action="accounts.sso_failed",
        object_type="vneid",
        ip_address=client_ip(request),
        details={"reason": reason[:60]},
    )
