"""The lifecycle of an online appointment as data, and the one function that moves an
appointment and appends its event (``AppointmentEvent``).

booked ─check_in→ checked_in      (at the kiosk, by code or QR: a number is taken)
booked ─cancel→ cancelled         (by the citizen on their page)
booked ─expire→ no_show           (not come by the slot's start + the grace minutes)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Max
from django.utils import timezone

from egov.accounts.actors import Actor, person
from egov.centre.models import Appointment, AppointmentEvent, AppointmentState


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


class IllegalAppointmentTransition(ValueError):
    pass


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
    from_state = "" if created else appointment.state
    target = APPOINTMENT_TRANSITIONS.get((from_state, action))
    if target is None:
        raise IllegalAppointmentTransition(f"{from_state!r} --{action}-->")
    if not created:
        appointment.state = target
        appointment.save(update_fields=["state", *update_fields])
    last = (
        AppointmentEvent.objects.filter(appointment=appointment).aggregate(n=Max("sequence"))["n"]
        or 0
    )
    return AppointmentEvent.objects.create(
        appointment=appointment,
        sequence=last + 1,
        action=str(action),
        from_state=from_state,
        to_state=target,
        actor=person(actor) if actor is not None else None,
        at=timezone.now(),
        data=data or {},
    )
