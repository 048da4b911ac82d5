"""Citizen accounts: the profile a citizen or a business representative keeps, validated the
same way as at the counter (personal ID structure, tax-code check digit, phone numbers)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import CitizenProfile, User
from egov.audit.services import audit_record
from egov.core.identity import ApplicantKind, clean_applicant_identity, clean_phone
from egov.core.ratelimit import hit_key


@dataclass
class ProfileInput:
    full_name: str
    kind: str = ApplicantKind.CITIZEN
    personal_id: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    address: str = ""
    organisation_name: str = ""
    tax_code: str = ""


def clean_profile(data: ProfileInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "kind": data.kind,
        "birth_date": data.birth_date,
        "address": data.address.strip()[:255],
        "organisation_name": data.organisation_name.strip()[:255],
    }
    if not data.full_name.strip():
        errors["full_name"] = [_("Cần nhập họ và tên.")]
    values.update(
        clean_applicant_identity(
            kind=data.kind,
            numbers={
                "personal_id": data.personal_id,
                "phone": data.phone,
                "tax_code": data.tax_code,
            },
            birth_date=data.birth_date,
            require_personal_id=False,
            errors=errors,
        )
    )
    if data.kind == ApplicantKind.ORGANISATION and not data.organisation_name.strip():
        errors.setdefault("organisation_name", []).append(_("Cần nhập tên tổ chức, doanh nghiệp."))
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def citizen_profile_save(*, actor: User | None, user: User, data: ProfileInput) -> CitizenProfile:
    """Create or update ``user``'s profile (the actor is the user, or an administrator)."""
    values = clean_profile(data)
    user.full_name = data.full_name.strip()[:150]
    user.save(update_fields=["full_name"])
    current = CitizenProfile.objects.filter(user=user).values_list("phone", flat=True).first()
    if current != values["phone"]:
        values["phone_verified_at"] = None  # a new number is verified again
    profile, created = CitizenProfile.objects.update_or_create(user=user, defaults=values)
    audit_record(
        actor=actor,
        action="accounts.citizen_profile_created"
        if created
        else "accounts.citizen_profile_updated",
        target=user,
    )
    return profile


PHONE_CODE_MINUTES = 10
PHONE_CODE_ATTEMPTS = 5
# Codes sent to one account per hour: each new code restarts the attempt count, so without
# this a guesser could ask for code after code (and the province pays for each SMS).
PHONE_CODES_PER_HOUR = 5


