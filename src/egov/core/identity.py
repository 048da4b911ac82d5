"""Applicant identifiers: personal ID (số định danh cá nhân), tax code, phone number.

- Personal ID: 12 digits (Thông tư 07/2016/TT-BCA Điều 7; Luật Căn cước 2023 Điều 12):
  digits 1-3 the province (or country) where the birth was registered, digit 4 century and
  gender, digits 5-6 the year of birth; there is no check digit, so the structure and its
  consistency with the birth date and gender are what can be verified.
- Tax code (mã số thuế): python-stdnum's ``vn.mst`` (10 digits with a check digit, or 13 for
  dependent units); a person's 12-digit personal ID is accepted as a tax code too.
- Phone: Google's libphonenumber metadata (``phonenumbers``), stored as E.164.
"""

from __future__ import annotations

import datetime as dt
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.vn import mst

# Birth-registration province codes (Phụ lục, Thông tư 07/2016/TT-BCA): the 63 provinces as
# they were when the numbers were issued — the 2025 mergers do not renumber existing IDs.
PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
_DIGITS_12 = re.compile(r"^\d{12}$")


def clean_personal_id(
    value: str, *, birth_date: dt.date | None = None, female: bool | None = None
) -> str:
    number = re.sub(r"[\s.]", "", value or "")
    if not _DIGITS_12.fullmatch(number):
        raise ValidationError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="id_format")
    if number[:3] not in PROVINCE_CODES:
        raise ValidationError(
            _("Ba số đầu “%s” không phải mã tỉnh nơi đăng ký khai sinh.") % number[:3],
            code="id_province",
        )
    century_gender = int(number[3])
    century = 1900 + (century_gender // 2) * 100
    year = century + int(number[4:6])
    if birth_date is not None and birth_date.year != year:
        raise ValidationError(
            _("Số định danh cho năm sinh %(id_year)d, khác năm sinh đã khai %(year)d.")
            % {"id_year": year, "year": birth_date.year},
            code="id_birth_year",
        )
    if female is not None and bool(century_gender % 2) != female:
        raise ValidationError(_("Số định danh không khớp với giới tính đã khai."), code="id_gender")
    return number


def clean_tax_code(value: str) -> str:
    raw = (value or "").strip()
    compact = re.sub(r"[\s.\-]", "", raw)
    if _DIGITS_12.fullmatch(compact):
        return clean_personal_id(compact)
    if not mst.is_valid(compact):
        raise ValidationError(
            _("Mã số thuế “%s” không hợp lệ (10 chữ số có số kiểm tra, hoặc 13 chữ số).") % raw,
            code="tax_code",
        )
    return str(mst.compact(compact))


def clean_phone(value: str) -> str:
    """A valid Vietnamese mobile or landline number, returned as E.164 (+84…)."""
    try:
        number = phonenumbers.parse((value or "").strip(), "VN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number_for_region(number, "VN"):
        raise ValidationError(
            _("Số điện thoại “%s” không hợp lệ (vd. 0912 345 678).") % value, code="phone"
        )
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def display_phone(e164: str) -> str:
    """+84912345678 → 0912 345 678 (how people read and dial it in Việt Nam)."""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))


# Who applies, as far as identification goes: a person (personal ID) or an organisation (tax
# code, through its representative). One enum for the citizen's account and the dossier; the
# catalog's ``ApplicantType`` is another notion (whom a procedure serves). (A comment, not a
# docstring: the docstring would become the enum's description in the OpenAPI schema.)
class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", gettext_lazy("Cá nhân")
    ORGANISATION = "organisation", gettext_lazy("Tổ chức")


_CLEANERS = {
    "personal_id": clean_personal_id,
    "representative_personal_id": clean_personal_id,
    "phone": clean_phone,
    "tax_code": clean_tax_code,
}


def clean_applicant_identity(
    *,
    kind: str,
    numbers: dict[str, str],
    birth_date: dt.date | None = None,
    require_personal_id: bool,
    errors: dict[str, list[str]],
) -> dict[str, str]:
    """The one check of an applicant's identity, for the citizen's profile and the dossier:
    the kind is known; each number given (``personal_id`` — checked against ``birth_date`` —,
    ``representative_personal_id``, ``phone``, ``tax_code``) is valid, and returned in its
    stored form ("" when blank); an organisation gives its tax code; a person gives their
    personal ID when ``require_personal_id``. Problems are added to ``errors`` by field."""
    if kind not in ApplicantKind.values:
        errors["kind"] = [_("Loại người nộp không hợp lệ.")]
    values: dict[str, str] = {}
    for name, raw in numbers.items():
        values[name] = ""
        if not raw.strip():
            continue
        kwargs = {"birth_date": birth_date} if name == "personal_id" else {}
        try:
            values[name] = _CLEANERS[name](raw, **kwargs)
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    if kind == ApplicantKind.CITIZEN and require_personal_id and not numbers["personal_id"].strip():
        errors.setdefault("personal_id", []).append(
            _("Cần nhập số định danh cá nhân của người nộp.")
        )
    if kind == ApplicantKind.ORGANISATION and not numbers["tax_code"].strip():
        errors.setdefault("tax_code", []).append(_("Cần nhập mã số thuế của tổ chức."))
    return values
