"""Who signs how (provincial administrators only); every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from egov.accounts.admin_scope import ProvincialOnlyAdmin
from egov.audit.services import audit_record
from egov.signing.models import PersonalSigningMethod


@admin.register(PersonalSigningMethod)
class PersonalSigningMethodAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[PersonalSigningMethod]):
    list_display = ("user", "method", "credential_id", "key_label", "updated_at")
    list_filter = ("method",)
    search_fields = ("user__username", "user__full_name", "credential_id", "key_label")
    autocomplete_fields = ("user",)

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user if request.user.is_authenticated else None,
            action=f"signing.method_{'changed' if change else 'created'}",
            target=obj,
            details={"fields": sorted(form.changed_data), "method": obj.method},
        )
