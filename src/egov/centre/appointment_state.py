"""The lifecycle of an online appointment as data, and the one function that moves an
appointment and appends its event (``AppointmentEvent``).

booked ─check_in→ checked_in      (at the kiosk, by code or QR: a number is taken)
booked ─cancel→ cancelled         (by the citizen on their page)
booked ─expire→ no_show           (not come by the slot's start + the grace minutes)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from egov.accounts.actors import Actor, person
from egov.centre.models import Appointment, AppointmentEvent, AppointmentState
from egov.core.lifecycle import append_event, next_state


class AppointmentAction(StrEnum):
    BOOK = "book"
    CHECK_IN = "check_in"
    CANCEL = "cancel"
    EXPIRE = "expire"


# "" is the appointment's creation.
APPOINTMENT_TRANSITIONS: dict[tuple[str, str], str] = {
    ("", AppointmentAction.BOOK): AppointmentState.BOOKED,
    (AppointmentState.BOOKED, AppointmentAction.CHECK_IN): AppointmentState.CHECKED_IN,
    (AppointmentState.BOOKED, AppointmentAction.CANCEL): AppointmentState.CANCELLED,
    (AppointmentState.BOOKED, AppointmentAction.EXPIRE): AppointmentState.NO_SHOW,
}


def allowed(appointment: Appointment, action: str) -> bool:
    return (appointment.state, action) in APPOINTMENT_TRANSITIONS


def move(
    appointment: Appointment,
    action: AppointmentAction,
    *,
    actor: Actor | None,
    created: bool = False,
    data: dict[str, Any] | None = None,
    update_fields: tuple[str, ...] = (),
) -> AppointmentEvent:
    """Apply ``action`` to ``appointment`` (``created``: the row was just saved in the target
    state) after checking the table, save ``update_fields`` with the new state, and append
    the event."""
    from_state, target = next_state(
        APPOINTMENT_TRANSITIONS, appointment.state, action, created=created
    )
    if not created:
        appointment.state = target
        appointment.save(update_fields=["state", *update_fields])
    return append_event(
        AppointmentEvent,
        "appointment",
        appointment,
        action=action,
        from_state=from_state,
        to_state=target,
        by=person(actor) if actor is not None else None,
        data=data or {},
    )
