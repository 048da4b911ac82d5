"""Writing messages to the outbox.

``notification_enqueue`` is called inside the transaction of the change it reports (a dossier
received, a result ready…): if that transaction rolls back, no message exists; if it commits,
the message exists even if every provider is down, and the worker is woken to deliver it
(``delivery.deliver_due``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from egov.core.text import without_diacritics
from egov.notifications.models import Channel, Message
from egov.notifications.sealing import MASK, SEALED_KEY, seal
from egov.notifications.tasks import deliver_notifications_task
from egov.org.models import Unit

EVENTS = (
    "phone_code",
    "submitted",
    "received",
    "supplement_requested",
    "refused",
    "apology",
    "extended",
    "awaiting_payment",
    "paid",
    "result_ready",
    "returned",
    # Official documents: an urgent incoming document for the people who must act (NĐ 30/2020
    # Điều 4.2.c: hỏa tốc, thượng khẩn, khẩn are handled at once).
    "urgent_document",
    # An incoming document's assignment: its deadline is near, or has passed.
    "document_due_soon",
    "document_overdue",
    # An outgoing document issued to an outside recipient with an e-mail address (Điều 18).
    "document_issued",
    # Phản ánh, kiến nghị (egov.feedback): received (with its tracking secret, sealed), more
    # information asked, refused, answered.
    "feedback_received",
    "feedback_info_requested",
    "feedback_refused",
    "feedback_answered",
    # A queue number taken at a service centre's kiosk with a phone (egov.centre).
    "queue_ticket",
    # An online appointment at a centre: booked (code and link), reminded before the slot.
    "appointment_booked",
    "appointment_reminder",
    # …cancelled by the centre (a day it cannot receive), with the reason.
    "appointment_cancelled",
)
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

    waiting = DBTaskResult.objects.filter(
        status="READY",
        task_path="egov.notifications.tasks.deliver_notifications_task",
        run_after=get_date_max(),  # not a retry scheduled for later
    )
    if not waiting.exists():
        deliver_notifications_task.enqueue()
