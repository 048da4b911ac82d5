from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from egov.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    """Read-only: the outbox is written by the system and changed only by delivery."""

    list_display = ("created_at", "channel", "event", "reference", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", "event")
    search_fields = ("reference",)
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
