"""Admin pages of the documents' catalogues (provincial administrators only); every change
is audited. Documents themselves are worked on in the staff workspace, not here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from egov.accounts.admin_scope import ProvincialOnlyAdmin
from egov.audit.services import audit_record
from egov.documents.catalogue import AgencySettings, DocumentType, UnitAbbreviation


class _AuditedAdmin(ProvincialOnlyAdmin):
    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        label = obj._meta.model_name
        audit_record(
            actor=request.user if request.user.is_authenticated else None,
            action=f"documents.{label}_{'changed' if change else 'created'}",
            target=obj,
            details={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        audit_record(
            actor=request.user if request.user.is_authenticated else None,
            action=f"documents.{obj._meta.model_name}_deleted",
            target=obj,
        )
        super().delete_model(request, obj)  # type: ignore[misc]


@admin.register(DocumentType)
class DocumentTypeAdmin(_AuditedAdmin, admin.ModelAdmin[DocumentType]):
    list_display = ["name", "abbreviation", "kind", "agency", "valid_from", "valid_until"]
    list_filter = ["kind"]
    search_fields = ["name", "abbreviation", "key"]
    autocomplete_fields = ["agency"]


@admin.register(AgencySettings)
class AgencySettingsAdmin(_AuditedAdmin, admin.ModelAdmin[AgencySettings]):
    list_display = ["agency", "abbreviation", "place_name", "outgoing_series", "valid_from"]
    search_fields = ["abbreviation", "place_name", "agency__name"]
    autocomplete_fields = ["agency"]


@admin.register(UnitAbbreviation)
class UnitAbbreviationAdmin(_AuditedAdmin, admin.ModelAdmin[UnitAbbreviation]):
    list_display = ["abbreviation", "name", "agency", "unit", "valid_from", "valid_until"]
    search_fields = ["abbreviation", "name", "agency__name"]
    autocomplete_fields = ["agency", "unit"]
