"""The lifecycle of a queue ticket as data, and the one function that moves a ticket and
appends its event (``TicketEvent``).

waiting ─call→ called ─start→ serving ─finish→ done
            called ─recall→ called       called ─skip→ skipped ─recall→ called
            called|skipped ─no_show→ no_show
            called|serving ─transfer→ waiting (another line or counter)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from egov.accounts.actors import Actor, person
from egov.centre.models import Counter, Ticket, TicketEvent, TicketState
from egov.core.lifecycle import IllegalTransition as IllegalTransition
from egov.core.lifecycle import append_event, next_state

__all__ = [
    "CALLING_ACTIONS",
    "TICKET_TRANSITIONS",
    "IllegalTransition",
    "TicketAction",
    "allowed",
    "move",
]


class TicketAction(StrEnum):
    ISSUE = "issue"
    CALL = "call"
    RECALL = "recall"
    START = "start"
    SKIP = "skip"
    NO_SHOW = "no_show"
    TRANSFER = "transfer"
    FINISH = "finish"


# "" is the ticket's creation.
TICKET_TRANSITIONS: dict[tuple[str, str], str] = {
    ("", TicketAction.ISSUE): TicketState.WAITING,
    (TicketState.WAITING, TicketAction.CALL): TicketState.CALLED,
    (TicketState.CALLED, TicketAction.RECALL): TicketState.CALLED,
    (TicketState.SKIPPED, TicketAction.RECALL): TicketState.CALLED,
    (TicketState.CALLED, TicketAction.START): TicketState.SERVING,
    (TicketState.CALLED, TicketAction.SKIP): TicketState.SKIPPED,
    (TicketState.CALLED, TicketAction.NO_SHOW): TicketState.NO_SHOW,
    (TicketState.SKIPPED, TicketAction.NO_SHOW): TicketState.NO_SHOW,
    (TicketState.CALLED, TicketAction.TRANSFER): TicketState.WAITING,
    (TicketState.SERVING, TicketAction.TRANSFER): TicketState.WAITING,
    (TicketState.SERVING, TicketAction.FINISH): TicketState.DONE,
}
# Actions that put a number on the display board.
CALLING_ACTIONS = (TicketAction.CALL, TicketAction.RECALL)


def allowed(ticket: Ticket, action: str) -> bool:
    return (ticket.state, action) in TICKET_TRANSITIONS


def move(
    ticket: Ticket,
    action: TicketAction,
    *,
    actor: Actor | None,
    counter: Counter | None = None,
    created: bool = False,
    data: dict[str, Any] | None = None,
    update_fields: tuple[str, ...] = (),
) -> TicketEvent:
    """Apply ``action`` to ``ticket`` (``created``: the row was just saved in the target
    state) after checking the table, save ``update_fields`` with the new state, and append
    the event."""
    from_state, target = next_state(TICKET_TRANSITIONS, ticket.state, action, created=created)
    if not created:
        ticket.state = target
        ticket.save(update_fields=["state", *update_fields])
    return append_event(
        TicketEvent,
        "ticket",
        ticket,
        action=action,
        from_state=from_state,
        to_state=target,
        by=person(actor) if actor is not None else None,
        counter=counter,
        data=data or {},
    )
