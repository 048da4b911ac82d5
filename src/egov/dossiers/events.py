"""The one path by which anything that happens to a dossier is recorded.

``record_event`` appends the event row (the dossier's numbered history, from which the control
sheet Mẫu 05 and the timelines are printed) and hands it, inside the same transaction, to each
subscriber in ``SUBSCRIBERS``, in order. A subscriber writes its own rows in that transaction
(an audit entry, messages in the notifications outbox) so they exist if and only if the event
does; anything that leaves the process goes through the outbox or ``transaction.on_commit``,
never straight from a subscriber. Subscribers are listed here explicitly, not connected through
Django signals: reading this tuple tells everything an event sets off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.accounts.actors import Actor, person
from egov.audit.services import audit_record
from egov.dossiers.actions import DossierAction
from egov.dossiers.digitisation_flags import digitisation_flags_on_event
from egov.dossiers.models import Dossier, DossierEvent
from egov.dossiers.notifying import notify_applicant

Subscriber = Callable[[DossierEvent], None]


def audit_event(event: DossierEvent) -> None:
    """One audit entry per event: ``dossier.<action>``, with the statuses and its sequence."""
    audit_record(
        actor=event.actor,
        action=f"dossier.{event.action}",
        target=event.dossier,
        details={"from": event.from_status, "to": event.to_status, "event": event.sequence},
    )


# In order: the subscribers of this app and the floors below it.
SUBSCRIBERS: tuple[Subscriber, ...] = (digitisation_flags_on_event, notify_applicant, audit_event)

# Subscribers of apps on higher floors (webhooks, national-portal sync), which ``dossiers`` may
# not import: each such app adds its own from its ``AppConfig.ready()`` with ``subscribe``, so
# the list is still written out in code, once, at start-up — not connected per signal.
_LATER: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    """Add a subscriber of a higher-floor app, run after ``SUBSCRIBERS`` (call it from that
    app's ``AppConfig.ready()``; adding the same one twice has no effect)."""
    if subscriber not in _LATER and subscriber not in SUBSCRIBERS:
        _LATER.append(subscriber)


def unsubscribe(subscriber: Subscriber) -> None:
    if subscriber in _LATER:
        _LATER.remove(subscriber)


def subscribers() -> tuple[Subscriber, ...]:
    """Everything an event sets off, in order."""
    return (*SUBSCRIBERS, *_LATER)


@transaction.atomic(savepoint=False)  # inside the caller's transaction, no extra savepoint
def record_event(
    *,
    dossier: Dossier,
    action: DossierAction,
    from_status: str,
    to_status: str,
    actor: Actor,
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> DossierEvent:
    """Append the next event of ``dossier`` (recorded as done by ``actor`` when it is a
    signed-in person, by nobody otherwise) and run every subscriber on it."""
    last = dossier.events.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    event = DossierEvent.objects.create(
        dossier=dossier,
        sequence=last + 1,
        action=DossierAction(action).value,
        from_status=from_status,
        to_status=to_status,
        actor=person(actor),
        at=at or timezone.now(),
        reason=reason,
        data=data or {},
    )
    for subscriber in subscribers():
        subscriber(event)
    return event
