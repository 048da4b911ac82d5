from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ImplementingLevel, OnlineService


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm thủ tục"), max_length=200, required=False)
    linh_vuc = forms.CharField(label=_("Lĩnh vực"), max_length=60, required=False)
    cap = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        choices=[("", _("Tất cả")), *list(ImplementingLevel.choices)],
        required=False,
    )
    truc_tuyen = forms.ChoiceField(
        label=_("Dịch vụ công trực tuyến"),
        choices=[("", _("Tất cả")), *list(OnlineService.choices)],
        required=False,
    )
    don_vi = forms.CharField(label=_("Nơi tiếp nhận"), max_length=80, required=False)
    trang = forms.IntegerField(label=_("Trang"), min_value=1, max_value=10000, required=False)


class FeeForm(forms.Form):
    kenh = forms.CharField(required=False, max_length=10)
    so_trang = forms.IntegerField(label=_("Số trang"), min_value=1, max_value=10000, required=False)
    so_ban = forms.IntegerField(label=_("Số bản"), min_value=1, max_value=1000, required=False)
    doi_tuong = forms.CharField(label=_("Đối tượng"), max_length=30, required=False)
