"""The lifecycles of the exchange log as data, and the one function that moves a row and
appends its event (``ExchangeEvent``)."""

from __future__ import annotations

from typing import Any

from egov.accounts.actors import Actor, person
from egov.exchange.models import (
    ExchangeEvent,
    ReceivedPackage,
    ReceivedState,
    SentPackage,
    SentState,
    StatusMessage,
    StatusState,
)

Row = SentPackage | ReceivedPackage | StatusMessage

# A sent package or status message leaves the queue once: accepted by the axis (sent) or
# refused by it (failed). "" is the row's creation.
SENT_TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({SentState.QUEUED}),
    SentState.QUEUED: frozenset({SentState.SENT, SentState.FAILED}),
}
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({StatusState.QUEUED, StatusState.APPLIED, StatusState.UNMATCHED}),
    StatusState.QUEUED: frozenset({StatusState.SENT, StatusState.FAILED}),
}
# A received document waits in "chờ tiếp nhận" as an incoming document (its own lifecycle
# in egov.documents); the package itself only ends replaced. A recall waits for the clerk.
RECEIVED_TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({ReceivedState.RECEIVED, ReceivedState.INVALID, ReceivedState.RECALL_REQUESTED}),
    ReceivedState.RECEIVED: frozenset({ReceivedState.REPLACED}),
    ReceivedState.RECALL_REQUESTED: frozenset(
        {ReceivedState.RECALL_AGREED, ReceivedState.RECALL_REFUSED}
    ),
}


class IllegalTransition(ValueError):
    pass


def _table(row: Row) -> dict[str, frozenset[str]]:
    if isinstance(row, SentPackage):
        return SENT_TRANSITIONS
    if isinstance(row, StatusMessage):
        return STATUS_TRANSITIONS
    return RECEIVED_TRANSITIONS


def move(
    row: Row,
    to_state: str,
    *,
    actor: Actor | None = None,
    data: dict[str, Any] | None = None,
    created: bool = False,
    fields: tuple[str, ...] = (),
) -> ExchangeEvent:
    """Move ``row`` to ``to_state`` (``created``: the row was just created in that state)
    after checking the table, save its ``fields`` with the state, and append the event."""
    from_state = "" if created else row.state
    if to_state not in _table(row).get(from_state, frozenset()):
        raise IllegalTransition(f"{type(row).__name__} {from_state!r} → {to_state!r}")
    row.state = to_state
    if not created:
        row.save(update_fields=["state", *fields])
    subject = {
        SentPackage: "sent",
        ReceivedPackage: "received",
        StatusMessage: "status",
    }[type(row)]
    return ExchangeEvent.objects.create(
        **{subject: row},
        from_state=from_state,
        to_state=to_state,
        actor=person(actor) if actor is not None else None,
        data=data or {},
    )
