from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from egov.accounts.admin_scope import ProvincialOnlyAdmin
from egov.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[AuditEntry]):
    """Read-only: entries are written only by ``audit_record``."""

    list_display = ["sequence", "moment", "actor_label", "action", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["action", "actor_label", "object_id", "object_repr"]
    date_hierarchy = "moment"
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
