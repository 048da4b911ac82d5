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

from django.db.models import Max
from django.utils import timezone

from egov.accounts.actors import Actor, person
from egov.centre.models import Counter, Ticket, TicketEvent, TicketState


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


class IllegalTransition(ValueError):
    pass


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
    from_state = "" if created else ticket.state
    target = TICKET_TRANSITIONS.get((from_state, action))
    if target is None:
        raise IllegalTransition(f"{from_state!r} --{action}-->")
    now = timezone.now()
    if not created:
        ticket.state = target
        ticket.save(update_fields=["state", *update_fields])
    last = TicketEvent.objects.filter(ticket=ticket).aggregate(n=Max("sequence"))["n"] or 0
    return TicketEvent.objects.create(
        ticket=ticket,
        sequence=last + 1,
        action=str(action),
        from_state=from_state,
        to_state=target,
        counter=counter,
        actor=person(actor) if actor is not None else None,
        at=now,
        data=data or {},
    )
