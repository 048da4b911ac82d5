"""The lifecycle of a register entry as data, and the one function that moves an entry and
appends its event (``CertificationEvent``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Max
from django.utils import timezone

from egov.accounts.actors import Actor, person
from egov.certification.models import CertificationEntry, CertificationEvent, EntryState


class EntryAction(StrEnum):
    ISSUE = "issue"
    REVOKE = "revoke"


# "" is the entry's creation.
ENTRY_TRANSITIONS: dict[tuple[str, str], str] = {
    ("", EntryAction.ISSUE): EntryState.ISSUED,
    (EntryState.ISSUED, EntryAction.REVOKE): EntryState.REVOKED,
}


class IllegalTransition(ValueError):
    pass


def allowed(entry: CertificationEntry, action: str) -> bool:
    return (entry.state, action) in ENTRY_TRANSITIONS


def move(
    entry: CertificationEntry,
    action: EntryAction,
    *,
    actor: Actor | None,
    created: bool = False,
    data: dict[str, Any] | None = None,
) -> CertificationEvent:
    """Apply ``action`` to ``entry`` (``created``: the row was just saved in the target state)
    after checking the table, and append the event."""
    from_state = "" if created else entry.state
    target = ENTRY_TRANSITIONS.get((from_state, action))
    if target is None:
        raise IllegalTransition(f"{from_state!r} --{action}-->")
    if not created:
        entry.state = target
        entry.save(update_fields=["state"])
    last = CertificationEvent.objects.filter(entry=entry).aggregate(n=Max("sequence"))["n"] or 0
    return CertificationEvent.objects.create(
        entry=entry,
        sequence=last + 1,
        action=str(action),
        from_state=from_state,
        to_state=target,
        actor=person(actor) if actor is not None else None,
        at=timezone.now(),
        data=data or {},
    )
