"""Forms of the outgoing-document pages: the composer, the upload, recipients."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import User
from egov.documents.catalogue import DocumentType
from egov.documents.models import Confidentiality, Delegation, Urgency
from egov.documents.services.outgoing import RecipientInput
from egov.documents.services.outgoing_drafts import COMPOSER_KINDS, external_recipients
from egov.org.models import Unit

MAX_LINES = 100


def lines(text: str) -> tuple[str, ...]:
    """Non-empty lines, stripped."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())[:MAX_LINES]


def paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs separated by blank lines; lines inside one are joined."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    return tuple(" ".join(block.split()) for block in blocks if block.strip())[:MAX_LINES]


class _DraftFields(forms.Form):
    drafting_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("Đơn vị soạn thảo"), empty_label=None
    )
    document_type = forms.ModelChoiceField(
        queryset=DocumentType.objects.none(), label=_("Loại văn bản"), empty_label=None
    )
    subject = forms.CharField(label=_("Trích yếu"), max_length=500)
    signer = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Người ký"))
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices)
    confidentiality = forms.ChoiceField(label=_("Độ mật"), choices=Confidentiality.choices)
    internal = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Gửi đến đơn vị trong hệ thống"),
        widget=forms.CheckboxSelectMultiple,
    )
    external = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        label=_("Gửi ra ngoài (mỗi dòng: Tên cơ quan <thư điện tử>)"),
    )

    def __init__(
        self,
        *args: Any,
        units: list[Unit],
        types: list[DocumentType],
        signers: list[User],
        recipients: list[Unit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drafting_unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])  # type: ignore[attr-defined]
        self.fields["document_type"].queryset = DocumentType.objects.filter(  # type: ignore[attr-defined]
            pk__in=[t.pk for t in types]
        ).order_by("order", "name")
        self.fields["signer"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[s.pk for s in signers]
        ).order_by("full_name")
        self.fields["internal"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[r.pk for r in recipients]
        ).order_by("name")

    def clean_external(self) -> list[RecipientInput]:
        return external_recipients(self.cleaned_data.get("external", ""))

    def recipients(self) -> list[RecipientInput]:
        internal = [RecipientInput(unit=unit) for unit in self.cleaned_data["internal"]]
        external: list[RecipientInput] = self.cleaned_data["external"]
        return [*internal, *external]


class ComposeForm(_DraftFields):
    addressees = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label=_("Kính gửi (mỗi dòng một nơi)"),
    )
    authority = forms.CharField(
        required=False, max_length=200, label=_("Thẩm quyền ban hành (quyết định)")
    )
    grounds = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        label=_("Căn cứ ban hành (quyết định; mỗi dòng một căn cứ)"),
    )
    articles = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=50000,
        label=_("Các điều (quyết định; mỗi dòng một điều, không ghi “Điều 1.”)"),
    )
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=50000,
        label=_("Nội dung (các đoạn cách nhau một dòng trống)"),
    )
    signer_position = forms.CharField(max_length=100, label=_("Chức vụ người ký"))
    delegation = forms.ChoiceField(
        required=False, choices=Delegation.choices, label=_("Thẩm quyền ký")
    )
    on_behalf_of = forms.CharField(
        required=False,
        max_length=200,
        label=_("Dòng sau TM./KT./TL./TUQ. (ví dụ ỦY BAN NHÂN DÂN, CHỦ TỊCH)"),
    )
    recipient_lines = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        label=_("Nơi nhận in trên văn bản (mỗi dòng một nơi; “Lưu: VT, …” tự thêm)"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["document_type"]
        field.queryset = field.queryset.filter(key__in=list(COMPOSER_KINDS))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        delegation = data.get("delegation") or ""
        if delegation not in ("", Delegation.ACTING) and not data.get("on_behalf_of", "").strip():
            self.add_error("on_behalf_of", _("Với TM., KT., TL., TUQ. cần ghi dòng thẩm quyền."))
        if not (data.get("body") or "").strip() and not (data.get("articles") or "").strip():
            self.add_error("body", _("Cần nhập nội dung văn bản."))
        return data


class UploadForm(_DraftFields):
    file = forms.FileField(label=_("Tệp dự thảo (PDF hoặc DOCX)"))
