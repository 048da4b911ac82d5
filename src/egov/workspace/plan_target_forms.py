"""The form with which a responsible unit enters a quarter's figure of a plan target."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.uploads import ACCEPTED_LABEL
from egov.org.models import Unit
from egov.reports.targets import QUARTER_PATTERN
from egov.reports.targets_models import PlanTarget, PlanTargetEntry


def _target_label(target: PlanTarget) -> str:
    return f"{target.code} — {target.name}"


class PlanTargetEntryForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Chỉ tiêu"),
        queryset=PlanTarget.objects.none(),
        error_messages={"invalid_choice": _("Chỉ tiêu không hợp lệ hoặc không nhập tay.")},
    )
    quarter = forms.RegexField(
        label=_("Quý (YYYY-Qn)"),
        regex=QUARTER_PATTERN,
        max_length=7,
        error_messages={"invalid": _("Quý phải có dạng YYYY-Qn, ví dụ 2026-Q3.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị nhập"),
        queryset=Unit.objects.none(),
        error_messages={"invalid_choice": _("Đơn vị không hợp lệ.")},
    )
    value = forms.DecimalField(
        label=_("Giá trị"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        localize=True,
        error_messages={"invalid": _("Giá trị phải là một số, ví dụ 85,5.")},
    )
    evidence_file = forms.FileField(
        label=_("Tệp minh chứng (%(types)s)") % {"types": ACCEPTED_LABEL}, required=False
    )
    evidence_reference = forms.CharField(
        label=_("Hoặc văn bản minh chứng (số, ký hiệu, ngày)"),
        max_length=PlanTargetEntry._meta.get_field("evidence_reference").max_length,
        required=False,
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        max_length=PlanTargetEntry._meta.get_field("note").max_length,
        required=False,
    )

    def __init__(
        self, *args: Any, targets: list[PlanTarget], units: list[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        target_field = self.fields["target"]
        assert isinstance(target_field, forms.ModelChoiceField)
        target_field.queryset = PlanTarget.objects.filter(pk__in=[t.pk for t in targets])
        target_field.label_from_instance = _target_label  # type: ignore[method-assign,assignment]
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        # Every responsible unit is offered; the service refuses one the user does not belong to.
        unit_field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("name")
