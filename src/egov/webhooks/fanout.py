"""Fan-out: the subscriber that both event paths (``egov.dossiers.events``,
``egov.documents.events``) call inside the transaction of the domain event. It writes the
CloudEvent once and one pending delivery per matching subscription, so they exist if and only
if the domain event does; the worker is woken after the commit (``tasks``).

Data minimisation: ``data`` carries codes, statuses, unit and procedure codes and dates —
never a name, an identity number, an address or a reason typed by staff. Secret documents
(mật and above) send no event at all.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from egov.documents.actions import IncomingAction, OutgoingAction
from egov.documents.models import IncomingEvent, OutgoingEvent
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import DossierEvent, DossierStatus
from egov.org.models import Unit
from egov.webhooks.catalogue import EventType
from egov.webhooks.models import Delivery, DeliveryState, Subscription, WebhookEvent

# Fixed namespace: the id of (domain event, type) is the same every time it is computed, so a
# second fan-out of one domain event could never make a second CloudEvent.
NAMESPACE = uuid.UUID("6f1d3c2e-4b9a-5e7d-8c10-2a9f0b7e4d31")


def rfc3339(value: dt.datetime | None) -> str | None:
    """UTC with ``Z``, to the second: one form in every payload."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def unit_code(unit: Unit | None) -> str | None:
    # The electronic unit code (mã định danh, QCVN 102:2016); the data key where a unit has none.
    if unit is None:
        return None
    return unit.code or unit.key


def dossier_types(event: DossierEvent) -> list[EventType]:
    action = event.action
    types: list[EventType] = []
    if action == DossierAction.SUBMIT_ONLINE:
        types.append(EventType.DOSSIER_SUBMITTED)
    if action in {DossierAction.RECEIVE, DossierAction.ACCEPT_ONLINE}:
        types.append(EventType.DOSSIER_RECEIVED)
    if event.from_status and event.from_status != event.to_status:
        types.append(EventType.DOSSIER_STATUS_CHANGED)
    if action in {DossierAction.EXTEND, DossierAction.APOLOGISE}:
        types.append(EventType.DOSSIER_DUE_CHANGED)
    if event.to_status == DossierStatus.RESULT_READY and event.from_status != event.to_status:
        types.append(EventType.DOSSIER_RESULT_READY)
    if action in {DossierAction.PAID, DossierAction.RECORD_PAYMENT}:
        types.append(EventType.PAYMENT_RECORDED)
    return types


def dossier_data(event: DossierEvent, kind: EventType) -> dict[str, Any]:
    dossier = event.dossier
    version = dossier.procedure_version
    data: dict[str, Any] = {
        "dossier": dossier.code,
        "sequence": event.sequence,
        "action": event.action,
        "from_status": event.from_status or None,
        "status": event.to_status,
        "channel": dossier.channel,
        "unit": unit_code(dossier.receiving_unit),
        "handling_unit": unit_code(dossier.handling_unit),
        "procedure": version.procedure.public_code,
        "due_at": rfc3339(dossier.due_at),
    }
    if kind == EventType.DOSSIER_RESULT_READY:
        data["result_code"] = dossier.result_code or None
    if kind == EventType.PAYMENT_RECORDED:
        amount = event.data.get("amount")
        data["amount"] = amount if isinstance(amount, int) else None
        data["method"] = str(event.data.get("method", "")) or None
        # The "paid" step confirms a financial obligation; record_payment names its purpose.
        data["purpose"] = str(event.data.get("purpose", "obligation"))
    return data


def _dossier_scope(event: DossierEvent) -> tuple[set[int], int]:
    dossier = event.dossier
    version = dossier.procedure_version
    units = {
        dossier.receiving_unit_id,
        dossier.handling_unit_id,
        dossier.partner_unit_id,
        version.competent_unit_id,
    }
    return {u for u in units if u is not None}, version.procedure_id


