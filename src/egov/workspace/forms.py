from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ChannelKind, ProcedureVersion
from egov.core.identity import ApplicantKind
from egov.core.inputs import column_length
from egov.core.uploads import ACCEPTED_LABEL
from egov.datastore.models import StoreDocument
from egov.dossiers.models import (
    Dossier,
    DossierPayment,
    PaymentMethod,
    ResultDelivery,
)
from egov.dossiers.services.reception import (
    MAX_COPIES,
    MAX_SETS,
    Applicant,
    clean_applicant,
    missing_components,
)

COUNTER_METHODS = [c for c in PaymentMethod.choices if c[0] != PaymentMethod.ONLINE]


class ReceptionForm(forms.Form):
    # The applicant first (DOM and tab order): the desk types the name before anything else.
    applicant_name = forms.CharField(
        label=_("Họ tên / tên tổ chức"), max_length=column_length(Dossier, "applicant_name")
    )
    applicant_kind = forms.ChoiceField(label=_("Người nộp là"), choices=ApplicantKind.choices)
    applicant_personal_id = forms.CharField(
        label=_("Số định danh cá nhân"), max_length=20, required=False
    )
    applicant_birth_date = forms.DateField(
        label=_("Ngày sinh"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    applicant_tax_code = forms.CharField(label=_("Mã số thuế"), max_length=20, required=False)
    applicant_phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
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
    channel = forms.ChoiceField(label=_("Hình thức nộp"), choices=ChannelKind.choices)
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

    APPLICANT_FIELDS = (
        "applicant_name",
        "applicant_kind",
        "applicant_personal_id",
        "applicant_birth_date",
        "applicant_tax_code",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "representative_name",
        "representative_personal_id",
    )
    DOSSIER_FIELDS = ("channel", "sets", "result_delivery")
    FEE_FIELDS = ("fee_paid", "fee_method", "fee_reference")

    def __init__(
        self,
        *args: Any,
        version: ProcedureVersion,
        store_offers: dict[int, list[StoreDocument]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        # The applicant's valid documents per component (dossiers.reuse.reception_store_lookup).
        self.store_offers = store_offers or {}
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
                # An optional component ("(nếu có)") is counted only when the applicant gives it.
                initial=0 if component.is_optional else component.originals or 0,
            )
            self.fields[f"copies_{component.pk}"] = forms.IntegerField(
                label=_("Bản sao"),
                min_value=0,
                max_value=MAX_COPIES,
                required=False,
                initial=0 if component.is_optional else component.copies or 0,
            )
            self.fields[f"scan_{component.pk}"] = forms.FileField(
                label=_("Bản số hóa (%s)") % ACCEPTED_LABEL, required=False
            )
            documents = self.store_offers.get(component.pk)
            if documents:
                self.fields[f"store_{component.pk}"] = forms.ChoiceField(
                    label=_("Dùng giấy tờ trong kho"),
                    choices=[
                        ("", _("Không dùng")),
                        *[(d.code, store_label(d)) for d in documents],
                    ],
                    required=False,
                    widget=forms.RadioSelect,
                    error_messages={
                        "invalid_choice": _(
                            "Giấy tờ đã chọn không thuộc kho dữ liệu của người nộp này; "
                            "hãy tra cứu lại."
                        )
                    },
                )

    def applicant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.APPLICANT_FIELDS]

    def dossier_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.DOSSIER_FIELDS]

    def fee_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FEE_FIELDS]

    def clean(self) -> dict[str, Any]:
        """Every check in one pass: the applicant's identity (ID against birth date, phone,
        tax code, e-mail: the service's own ``clean_applicant``) and the required components
        are checked even when other fields already have errors, so the desk sees all problems
        at once, each on its own field. A field that failed its own check is not checked
        again."""
        cleaned = super().clean() or {}
        applicant = Applicant(
            kind=str(cleaned.get("applicant_kind") or ""),
            name=str(cleaned.get("applicant_name") or ""),
            personal_id=str(cleaned.get("applicant_personal_id") or ""),
            tax_code=str(cleaned.get("applicant_tax_code") or ""),
            phone=str(cleaned.get("applicant_phone") or ""),
            email=str(cleaned.get("applicant_email") or ""),
            address=str(cleaned.get("applicant_address") or ""),
            representative_name=str(cleaned.get("representative_name") or ""),
            representative_personal_id=str(cleaned.get("representative_personal_id") or ""),
            birth_date=cleaned.get("applicant_birth_date"),
        )
        try:
            clean_applicant(applicant)
        except ValidationError as exc:
            self.add_service_errors(exc)
        counted = {
            component.pk: (
                cleaned.get(f"originals_{component.pk}") or 0,
                cleaned.get(f"copies_{component.pk}") or 0,
            )
            for component in self.version.components.all()
        }
        stored = self.store_documents()
        for pk in stored:
            if cleaned.get(f"scan_{pk}"):
                self.add_error(
                    f"scan_{pk}",
                    _("Thành phần này dùng giấy tờ trong kho dữ liệu: không cần bản số hóa."),
                )
        for component in missing_components(self.version, counted, reused=stored):
            name = f"originals_{component.pk}"
            if name not in self.errors:
                self.add_error(
                    name,
                    _("Cần nhận bản chính hoặc bản sao của giấy tờ bắt buộc này: %s.")
                    % component.name,
                )
        return cleaned

    def add_service_errors(self, exc: ValidationError) -> list[str]:
        """Put a service's ValidationError on the fields it names (the service calls the
        applicant's fields ``name``, ``phone``…; the form ``applicant_name``…), skipping a
        field that already shows an error; errors about no field go on top of the form.
        Returns the errors about scans (shown with the scan inputs)."""
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.add_error(None, message)
            return []
        messages = exc.message_dict
        scans = messages.pop("scans", [])
        for field, errors in messages.items():
            name = next((n for n in (field, f"applicant_{field}") if n in self.fields), None)
            if name is not None and name in self.errors:
                continue
            for error in errors:
                self.add_error(name, error)
        return scans

    def store_documents(self) -> dict[int, str]:
        """Component id → code of the store document the desk takes instead of paper."""
        data = getattr(self, "cleaned_data", {})
        return {pk: str(data[f"store_{pk}"]) for pk in self.store_offers if data.get(f"store_{pk}")}

    def component_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "component": component,
                "store": self[f"store_{component.pk}"]
                if f"store_{component.pk}" in self.fields
                else None,
                "originals": self[f"originals_{component.pk}"],
                "copies": self[f"copies_{component.pk}"],
                "scan": self[f"scan_{component.pk}"],
                "inputs": [
                    (self[f"originals_{component.pk}"], _("Bản chính")),
                    (self[f"copies_{component.pk}"], _("Bản sao")),
                    (self[f"scan_{component.pk}"], _("Bản số hóa")),
                ],
            }
            for component in self.version.components.all()
        ]

    def received_components(self) -> dict[int, tuple[int, int]]:
        """Originals and copies counted, except for components taken from the store (no
        paper is needed for those)."""
        result = {}
        stored = self.store_documents()
        for component in self.version.components.all():
            if component.pk in stored:
                continue
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


def store_label(document: StoreDocument) -> str:
    """One stored document as the desk sees it: title, number, issuer and validity."""
    parts = [document.title]
    if document.number:
        parts.append(_("số %s") % document.number)
    if document.issuer:
        parts.append(str(document.issuer))
    if document.valid_until:
        parts.append(_("có giá trị đến %s") % document.valid_until.strftime("%d/%m/%Y"))
    else:
        parts.append(str(_("không thời hạn")))
    return ", ".join(str(p) for p in parts)
