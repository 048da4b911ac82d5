"""Citizen accounts: the profile a citizen or a business representative keeps, validated the
same way as at the counter (personal ID structure, tax-code check digit, phone numbers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.models import ApplicantKind, CitizenProfile
from egov.audit.services import audit_record
from egov.core.identity import clean_personal_id, clean_phone, clean_tax_code


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
    if data.kind not in ApplicantKind.values:
        errors["kind"] = [_("Loại tài khoản không hợp lệ.")]
    if not data.full_name.strip():
        errors["full_name"] = [_("Cần nhập họ và tên.")]
    for name, func, raw, kwargs in (
        ("personal_id", clean_personal_id, data.personal_id, {"birth_date": data.birth_date}),
        ("phone", clean_phone, data.phone, {}),
        ("tax_code", clean_tax_code, data.tax_code, {}),
    ):
        values[name] = ""
        if raw.strip():
            try:
                values[name] = func(raw, **kwargs)
            except ValidationError as exc:
                errors[name] = list(exc.messages)
    if data.kind == ApplicantKind.ORGANISATION:
        if not data.organisation_name.strip():
            errors.setdefault("organisation_name", []).append(
                _("Cần nhập tên tổ chức, doanh nghiệp.")
            )
        if not data.tax_code.strip():
            errors.setdefault("tax_code", []).append(_("Cần nhập mã số thuế của tổ chức."))
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def citizen_profile_save(*, actor: Any, user: Any, data: ProfileInput) -> CitizenProfile:
    """Create or update ``user``'s profile (the actor is the user, or an administrator)."""
    values = clean_profile(data)
    user.full_name = data.full_name.strip()[:150]
    user.save(update_fields=["full_name"])
    profile, created = CitizenProfile.objects.update_or_create(user=user, defaults=values)
    audit_record(
        actor=actor,
        action="accounts.citizen_profile_created"
        if created
        else "accounts.citizen_profile_updated",
        target=user,
    )
    return profile
