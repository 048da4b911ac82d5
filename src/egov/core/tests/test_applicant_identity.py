"""One check of an applicant's identity for the citizen's profile and the dossier (issue 10,
point 6): ``core.identity.clean_applicant_identity``."""

import pytest
from django.core.exceptions import ValidationError

from egov.accounts.citizens import ProfileInput, clean_profile
from egov.core.identity import clean_applicant_identity
from egov.dossiers.services.reception import Applicant, clean_applicant

BLANK = {"personal_id": "", "phone": "", "tax_code": ""}


def check(kind, *, required, **numbers):
    errors: dict[str, list[str]] = {}
    values = clean_applicant_identity(
        kind=kind, numbers={**BLANK, **numbers}, require_personal_id=required, errors=errors
    )
    return values, errors


def test_what_each_kind_must_give():
    assert check("citizen", required=False) == (BLANK, {})
    assert check("citizen", required=True)[1] == {
        "personal_id": ["Cần nhập số định danh cá nhân của người nộp."]
    }
    assert check("organisation", required=True, tax_code="  ")[1] == {
        "tax_code": ["Cần nhập mã số thuế của tổ chức."]
    }
    assert check("alien", required=False)[1] == {"kind": ["Loại người nộp không hợp lệ."]}
    values, errors = check("citizen", required=True, phone="0912 345 678")
    assert values["phone"] == "+84912345678" and set(errors) == {"personal_id"}


def test_the_profile_and_the_dossier_refuse_an_organisation_without_tax_code_alike():
    with pytest.raises(ValidationError) as profile:
        clean_profile(ProfileInput(full_name="Công ty A", kind="organisation"))
    with pytest.raises(ValidationError) as dossier:
        clean_applicant(Applicant(kind="organisation", name="Công ty A", tax_code=" "))
    message = ["Cần nhập mã số thuế của tổ chức."]
    assert (
        profile.value.message_dict["tax_code"] == dossier.value.message_dict["tax_code"] == message
    )
