from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from egov.accounts.admin_scope import ProvincialOnlyAdmin
from egov.org.models import AdministrativeArea, Unit


@admin.register(AdministrativeArea)
class AdministrativeAreaAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[AdministrativeArea]):
    list_display = [
        "name",
        "kind",
        "level",
        "gso_code",
        "parent",
        "valid_from",
        "valid_until",
        "confirmed",
    ]
    list_filter = ["level", "kind", "confirmed"]
    search_fields = ["name", "key", "gso_code"]
    autocomplete_fields = ["parent"]


@admin.register(Unit)
class UnitAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[Unit]):
    list_display = [
        "name",
        "code_with_mark",
        "code_confirmed",
        "kind",
        "parent",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["kind", "code_placeholder", "code_confirmed"]
    search_fields = ["name", "code", "key", "short_name"]
    autocomplete_fields = ["parent", "area"]

    @admin.display(description=_("mã định danh"), ordering="code")
    def code_with_mark(self, unit: Unit) -> str:
        """The code, marked when it is egov's placeholder rather than an issued code."""
        if not unit.code:
            return "—"
        return f"{unit.code} ({_('mã tạm')})" if unit.code_placeholder else unit.code