def _code_hash(user_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"phone-code:{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def phone_verification_send(*, actor: User | None, user: User) -> None:
    """Send a 6-digit code by SMS to the profile's number (through the outbox, sealed: the
    outbox keeps the text with the code masked, see notifications.services)."""
    from egov.notifications.services import Recipient, notification_enqueue

    profile = CitizenProfile.objects.select_for_update().filter(user=user).first()
    if profile is None or not profile.phone:
        raise ValidationError(_("Tài khoản chưa có số điện thoại."))
    if not hit_key(
        "phone_code_sent", str(user.pk), limit=PHONE_CODES_PER_HOUR, window_seconds=3600
    ):
        raise ValidationError(_("Đã gửi mã nhiều lần; hãy thử lại sau một giờ."))
    code = f"{secrets.randbelow(10**6):06d}"
    profile.phone_code_hash = _code_hash(user.pk, code)
    profile.phone_code_expires_at = timezone.now() + dt.timedelta(minutes=PHONE_CODE_MINUTES)
    profile.phone_code_attempts = 0
    profile.save(update_fields=["phone_code_hash", "phone_code_expires_at", "phone_code_attempts"])
    notification_enqueue(
        event="phone_code",
        reference=f"account:{user.pk}",
        recipient=Recipient(phone=profile.phone),
        context={"minutes": PHONE_CODE_MINUTES},
        sealed={"code": code},
    )
    audit_record(actor=actor, action="accounts.phone_code_sent", target=user)


def _use_phone_code(
    *, actor: User | None, user: User, code: str
) -> tuple[CitizenProfile | None, str]:
    """Check ``code`` against the account's current code in a transaction of its own, so that
    a wrong attempt is counted (and the code burnt at the limit) before anyone is answered:
    a caller that then refuses cannot roll the count back. Returns the profile and "" when
    the code is right (it is used up), or None and the reason it was refused."""
    with transaction.atomic(durable=True):
        profile = CitizenProfile.objects.select_for_update().filter(user=user).first()
        if profile is None or not profile.phone_code_hash or profile.phone_code_expires_at is None:
            return None, _("Hãy bấm “Gửi mã” để nhận mã xác minh.")
        if profile.phone_code_expires_at < timezone.now():
            return None, _("Mã đã hết hạn; hãy gửi mã mới.")
        # Both sides are HMACs of the same length: compare_digest takes the same time
        # wherever they differ.
        if hmac.compare_digest(profile.phone_code_hash, _code_hash(user.pk, code.strip())):
            profile.phone_code_hash = ""
            profile.phone_code_expires_at = None
            profile.save(update_fields=["phone_code_hash", "phone_code_expires_at"])
            return profile, ""
        profile.phone_code_attempts += 1
        burnt = profile.phone_code_attempts >= PHONE_CODE_ATTEMPTS
        if burnt:  # the code can no longer be used, even the right one
            profile.phone_code_hash = ""
            profile.phone_code_expires_at = None
        profile.save(
            update_fields=["phone_code_attempts", "phone_code_hash", "phone_code_expires_at"]
        )
        audit_record(
            actor=actor,
            action="accounts.phone_code_wrong",
            target=user,
            details={"attempt": profile.phone_code_attempts, "burnt": burnt},
        )
    if burnt:
        return None, _("Nhập sai quá %d lần; mã đã bị hủy, hãy gửi mã mới.") % PHONE_CODE_ATTEMPTS
    return None, _("Mã xác minh không đúng.")


def phone_verification_confirm(*, actor: User | None, user: User, code: str) -> CitizenProfile:
    used, refusal = _use_phone_code(actor=actor, user=user, code=code)
    if used is None:
        raise ValidationError(refusal)
    with transaction.atomic():
        profile = CitizenProfile.objects.select_for_update().get(pk=used.pk)
        taken = (
            CitizenProfile.objects.filter(phone=profile.phone, phone_verified_at__isnull=False)
            .exclude(pk=profile.pk)
            .exists()
        )
        if taken:
            raise ValidationError(_("Số điện thoại này đã được xác minh cho một tài khoản khác."))
        profile.phone_verified_at = timezone.now()
        profile.save(update_fields=["phone_verified_at"])
        audit_record(actor=actor, action="accounts.phone_verified", target=user)
    return profile


def _verified_profile(phone: str) -> CitizenProfile | None:
    try:
        number = clean_phone(phone)
    except ValidationError:
        return None
    matches = list(
        CitizenProfile.objects.filter(phone=number, phone_verified_at__isnull=False).select_related(
            "user"
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


def password_reset_code_send(*, phone: str) -> None:
    """Send a reset code to a verified number. Says nothing about whether the number has an
    account (the page answers the same either way)."""
    profile = _verified_profile(phone)
    if profile is not None and profile.user.is_active:
        phone_verification_send(actor=None, user=profile.user)


def password_reset_by_code(*, phone: str, code: str, new_password: str) -> User:
    """A new password for the account whose verified number is ``phone``, on the code sent
    to it. The new password is checked first (a refused password uses nothing up); then the
    code, each wrong one counted for good before the answer."""
    from django.contrib.auth.password_validation import validate_password

    profile = _verified_profile(phone)
    if profile is None:
        raise ValidationError(_("Mã xác minh không đúng."))
    user = profile.user
    validate_password(new_password, user)
    used, refusal = _use_phone_code(actor=user, user=user, code=code)
    if used is None:
        raise ValidationError(refusal)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="accounts.password_reset_by_phone", target=user)
    return user
