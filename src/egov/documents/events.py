"""The one path by which anything that happens to an official document is recorded.

``record_event`` appends the event row of a document (its history; for incoming documents its
TraceHeaderList) or of a work file. A document's event goes, in the same transaction, to each
subscriber in order: one audit entry per event, and for urgent incoming documents a
message to the people who must act now (NĐ 30/2020, Điều 4.2.c; Điều 23). Subscribers of
higher floors add themselves with ``subscribe`` from their ``AppConfig.ready()``.
The rows of work files and of electronic copies go to the audit trail only;
``record_remote_signing_event`` appends the steps of a remote signing request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from egov.accounts.actors import Actor, person
from egov.accounts.models import Role, RoleAssignment, User
from egov.audit.services import audit_record
from egov.documents.actions import IncomingAction
from egov.documents.event_rows import EventRow
from egov.documents.models import (
    CopyEvent,
    IncomingEvent,
    OutgoingEvent,
    RemoteSigningEvent,
    RemoteSigningRequest,
    WorkFileEvent,
)
from egov.documents.search import index_event
from egov.notifications.services import Recipient, notification_enqueue
from egov.workdays.engine import VIETNAM_TZ

Event = IncomingEvent | OutgoingEvent
Row = TypeVar("Row", bound=EventRow)
Subscriber = Callable[[Event], None]


def audit_event(event: Event) -> None:
    """One audit entry per event: ``document.in.<action>`` / ``document.out.<action>``."""
    direction = "in" if isinstance(event, IncomingEvent) else "out"
    audit_record(
        actor=event.actor,
        action=f"document.{direction}.{event.action}",
        target=event.document,
        details={"from": event.from_status, "to": event.to_status, "event": event.sequence},
    )


def _urgent_recipients(event: IncomingEvent) -> list[User]:
    document = event.document
    today = timezone.localdate()
    if event.action == IncomingAction.REGISTER:
        # Registered: the agency's leaders must distribute it now.
        held = RoleAssignment.objects.valid_on(today).filter(
            unit=document.agency, role=Role.DEPARTMENT_LEADER
        )
        return [a.user for a in held.select_related("user")]
    if event.action == IncomingAction.DISTRIBUTE:
        users: list[User] = []
        for assignment in document.assignments.select_related("person", "unit"):
            if assignment.person is not None:
                users.append(assignment.person)
            elif assignment.unit is not None:
                held = RoleAssignment.objects.valid_on(today).filter(
                    unit=assignment.unit, role=Role.DEPARTMENT_LEADER
                )
                users.extend(a.user for a in held.select_related("user"))
        return users
    return []


def notify_urgent(event: Event) -> None:
    """An urgent incoming document (khẩn, thượng khẩn, hỏa tốc) is pushed at once to the
    people who must act on it: the leaders when it is registered, the assignees when it is
    distributed (through the notifications outbox, e-mail to their accounts)."""
    if not isinstance(event, IncomingEvent) or not event.document.is_urgent:
        return
    document = event.document
    seen: set[int] = set()
    for user in _urgent_recipients(event):
        if user.pk in seen or not user.email:
            continue
        seen.add(user.pk)
        notification_enqueue(
            event="urgent_document",
            reference=f"VBD-{document.pk}",
            recipient=Recipient(email=user.email),
            context={
                "headline": document.get_urgency_display(),
                "code": f"{document.code_number}/{document.code_notation}".strip("/"),
                "organ": document.organ_name,
                # Never the subject of a secret document in a message.
                "subject": "(văn bản mật)" if document.is_secret else document.subject,
                "unit": document.agency.name,
                "date": f"{document.due_date:%d/%m/%Y}" if document.due_date else "",
                "path": f"/staff/van-ban-den/{document.pk}/",
            },
            unit=document.agency,
        )


SUBSCRIBERS: tuple[Subscriber, ...] = (index_event, audit_event, notify_urgent)
_LATER: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    """Add a subscriber of a higher-floor app (from its ``AppConfig.ready()``)."""
    if subscriber not in _LATER and subscriber not in SUBSCRIBERS:
        _LATER.append(subscriber)


def unsubscribe(subscriber: Subscriber) -> None:
    if subscriber in _LATER:
        _LATER.remove(subscriber)


def subscribers() -> tuple[Subscriber, ...]:
    return (*SUBSCRIBERS, *_LATER)


def _publish(event: Event) -> None:
    for subscriber in subscribers():
        subscriber(event)


def audit_step(event: WorkFileEvent | CopyEvent) -> None:
    """The event of a work file or an electronic copy is only audited (``work_file.<action>``,
    ``document.copy.<action>``), with the event's data."""
    target: models.Model
    if isinstance(event, WorkFileEvent):
        name, target = f"work_file.{event.action}", event.file
    else:
        name, target = f"document.copy.{event.action}", event.document
    audit_record(
        actor=event.actor,
        action=name,
        target=target,
        details={
            "from": event.from_status,
            "to": event.to_status,
            "event": event.sequence,
            **event.data,
        },
    )


@transaction.atomic(savepoint=False)
def record_event(
    model: type[Row],
    *,
    of: models.Model,
    action: str,
    from_status: str,
    to_status: str,
    actor: Actor,
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> Row:
    """Append the next ``model`` row of ``of`` (a document, a work file or an electronic copy),
    recorded as done by ``actor`` when it is a signed-in person; a document's event then goes
    to every subscriber, a work file's or a copy's to the audit trail."""
    lifecycle = {model.lifecycle_field: of}
    # The row lock on ``of`` makes max + 1 safe (the writing services take it first).
    list(type(of)._default_manager.select_for_update().filter(pk=of.pk).values_list("pk"))
    events = model._default_manager.filter(**lifecycle)
    last = events.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    event = model._default_manager.create(
        **lifecycle,
        sequence=last + 1,
        action=model.actions(action).value,
        from_status=from_status,
        to_status=to_status,
        actor=person(actor),
        at=at or timezone.now(),
        reason=reason,
        data=data or {},
    )
    if isinstance(event, WorkFileEvent | CopyEvent):
        audit_step(event)
    elif isinstance(event, IncomingEvent | OutgoingEvent):
        _publish(event)
    return event


@transaction.atomic(savepoint=False)
def record_remote_signing_event(
    *,
    request: RemoteSigningRequest,
    from_state: str,
    to_state: str,
    actor: Actor,
    data: dict[str, Any] | None = None,
) -> RemoteSigningEvent:
    """Append a remote signing request's event row and its audit entry
    (``document.remote_signing.<state>``). The caller holds the request's row lock."""
    last = request.events.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    event = RemoteSigningEvent.objects.create(
        request=request,
        sequence=last + 1,
        from_state=from_state,
        to_state=to_state,
        at=timezone.now(),
        data=data or {},
    )
    audit_record(
        actor=actor,
        action=f"document.remote_signing.{to_state}",
        target=request,
        details={"from": from_state, "to": to_state, "event": event.sequence, **(data or {})},
    )
    return event


def local_moment(value: dt.datetime) -> str:
    return f"{value.astimezone(VIETNAM_TZ):%H:%M %d/%m/%Y}"
