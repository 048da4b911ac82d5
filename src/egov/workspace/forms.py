from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ChannelKind, ProcedureVersion
from egov.core.identity import ApplicantKind
from egov.core.inputs import column_length
from egov.core.uploads import ACCEPTED_LABEL
from egov.dossiers.models import (
    Dossier,
    DossierPayment,
    PaymentMethod,
    ResultDelivery,
)
from egov.dossiers.services.reception import MAX_COPIES, MAX_SETS

COUNTER_METHODS = [c for c in PaymentMethod.choices if c[0] != PaymentMethod.ONLINE]


class ReceptionForm(forms.Form):
    channel = forms.ChoiceField(label=_("Hình thức nộp"), choices=ChannelKind.choices)
    applicant_kind = forms.ChoiceField(label=_("Người nộp là"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(
        label=_("Họ tên / tên tổ chức"), max_length=column_length(Dossier, "applicant_name")
    )
    applicant_personal_id = forms.CharField(
        label=_("Số định danh cá nhân"), max_length=20, required=False
    )
    applicant_birth_date = forms.DateField(
        label=_("Ngày sinh"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    applicant_tax_code = forms.CharField(label=_("Mã số thuế"), max_length=20, required=False)
    applicant_phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"), max_length=column_length(Dossier, "applicant_email"), required=False
    )
    applicant_address = forms.CharField(
        label=_("Địa chỉ"), max_length=column_length(Dossier, "applicant_address"), required=False
    )
    representative_name = forms.CharField(
        label=_("Người được ủy quyền (nếu có)"),
        max_length=column_length(Dossier, "representative_name"),
        required=False,
    )
    representative_personal_id = forms.CharField(
        label=_("Số định danh người được ủy quyền"), max_length=20, required=False
    )
    sets = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=MAX_SETS, initial=1)
    result_delivery = forms.ChoiceField(label=_("Nhận kết quả"), choices=ResultDelivery.choices)
    fee_paid = forms.IntegerField(
        label=_("Phí, lệ phí đã thu (đồng)"), min_value=0, max_value=10**12, required=False
    )
    fee_method = forms.ChoiceField(
        label=_("Hình thức thu"),
        choices=COUNTER_METHODS,
        initial=PaymentMethod.CASH,
        required=False,
    )
    fee_reference = forms.CharField(
        label=_("Số biên lai"),
        max_length=column_length(DossierPayment, "reference"),
        required=False,
    )

    def __init__(self, *args: Any, version: ProcedureVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        offered = {c.kind for c in version.channels.all()}
        channel_field = self.fields["channel"]
        assert isinstance(channel_field, forms.ChoiceField)
        channel_field.choices = [c for c in ChannelKind.choices if c[0] in offered]
        for component in version.components.all():
            self.fields[f"originals_{component.pk}"] = forms.IntegerField(
                label=_("Bản chính"),
                min_value=0,
                max_value=MAX_COPIES,
                required=False,
                initial=component.originals or 0,
            )
            self.fields[f"copies_{component.pk}"] = forms.IntegerField(
                label=_("Bản sao"),
                min_value=0,
                max_value=MAX_COPIES,
                required=False,
                initial=component.copies or 0,
            )
            self.fields[f"scan_{component.pk}"] = forms.FileField(
                label=_("Bản số hóa (%s)") % ACCEPTED_LABEL, required=False
            )

    def component_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "component": component,
                "originals": self[f"originals_{component.pk}"],
                "copies": self[f"copies_{component.pk}"],
                "scan": self[f"scan_{component.pk}"],
            }
            for component in self.version.components.all()
        ]

    def received_components(self) -> dict[int, tuple[int, int]]:
        result = {}
        for component in self.version.components.all():
            originals = self.cleaned_data.get(f"originals_{component.pk}") or 0
            copies = self.cleaned_data.get(f"copies_{component.pk}") or 0
            if originals or copies:
                result[component.pk] = (originals, copies)
        return result

    def scans(self) -> dict[int, tuple[Any, str]]:
        result = {}
        for component in self.version.components.all():
            upload = self.cleaned_data.get(f"scan_{component.pk}")
            if upload:
                result[component.pk] = (upload, upload.name or "")
        return result