def _matching(kind: str, units: set[int], procedure: int | None) -> list[Subscription]:
    """Subscriptions of live clients to ``kind`` whose filters let the event through (paused
    ones too: their deliveries wait for the resume)."""
    candidates = (
        Subscription.objects.filter(owner__active=True, owner__revoked_at__isnull=True)
        .prefetch_related("units", "procedures")
        .order_by("id")
    )
    found = []
    for subscription in candidates:
        if kind not in subscription.event_types:
            continue
        unit_filter = {u.pk for u in subscription.units.all()}
        if unit_filter and not unit_filter & units:
            continue
        procedure_filter = {p.pk for p in subscription.procedures.all()}
        if procedure_filter and procedure not in procedure_filter:
            continue
        found.append(subscription)
    return found


def _publish(
    *,
    origin: str,
    kind: EventType,
    family: str,
    subject: str,
    at: dt.datetime,
    data: dict[str, Any],
    subscriptions: Iterable[Subscription],
) -> WebhookEvent | None:
    subscriptions = list(subscriptions)
    if not subscriptions:
        return None
    event_id = uuid.uuid5(NAMESPACE, f"{origin}:{kind.value}")
    envelope = {
        "specversion": "1.0",
        "id": str(event_id),
        "source": f"{settings.EGOV_WEBHOOKS_SOURCE}/{family}",
        "type": f"{settings.EGOV_WEBHOOKS_TYPE_PREFIX}.{kind.value}",
        "subject": subject,
        "time": rfc3339(at),
        "datacontenttype": "application/json",
        "data": data,
    }
    body = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
    event = WebhookEvent.objects.create(
        id=event_id, type=kind.value, subject=subject[:60], time=at, body=body
    )
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(
            event=event,
            subscription=s,
            state=DeliveryState.PENDING,
            next_attempt_at=now,
            created_at=now,
        )
        for s in subscriptions
    )
    transaction.on_commit(wake_worker)
    return event


def wake_worker() -> None:
    from egov.webhooks.tasks import wake

    wake()


def on_dossier_event(event: DossierEvent) -> None:
    """Subscriber of ``egov.dossiers.events``."""
    kinds = dossier_types(event)
    if not kinds:
        return
    units, procedure = _dossier_scope(event)
    for kind in kinds:
        _publish(
            origin=f"dossier-event:{event.pk}",
            kind=kind,
            family="dossiers",
            subject=event.dossier.code,
            at=event.at,
            data=dossier_data(event, kind),
            subscriptions=_matching(kind.value, units, procedure),
        )


def document_types(event: IncomingEvent | OutgoingEvent) -> list[EventType]:
    if isinstance(event, OutgoingEvent):
        return [EventType.DOCUMENT_ISSUED] if event.action == OutgoingAction.ISSUE else []
    if event.action == IncomingAction.RECEIVE:
        return [EventType.DOCUMENT_RECEIVED]
    if event.action == IncomingAction.REGISTER:
        return [EventType.DOCUMENT_REGISTERED]
    return []


def document_data(event: IncomingEvent | OutgoingEvent) -> dict[str, Any]:
    document = event.document
    number = document.code_number
    code = f"{number}/{document.code_notation}" if number else ""
    data: dict[str, Any] = {
        "document": document.pk,
        "direction": "outgoing" if isinstance(event, OutgoingEvent) else "incoming",
        "sequence": event.sequence,
        "status": event.to_status or document.status,
        "code": code or None,
        "document_type": document.document_type.key if document.document_type else None,
        "agency": unit_code(document.agency),
        "issued_date": document.issued_date.isoformat() if document.issued_date else None,
        "urgency": document.urgency or None,
        "due_date": document.due_date.isoformat() if document.due_date else None,
    }
    if isinstance(event, IncomingEvent):
        data["organ_id"] = event.document.organ_id or None
    return data


def on_document_event(event: IncomingEvent | OutgoingEvent) -> None:
    """Subscriber of ``egov.documents.events``."""
    kinds = document_types(event)
    if not kinds or event.document.is_secret:
        return
    direction = "out" if isinstance(event, OutgoingEvent) else "in"
    units = {event.document.agency_id}
    for kind in kinds:
        _publish(
            origin=f"document-{direction}-event:{event.pk}",
            kind=kind,
            family="documents",
            subject=f"{direction}-{event.document.pk}",
            at=event.at,
            data=document_data(event),
            subscriptions=_matching(kind.value, units, None),
        )
