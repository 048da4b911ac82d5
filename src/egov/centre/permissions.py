"""Who may work a centre's queue — the one place that answers it.

Receptionists (role ``receptionist`` today at the centre) open a counter there and call, serve
and transfer its tickets; the centre's leaders and supervisors read its queue and measures.
Tickets are public only through their random ``track_key`` (the QR on the paper ticket) and,
as numbers without personal data, on the centre's display board.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from egov.accounts.actors import Actor, person
from egov.accounts.models import Role, RoleAssignment
from egov.centre.models import HOLDING_STATES, Appointment, Counter, CounterSession, Ticket
from egov.core.inputs import column_length, has_control_chars
from egov.org.models import RECEIVING_KINDS, Unit

RECEPTION_ROLES = frozenset({Role.RECEPTIONIST})
OVERSIGHT_ROLES = frozenset({Role.CENTRE_LEADER, Role.SUPERVISOR})


def _centres_with_roles(actor: Actor, roles: frozenset[str]) -> QuerySet[Unit]:
    user = person(actor)
    if user is None:
        return Unit.objects.none()
    held = (
        RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(user=user, role__in=sorted(roles))
        .values("unit_id")
    )
    return Unit.objects.filter(pk__in=held, kind__in=RECEIVING_KINDS).order_by("name", "pk")


def reception_centres(actor: Actor) -> QuerySet[Unit]:
    """Centres where ``actor`` receives applicants today (may open a counter there)."""
    return _centres_with_roles(actor, RECEPTION_ROLES)


def overseen_centres(actor: Actor) -> QuerySet[Unit]:
    """Centres whose queue and measures ``actor`` reads (leaders and supervisors)."""
    return _centres_with_roles(actor, OVERSIGHT_ROLES)


def counters_to_open(actor: Actor) -> QuerySet[Counter]:
    """Active counters of the centres where ``actor`` receives today."""
    return Counter.objects.filter(centre__in=reception_centres(actor), active=True).select_related(
        "centre"
    )


def get_counter_to_open(actor: Actor, pk: int) -> Counter | None:
    return counters_to_open(actor).filter(pk=pk).first()


def own_open_session(actor: Actor) -> CounterSession | None:
    """The counter session ``actor`` has open, if they still receive at its centre."""
    user = person(actor)
    if user is None:
        return None
    return (
        CounterSession.objects.filter(
            user=user, closed_at__isnull=True, counter__centre__in=reception_centres(actor)
        )
        .select_related("counter", "counter__centre")
        .first()
    )


def get_ticket_at_centre(actor: Actor, pk: int) -> Ticket | None:
    """A ticket of a centre where ``actor`` receives today (None otherwise: not probeable)."""
    return (
        Ticket.objects.filter(pk=pk, centre__in=reception_centres(actor))
        .select_related("line", "centre", "counter")
        .first()
    )


def get_overseen_centre(actor: Actor, pk: int) -> Unit | None:
    return overseen_centres(actor).filter(pk=pk).first()


def public_ticket(track_key: str) -> Ticket | None:
    """The ticket behind a QR code (anyone holding the paper ticket may follow it)."""
    # A NUL byte reaches PostgreSQL as an error (a 500), not as "no such ticket".
    if not track_key or len(track_key) > 24 or has_control_chars(track_key):
        return None
    return Ticket.objects.filter(track_key=track_key).select_related("line", "centre").first()


def public_centre(key: str) -> Unit | None:
    """A centre that has a queue (active service lines): its kiosk and board are public."""
    if not key or len(key) > column_length(Unit, "key") or has_control_chars(key):
        return None
    return (
        Unit.objects.filter(key=key, kind__in=RECEIVING_KINDS, service_lines__active=True)
        .distinct()
        .first()
    )


def public_appointment(key: str) -> Appointment | None:
    """The appointment behind its page's random key (the link in the confirmation)."""
    if not key or len(key) > 24 or has_control_chars(key):
        return None
    return Appointment.objects.filter(key=key).select_related("line", "centre", "ticket").first()


def public_booking_centre(key: str) -> Unit | None:
    """A centre that takes online appointments (some active counter keeps places)."""
    if not key or len(key) > column_length(Unit, "key") or has_control_chars(key):
        return None
    return (
        Unit.objects.filter(
            key=key,
            kind__in=RECEIVING_KINDS,
            service_lines__active=True,
            service_lines__services__appointment_places__gt=0,
            service_lines__services__counter__active=True,
        )
        .distinct()
        .first()
    )


def own_upcoming_appointments(actor: Actor) -> QuerySet[Appointment]:
    """The appointments the signed-in ``actor`` booked that are still to come (booked or
    checked in today or later), soonest first."""
    user = person(actor)
    if user is None:
        return Appointment.objects.none()
    return (
        Appointment.objects.filter(
            user=user,
            state__in=HOLDING_STATES,
            day__gte=timezone.localdate(),
        )
        .select_related("centre", "line")
        .order_by("starts_at", "pk")
    )
