"""Reads of the outbox for staff: a dossier's messages, and the delivery overview."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, QuerySet

from egov.notifications.models import Message, MessageStatus


def messages_about(reference: str) -> QuerySet[Message]:
    return Message.objects.filter(reference=reference).order_by("created_at", "id")


def delivery_overview(
    *, unit_ids: Collection[int] | None, limit: int = 100
) -> tuple[dict[str, int], list[Message]]:
    """Counts per status, and the messages that failed or are being retried, newest first,
    of the units ``unit_ids`` (None: every message, including those about accounts)."""
    messages = Message.objects.all()
    if unit_ids is not None:
        messages = messages.filter(unit_id__in=list(unit_ids))
    counts = dict(
        messages.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    troubled = list(
        messages.filter(status__in=[MessageStatus.FAILED, MessageStatus.PENDING])
        .exclude(attempts=0)
        .order_by("-created_at", "-id")[:limit]
    )
    return counts, troubled


def mask_recipient(value: str) -> str:
    """ "+84912345678" → "+84912***678"; "an@example.vn" → "a***@example.vn"."""
    if "@" in value:
        name, _, domain = value.partition("@")
        return f"{name[:1]}***@{domain}"
    return value[:6] + "***" + value[-3:] if len(value) > 9 else "***"
