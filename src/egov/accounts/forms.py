"""The citizen sign-up form (django-allauth ``ACCOUNT_SIGNUP_FORM_CLASS``): the profile is
checked before the account is created, and saved through the service right after."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from egov.accounts.citizens import ProfileInput, citizen_profile_save, clean_profile
from egov.core.forms import AccessibleFormMixin
from egov.core.identity import ApplicantKind


class CitizenProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    kind = forms.ChoiceField(
        label=_("Đăng ký cho"),
        # The account of an organisation is its representative's: the form says so.
        choices=[
            (ApplicantKind.CITIZEN, ApplicantKind.CITIZEN.label),
            (ApplicantKind.ORGANISATION, _("Tổ chức, doanh nghiệp (qua người đại diện)")),
        ],
        initial=ApplicantKind.CITIZEN,
    )
    personal_id = forms.CharField(label=_("Số định danh cá nhân"), max_length=20, required=False)
    birth_date = forms.DateField(
        label=_("Ngày sinh"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(label=_("Điện thoại di động"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    organisation_name = forms.CharField(
        label=_("Tên tổ chức, doanh nghiệp (nếu đăng ký cho tổ chức)"),
        max_length=255,
        required=False,
    )
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=20, required=False)

    def profile_input(self) -> ProfileInput:
        data = self.cleaned_data
        return ProfileInput(
            full_name=data.get("full_name", ""),
            kind=data.get("kind", ApplicantKind.CITIZEN),
            personal_id=data.get("personal_id", ""),
            birth_date=data.get("birth_date"),
            phone=data.get("phone", ""),
            address=data.get("address", ""),
            organisation_name=data.get("organisation_name", ""),
            tax_code=data.get("tax_code", ""),
        )

    def clean(self) -> dict[str, Any]:
        """The profile is checked in the same pass as the other fields (the sign-up's e-mail
        and passwords too): each problem on its own field, and a field that failed its own
        check is not reported twice."""
        cleaned = super().clean() or {}
        try:
            clean_profile(self.profile_input())
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                name = field if field in self.fields else None
                if name is not None and name in self.errors:
                    continue
                for message in messages:
                    self.add_error(name, message)
        return cleaned


class CitizenSignupForm(AccessibleFormMixin, CitizenProfileForm):
    """Extra fields of allauth's sign-up form: an e-mail address or a mobile number (or both)
    identifies the account. allauth renders it with ``as_p()``: the shared form templates
    (required marks, errors on their fields, error summary)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Only when both were left empty: an e-mail address that is invalid or already used
        # has its own error on the e-mail field.
        if (
            "email" in self.fields
            and "email" not in self.errors
            and "phone" not in self.errors
            and not self.cleaned_data.get("email")
            and not self.cleaned_data.get("phone")
        ):
            message = _("Cần nhập thư điện tử hoặc số điện thoại di động để đăng nhập.")
            self.add_error("email", message)
            self.add_error("phone", message)
        return cleaned

    def signup(self, request: HttpRequest, user: Any) -> None:
        citizen_profile_save(actor=user, user=user, data=self.profile_input())
