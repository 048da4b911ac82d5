"""Delivering the outbox: ``deliver_due`` (the background worker, or ``send_notifications``)
sends what is due, outside any transaction, and reschedules failures with a growing delay, so
a provider outage delays messages but loses none. Each message carries a unique key passed to
the provider as its request id, so a retry after a lost answer is not delivered twice by
providers that honour it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from egov.notifications.channels import DeliveryError, Outgoing, backend_for
from egov.notifications.models import Channel, Message, MessageStatus
from egov.notifications.sealing import SEALED_KEY, unseal

LEASE = dt.timedelta(minutes=5)
FIRST_DELAY = dt.timedelta(seconds=30)
MAX_DELAY = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class DeliveryRun:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    postponed: int = 0


def _claim(now: dt.datetime, limit: int) -> list[Message]:
    """Take up to ``limit`` due messages (and those whose worker died mid-send) for this
    worker; on PostgreSQL, workers running side by side skip each other's rows."""
    with transaction.atomic():
        due = Message.objects.filter(
            Q(status=MessageStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=MessageStatus.SENDING, locked_until__lt=now)
        ).order_by("next_attempt_at", "id")
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        batch = list(due[:limit])
        Message.objects.filter(pk__in=[m.pk for m in batch]).update(
            status=MessageStatus.SENDING, locked_until=now + LEASE
        )
    return batch


def _retry_delay(attempts: int) -> dt.timedelta:
    delay: dt.timedelta = FIRST_DELAY * (2 ** max(attempts - 1, 0))
    return min(delay, MAX_DELAY)


def _over_limit(message: Message, now: dt.datetime) -> dt.datetime | None:
    """When a recipient already got the hourly maximum, the moment the oldest of those
    messages leaves the hour (the message waits until then)."""
    hour_ago = now - dt.timedelta(hours=1)
    recent = list(
        Message.objects.filter(
            recipient=message.recipient, status=MessageStatus.SENT, sent_at__gt=hour_ago
        )
        .order_by("sent_at")
        .values_list("sent_at", flat=True)[: settings.EGOV_NOTIFY_MAX_PER_RECIPIENT_HOUR]
    )
    if len(recent) < settings.EGOV_NOTIFY_MAX_PER_RECIPIENT_HOUR or recent[0] is None:
        return None
    return recent[0] + dt.timedelta(hours=1)


def _fall_back_to_sms(message: Message, now: dt.datetime) -> None:
    text = str(message.payload.get("fallback_sms", ""))
    if message.channel == Channel.ZALO and text:
        Message.objects.create(
            channel=Channel.SMS,
            recipient=message.recipient,
            event=message.event,
            reference=message.reference,
            unit=message.unit,
            body=text,
            next_attempt_at=now,
            created_at=now,
        )


def delivery_text(message: Message) -> str:
    """The text to hand to the provider: the sealed original when the message has one."""
    token = message.payload.get(SEALED_KEY)
    opened = unseal(str(token)) if token else None
    return opened if opened is not None else message.body


def _without_seal(message: Message) -> dict[str, Any]:
    # Sent or given up: the sealed text has served its purpose and is erased.
    return {k: v for k, v in message.payload.items() if k != SEALED_KEY}


def deliver_due(*, now: dt.datetime | None = None, limit: int = 200) -> DeliveryRun:
    now = now or timezone.now()
    sent = retried = failed = postponed = 0
    for message in _claim(now, limit):
        wait_until = _over_limit(message, now)
        if wait_until is not None:
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.PENDING, next_attempt_at=wait_until, locked_until=None
            )
            postponed += 1
            continue
        outgoing = Outgoing(
            key=str(message.key),
            channel=message.channel,
            recipient=message.recipient,
            subject=message.subject,
            body=delivery_text(message),
            payload={k: v for k, v in message.payload.items() if k != SEALED_KEY},
        )
        try:
            provider_id = backend_for(message.channel).send(outgoing)
        except DeliveryError as exc:
            attempts = message.attempts + 1
            give_up = exc.permanent or attempts >= settings.EGOV_NOTIFY_MAX_ATTEMPTS
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.FAILED if give_up else MessageStatus.PENDING,
                attempts=attempts,
                last_error=str(exc)[:500],
                next_attempt_at=now + _retry_delay(attempts),
                locked_until=None,
                **({"payload": _without_seal(message)} if give_up else {}),
            )
            if give_up:
                failed += 1
                if exc.permanent:
                    _fall_back_to_sms(message, now)
            else:
                retried += 1
            continue
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENT,
            attempts=F("attempts") + 1,
            provider_id=provider_id[:100],
            last_error="",
            sent_at=now,
            locked_until=None,
            payload=_without_seal(message),
        )
        sent += 1
    return DeliveryRun(sent, retried, failed, postponed)
