"""The one path by which anything that happens to an official document is recorded.

``record_outgoing_event`` / ``record_incoming_event`` append the event row (the document's
history; for incoming documents its TraceHeaderList) and hand it, in the same transaction, to
each subscriber in order: one audit entry per event, and for urgent incoming documents a
message to the people who must act now (NĐ 30/2020, Điều 4.2.c; Điều 23). Subscribers of
higher floors add themselves with ``subscribe`` from their ``AppConfig.ready()``.
``record_work_file_event`` and ``record_copy_event`` append the rows of work files and of
electronic copies, each with its audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from egov.accounts.actors import Actor, person
from egov.accounts.models import Role, RoleAssignment, User
from egov.audit.services import audit_record
from egov.documents.actions import CopyAction, IncomingAction, OutgoingAction
from egov.documents.models import (
    CopyEvent,
    ElectronicCopy,
    IncomingDocument,
    IncomingEvent,
    OutgoingDocument,
    OutgoingEvent,
    RemoteSigningEvent,
    RemoteSigningRequest,
    WorkFile,
    WorkFileEvent,
)
from egov.documents.search import index_event
from egov.notifications.services import Recipient, notification_enqueue
from egov.workdays.engine import VIETNAM_TZ

Event = IncomingEvent | OutgoingEvent
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


EventRow = TypeVar("EventRow", IncomingEvent, OutgoingEvent, WorkFileEvent, CopyEvent)


def _append(
    model: type[EventRow],
    owner: dict[str, Any],
    *,
    action: str,
    from_status: str,
    to_status: str,
    actor: Actor,
    reason: str,
    data: dict[str, Any] | None,
    at: dt.datetime | None = None,
) -> EventRow:
    """The next event row of ``owner`` (``{"document": …}`` or ``{"file": …}``): sequence
    max + 1, safe under the owner's row lock that the writing services take first."""
    ((name, value),) = owner.items()
    last = (
        model._default_manager.filter(**{name: value})
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    return model._default_manager.create(
        **owner,
        sequence=(last or 0) + 1,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=person(actor),
        at=at or timezone.now(),
        reason=reason,
        data=data or {},
    )


def _audit_step(event: WorkFileEvent | CopyEvent, name: str, target: Any) -> None:
    audit_record(
        actor=event.actor,
        action=name,
        target=target,
        details={
            "from": event.from_status,
            "to": event.to_status,
            "event": event.sequence,
            **(event.data or {}),
        },
    )


@transaction.atomic(savepoint=False)
def record_outgoing_event(
    *,
    document: OutgoingDocument,
    action: OutgoingAction,
    from_status: str,
    to_status: str,
    actor: Actor,
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> OutgoingEvent:
    # The document's row lock makes max + 1 safe (the writing services take it first).
    list(OutgoingDocument.objects.select_for_update().filter(pk=document.pk).values_list("pk"))
    event = _append(
        OutgoingEvent,
        {"document": document},
        action=OutgoingAction(action).value,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        data=data,
        at=at,
    )
    _publish(event)
    return event


@transaction.atomic(savepoint=False)
def record_incoming_event(
    *,
    document: IncomingDocument,
    action: IncomingAction,
    from_status: str,
    to_status: str,
    actor: Actor,
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> IncomingEvent:
    # The document's row lock makes max + 1 safe (the writing services take it first).
    list(IncomingDocument.objects.select_for_update().filter(pk=document.pk).values_list("pk"))
    event = _append(
        IncomingEvent,
        {"document": document},
        action=IncomingAction(action).value,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        data=data,
        at=at,
    )
    _publish(event)
    return event


@transaction.atomic(savepoint=False)
def record_work_file_event(
    *,
    file: WorkFile,
    action: str,
    from_status: str,
    to_status: str,
    actor: Actor,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> WorkFileEvent:
    """Append a work file's event row and its audit entry (``work_file.<action>``)."""
    event = _append(
        WorkFileEvent,
        {"file": file},
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        data=data,
    )
    _audit_step(event, f"work_file.{action}", file)
    return event


@transaction.atomic(savepoint=False)
def record_copy_event(
    *,
    copy: ElectronicCopy,
    action: CopyAction,
    from_status: str,
    to_status: str,
    actor: Actor,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> CopyEvent:
    """Append an electronic copy's event row and its audit entry (``document.copy.<action>``)."""
    # The copy's row lock makes max + 1 safe.
    list(ElectronicCopy.objects.select_for_update().filter(pk=copy.pk).values_list("pk"))
    event = _append(
        CopyEvent,
        {"document": copy},
        action=CopyAction(action).value,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        data=data,
    )
    _audit_step(event, f"document.copy.{event.action}", copy)
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
