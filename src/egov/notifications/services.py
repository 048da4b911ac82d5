"""Writing messages to the outbox and delivering them.

``notification_enqueue`` is called inside the transaction of the change it reports (a dossier
received, a result ready…): if that transaction rolls back, no message exists; if it commits,
the message exists even if every provider is down. ``deliver_due`` (the background worker,
or ``send_notifications``) sends what is due, outside any transaction, and reschedules
failures with a growing delay, so a provider outage delays messages but loses none. Each
message carries a unique key passed to the provider as its request id, so a retry after a
lost answer is not delivered twice by providers that honour it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from egov.core.text import without_diacritics
from egov.notifications.channels import DeliveryError, Outgoing, backend_for
from egov.notifications.models import Channel, Message, MessageStatus
from egov.notifications.sealing import MASK, SEALED_KEY, seal, unseal
from egov.org.models import Unit

EVENTS = (
    "phone_code",
    "submitted",
    "received",
    "supplement_requested",
    "refused",
    "apology",
    "awaiting_payment",
    "paid",
    "result_ready",
    "returned",
)
LEASE = dt.timedelta(minutes=5)
FIRST_DELAY = dt.timedelta(seconds=30)
MAX_DELAY = dt.timedelta(minutes=10)
SMS_LIMIT = 306  # two concatenated non-Unicode SMS


@dataclass(frozen=True)
class Recipient:
    email: str = ""
    phone: str = ""  # E.164 (+84…)


def _render(name: str, context: dict[str, Any]) -> str:
    return render_to_string(f"notifications/{name}", context).strip()


def zalo_parameters(context: dict[str, Any]) -> dict[str, str]:
    """The parameters every ZNS template registered for egov must declare."""
    return {
        "ma_ho_so": str(context.get("code", ""))[:30],
        "thu_tuc": str(context.get("procedure", ""))[:100],
        "noi_dung": str(context.get("headline", ""))[:100],
        "ngay": str(context.get("date", ""))[:30],
    }


def _sms_text(event: str, context: dict[str, Any]) -> str:
    text = without_diacritics(" ".join(_render(f"{event}.sms.txt", context).split()))
    return text[:SMS_LIMIT]


def notification_enqueue(
    *,
    event: str,
    reference: str,
    recipient: Recipient,
    context: dict[str, Any],
    sealed: dict[str, str] | None = None,
    unit: Unit | None = None,
) -> list[Message]:
    """Write this event's messages for ``recipient`` (e-mail, and Zalo or SMS) to the outbox;
    wake the worker once the surrounding transaction commits.

    ``sealed`` holds template values nobody may read back from the outbox (one-time codes):
    the stored text shows them masked, the real text is kept encrypted for the worker only
    (``notifications.sealing``), and such messages never go through Zalo, whose template
    parameters would carry the value in clear."""
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event}")
    now = timezone.now()
    rows: list[Message] = []
    with translation.override("vi"):  # messages to citizens are Vietnamese
        context = {**context, "public_url": settings.EGOV_PUBLIC_URL}
        shown = {**context, **dict.fromkeys(sealed or {}, MASK)}
        real = {**context, **(sealed or {})}
        if recipient.email:
            rows.append(
                Message(
                    channel=Channel.EMAIL,
                    recipient=recipient.email,
                    event=event,
                    reference=reference,
                    unit=unit,
                    subject=_render(f"{event}.subject.txt", shown)[:255],
                    body=_render(f"{event}.email.txt", shown),
                    payload={SEALED_KEY: seal(_render(f"{event}.email.txt", real))}
                    if sealed
                    else {},
                    next_attempt_at=now,
                    created_at=now,
                )
            )
        if recipient.phone:
            text = _sms_text(event, shown)
            template = settings.EGOV_ZALO_TEMPLATES.get(event)
            payload: dict[str, Any]
            if sealed:
                payload, channel = {SEALED_KEY: seal(_sms_text(event, real))}, Channel.SMS
            elif settings.EGOV_ZALO_BACKEND != "off" and template:
                payload = {
                    "template_id": template,
                    "template_data": zalo_parameters(context),
                    "fallback_sms": text,
                }
                channel = Channel.ZALO
            else:
                payload, channel = {}, Channel.SMS
            rows.append(
                Message(
                    channel=channel,
                    recipient=recipient.phone,
                    event=event,
                    reference=reference,
                    unit=unit,
                    body=text,
                    payload=payload,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    Message.objects.bulk_create(rows)
    if rows:
        transaction.on_commit(_wake_worker)
    return rows


def _wake_worker() -> None:
    """Enqueue one delivery run, unless one is already waiting (a transaction that wrote many
    messages, e.g. a batch, wakes the worker once)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    from egov.notifications.tasks import deliver_notifications_task

    waiting = DBTaskResult.objects.filter(
        status="READY",
        task_path="egov.notifications.tasks.deliver_notifications_task",
        run_after=get_date_max(),  # not a retry scheduled for later
    )
    if not waiting.exists():
        deliver_notifications_task.enqueue()


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
