from __future__ import annotations

from django.contrib import admin

from egov.accounts.admin_scope import ProvincialOnlyAdmin
from egov.org.models import AdministrativeArea, Unit


@admin.register(AdministrativeArea)
class AdministrativeAreaAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[AdministrativeArea]):
    list_display = ["name", "kind", "level", "parent", "valid_from", "valid_until", "confirmed"]
    list_filter = ["level", "kind", "confirmed"]
    search_fields = ["name", "key"]
    autocomplete_fields = ["parent"]


@admin.register(Unit)
class UnitAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[Unit]):
    list_display = ["name", "code", "code_confirmed", "kind", "parent", "valid_from", "valid_until"]
    list_filter = ["kind", "code_confirmed"]
    search_fields = ["name", "code", "key", "short_name"]
    autocomplete_fields = ["parent", "area"]
