"""The form field both feedback forms share (the portal's and the hotline operator's)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.dossiers.models import Dossier
from egov.dossiers.permissions import referenced_dossier


class DossierCodeField(forms.CharField):
    """ "Mã hồ sơ": the dossier a feedback is about, optional. Cleans to the dossier (None when
    left empty); an unknown code is this field's error, so the rest need not be retyped."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Mã hồ sơ (nếu phản ánh về một hồ sơ đã nộp)"))
        kwargs.setdefault(
            "help_text", gettext_lazy("In trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.")
        )
        super().__init__(max_length=40, required=False, **kwargs)

    def clean(self, value: Any) -> Dossier | None:
        code = str(super().clean(value)).strip().upper()
        if not code:
            return None
        dossier = referenced_dossier(code)
        if dossier is None:
            raise ValidationError(
                _("Không có hồ sơ mang mã “%(code)s”. Hãy kiểm tra mã in trên Giấy tiếp nhận.")
                % {"code": code}
            )
        return dossier
