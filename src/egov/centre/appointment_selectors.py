"""Reads of online appointments: a line's slots on a day (from the centre's office hours and
the places its counters keep), the days and lines one can book, the day's appointments and
their measures, and what the reminder and expiry jobs have to do.

A slot's capacity is the sum of ``CounterService.appointment_places`` of the active counters
that serve the line on the day's weekday plan (a swapped working Saturday follows the weekday
it stands in for, ``WorkCalendar.plan_weekday``); slots cut the day's office hours
(``workdays``) into ``EGOV_QUEUE_SLOT_MINUTES`` pieces, only whole ones.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, QuerySet, Sum

from egov.centre.models import (
    HOLDING_STATES,
    Appointment,
    AppointmentState,
    CounterService,
    ServiceLine,
)
from egov.org.models import RECEIVING_KINDS, Unit
from egov.workdays.engine import VIETNAM_TZ, WorkCalendar
from egov.workdays.selectors import calendar_for_unit


@dataclass(frozen=True)
class Slot:
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    held: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.held, 0)


def slot_capacity(line: ServiceLine, weekday: int) -> int:
    """Places per slot the active counters keep for ``line`` on ``weekday``."""
    total = CounterService.objects.filter(
        line=line, weekday=weekday, counter__active=True
    ).aggregate(n=Sum("appointment_places"))["n"]
    return int(total or 0)


def line_slots(
    line: ServiceLine, day: dt.date, *, calendar: WorkCalendar | None = None
) -> list[Slot]:
    """Every slot of ``line`` on ``day`` (past ones included) with its places held."""
    if not line.active:
        return []
    calendar = calendar or calendar_for_unit(line.centre)
    periods = calendar.periods_on(day)
    if not periods:
        return []
    capacity = slot_capacity(line, calendar.plan_weekday(day))
    if capacity == 0:
        return []
    length = dt.timedelta(minutes=settings.EGOV_QUEUE_SLOT_MINUTES)
    starts: list[tuple[dt.datetime, dt.datetime]] = []
    for period in periods:
        start = dt.datetime.combine(day, period.start, tzinfo=VIETNAM_TZ)
        end = dt.datetime.combine(day, period.end, tzinfo=VIETNAM_TZ)
        while start + length <= end:
            starts.append((start, start + length))
            start += length
    held = Tally(
        Appointment.objects.filter(line=line, day=day, state__in=HOLDING_STATES).values_list(
            "starts_at", flat=True
        )
    )
    return [
        Slot(starts_at=start, ends_at=end, capacity=capacity, held=held[start])
        for start, end in starts
    ]


def find_slot(line: ServiceLine, starts_at: dt.datetime) -> Slot | None:
    day = starts_at.astimezone(VIETNAM_TZ).date()
    return next((s for s in line_slots(line, day) if s.starts_at == starts_at), None)


def bookable_lines(centre: Unit) -> QuerySet[ServiceLine]:
    """Active lines of ``centre`` for which some active counter keeps appointment places."""
    return (
        ServiceLine.objects.filter(
            centre=centre,
            active=True,
            services__appointment_places__gt=0,
            services__counter__active=True,
        )
        .distinct()
        .order_by("order", "code")
    )


def booking_centres() -> QuerySet[Unit]:
    """Centres where one can book an appointment online."""
    lines = ServiceLine.objects.filter(
        active=True, services__appointment_places__gt=0, services__counter__active=True
    ).values("centre_id")
    return Unit.objects.filter(pk__in=lines, kind__in=RECEIVING_KINDS).order_by("name")


def bookable_days(line: ServiceLine, *, now: dt.datetime) -> list[dt.date]:
    """The days from today to ``EGOV_QUEUE_BOOKING_DAYS_AHEAD`` ahead with a slot still to
    come (free or not: a full day is shown as full)."""
    calendar = calendar_for_unit(line.centre)
    today = now.astimezone(VIETNAM_TZ).date()
    days = []
    for offset in range(settings.EGOV_QUEUE_BOOKING_DAYS_AHEAD + 1):
        day = today + dt.timedelta(days=offset)
        if any(s.starts_at > now for s in line_slots(line, day, calendar=calendar)):
            days.append(day)
    return days


def last_bookable_day(now: dt.datetime) -> dt.date:
    today = now.astimezone(VIETNAM_TZ).date()
    return today + dt.timedelta(days=settings.EGOV_QUEUE_BOOKING_DAYS_AHEAD)


def upcoming_of_phone(phone: str, *, now: dt.datetime) -> int:
    """Booked appointments of ``phone`` (E.164) whose slot has not started."""
    return Appointment.objects.filter(
        phone=phone, state=AppointmentState.BOOKED, starts_at__gt=now
    ).count()


def appointments_of_day(centre: Unit, day: dt.date) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(centre=centre, day=day)
        .select_related("line", "ticket", "ticket__counter")
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class PlanConflict:
    """A coming slot holding more booked citizens than the plan now gives it places (a counter
    closed or its places cut, office hours shortened, a holiday declared after they booked);
    ``beyond`` are the booked appointments over the capacity, the latest booked first."""

    line: ServiceLine
    starts_at: dt.datetime
    held: int
    capacity: int
    beyond: tuple[Appointment, ...]


def appointments_beyond_plan(centre: Unit, *, now: dt.datetime) -> list[PlanConflict]:
    """The coming slots of ``centre`` booked beyond what the current plan gives them, in time
    order. The earliest booked keep their places; checked-in citizens are never counted
    among those beyond (they are at the centre)."""
    coming = (
        Appointment.objects.filter(centre=centre, state__in=HOLDING_STATES, starts_at__gt=now)
        .select_related("line", "centre")
        .order_by("starts_at", "line_id", "booked_at", "pk")
    )
    by_slot: dict[tuple[int, dt.datetime], list[Appointment]] = {}
    for appointment in coming:
        by_slot.setdefault((appointment.line_id, appointment.starts_at), []).append(appointment)
    calendar = calendar_for_unit(centre) if by_slot else None
    capacities: dict[tuple[int, dt.date], dict[dt.datetime, int]] = {}
    conflicts = []
    for (line_id, starts_at), held in by_slot.items():
        line = held[0].line
        day = starts_at.astimezone(VIETNAM_TZ).date()
        if (line_id, day) not in capacities:
            capacities[line_id, day] = {
                slot.starts_at: slot.capacity for slot in line_slots(line, day, calendar=calendar)
            }
        capacity = capacities[line_id, day].get(starts_at, 0)
        if len(held) <= capacity:
            continue
        booked = [a for a in held if a.state == AppointmentState.BOOKED]
        checked_in = len(held) - len(booked)
        keep = max(capacity - checked_in, 0)
        beyond = tuple(reversed(booked[keep:]))
        if beyond:
            conflicts.append(
                PlanConflict(
                    line=line,
                    starts_at=starts_at,
                    held=len(held),
                    capacity=capacity,
                    beyond=beyond,
                )
            )
    return conflicts


@dataclass(frozen=True)
class AppointmentMeasures:
    """A centre's appointments of a day: booked (not cancelled), come, not come, and come and
    called before their slot ended (served in time)."""

    booked: int
    checked_in: int
    no_show: int
    cancelled: int
    called_in_time: int


def measure_appointments(appointments: Iterable[Appointment]) -> AppointmentMeasures:
    """The measures of a set of appointments (each with its ticket loaded)."""
    states: Tally[str] = Tally()
    in_time = 0
    for appointment in appointments:
        states[appointment.state] += 1
        ticket = appointment.ticket
        if ticket is not None and ticket.first_called_at is not None:
            in_time += ticket.first_called_at <= appointment.ends_at
    return AppointmentMeasures(
        booked=sum(n for state, n in states.items() if state != AppointmentState.CANCELLED),
        checked_in=states[AppointmentState.CHECKED_IN],
        no_show=states[AppointmentState.NO_SHOW],
        cancelled=states[AppointmentState.CANCELLED],
        called_in_time=in_time,
    )


def appointment_measures(centre: Unit, day: dt.date) -> AppointmentMeasures:
    return measure_appointments(appointments_of_day(centre, day))


def appointment_indicators(
    centres: Iterable[Unit], start: dt.date, end: dt.date
) -> AppointmentMeasures:
    """The appointments of ``centres`` for the days ``start`` to ``end`` inclusive (reports)."""
    return measure_appointments(
        Appointment.objects.filter(centre__in=list(centres), day__gte=start, day__lte=end)
        .select_related("ticket")
        .only("state", "ends_at", "ticket__first_called_at")
    )


def due_for_reminder(now: dt.datetime) -> QuerySet[Appointment]:
    """Booked appointments starting within ``EGOV_QUEUE_REMINDER_HOURS`` that were booked
    before that window opened (a booking made inside it had its confirmation) and were not
    reminded yet."""
    window = dt.timedelta(hours=settings.EGOV_QUEUE_REMINDER_HOURS)
    return (
        Appointment.objects.filter(
            state=AppointmentState.BOOKED,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + window,
            booked_at__lt=F("starts_at") - window,
        )
        .select_related("centre", "line")
        .order_by("starts_at", "pk")
    )


def due_for_expiry(now: dt.datetime) -> QuerySet[Appointment]:
    """Booked appointments whose check-in time (slot start + grace) has passed."""
    grace = dt.timedelta(minutes=settings.EGOV_QUEUE_CHECK_IN_GRACE_MINUTES)
    return Appointment.objects.filter(
        state=AppointmentState.BOOKED, starts_at__lt=now - grace
    ).order_by("starts_at", "pk")
