from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from egov.accounts.admin_scope import ProvincialOnlyAdmin
from egov.notifications.models import Message
from egov.notifications.selectors import mask_recipient

# Messages whose text is a secret for one person (a sign-in or reset code): never shown.
SECRET_EVENTS = frozenset({"phone_code"})


@admin.register(Message)
class MessageAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[Message]):
    """Read-only, for provincial administrators only: the outbox is written by the system and
    changed only by delivery. Recipients are always masked, codes never shown."""

    list_display = (
        "created_at",
        "channel",
        "event",
        "reference",
        "unit",
        "masked_recipient",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "channel", "event")
    search_fields = ("reference",)
    list_select_related = ("unit",)
    fields = (
        "key",
        "channel",
        "masked_recipient",
        "event",
        "reference",
        "unit",
        "subject",
        "shown_body",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "provider_id",
        "created_at",
        "sent_at",
    )
    readonly_fields = fields

    @admin.display(description=_("người nhận"))
    def masked_recipient(self, obj: Message) -> str:
        return mask_recipient(obj.recipient)

    @admin.display(description=_("nội dung"))
    def shown_body(self, obj: Message) -> str:
        if obj.event in SECRET_EVENTS:
            return str(_("(mã xác minh — không hiển thị)"))
        return obj.body

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
