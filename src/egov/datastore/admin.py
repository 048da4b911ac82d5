"""The data store in /admin/: a read-only list for provincial administrators (the store holds
personal papers of the whole province). Documents change only through ``datastore.services``
(every change an event and an audit entry), never through a form here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from egov.accounts.admin_scope import ProvincialOnlyAdmin
from egov.datastore.models import StoreDocument, StoreDocumentEvent


class StoreDocumentEventInline(admin.TabularInline[StoreDocumentEvent, StoreDocument]):
    model = StoreDocumentEvent
    fields = ("sequence", "action", "from_state", "to_state", "actor", "at")
    readonly_fields = ("sequence", "action", "from_state", "to_state", "actor", "at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StoreDocument)
class StoreDocumentAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[StoreDocument]):
    list_display = [
        "code",
        "title",
        "kind",
        "owner_kind",
        "state",
        "source",
        "source_dossier_code",
        "unit",
        "created_at",
    ]
    list_filter = ["state", "source", "owner_kind", "kind"]
    # By code and source dossier only: a search by personal ID would turn the admin into a
    # lookup of anyone's store, which officers get only while handling (dossiers.store_access).
    search_fields = ["code", "source_dossier_code"]
    list_select_related = ["kind", "unit"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [StoreDocumentEventInline]
    # The recognised text may be long and personal; it is not needed to administer the store.
    exclude = ["ocr_text", "search_text"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in StoreDocument._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
