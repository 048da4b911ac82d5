"""The lifecycle of a register entry as data, and the one function that moves an entry and
appends its event (``CertificationEvent``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from egov.accounts.actors import Actor, person
from egov.certification.models import CertificationEntry, CertificationEvent, EntryState
from egov.core.lifecycle import IllegalTransition as IllegalTransition
from egov.core.lifecycle import append_event, next_state


class EntryAction(StrEnum):
    ISSUE = "issue"
    REVOKE = "revoke"


# "" is the entry's creation.
ENTRY_TRANSITIONS: dict[tuple[str, str], str] = {
    ("", EntryAction.ISSUE): EntryState.ISSUED,
    (EntryState.ISSUED, EntryAction.REVOKE): EntryState.REVOKED,
}


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
    from_state, target = next_state(ENTRY_TRANSITIONS, entry.state, action, created=created)
    if not created:
        entry.state = target
        entry.save(update_fields=["state"])
    return append_event(
        CertificationEvent,
        "entry",
        entry,
        action=action,
        from_state=from_state,
        to_state=target,
        by=person(actor) if actor is not None else None,
        data=data or {},
    )
