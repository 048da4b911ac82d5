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
from django.db.models import Count, F, Q, QuerySet, Sum

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


def places_per_slot(**services: object) -> dict[tuple[int, int], int]:
    """Places per slot the active counters keep, by (line id, weekday of the plan), over the
    counter services ``services`` selects (e.g. ``line=…`` or ``line__centre=…``)."""
    return {
        (line_id, weekday): int(total or 0)
        for line_id, weekday, total in CounterService.objects.filter(
            counter__active=True, **services
        )
        .values_list("line_id", "weekday")
        .annotate(total=Sum("appointment_places"))
        .order_by()
    }


def slot_capacity(line: ServiceLine, weekday: int) -> int:
    """Places per slot the active counters keep for ``line`` on ``weekday``."""
    return places_per_slot(line=line, weekday=weekday).get((line.pk, weekday), 0)


def slot_times(calendar: WorkCalendar, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """Start and end of each whole slot in the office hours of ``day``."""
    length = dt.timedelta(minutes=settings.EGOV_QUEUE_SLOT_MINUTES)
    times: list[tuple[dt.datetime, dt.datetime]] = []
    for period in calendar.periods_on(day):
        start = dt.datetime.combine(day, period.start, tzinfo=VIETNAM_TZ)
        end = dt.datetime.combine(day, period.end, tzinfo=VIETNAM_TZ)
        while start + length <= end:
            times.append((start, start + length))
            start += length
    return times


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
    starts = slot_times(calendar, day)
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
    if not line.active:
        return []
    calendar = calendar_for_unit(line.centre)
    # What line_slots would say day by day, without counting the bookings: the places per
    # weekday of the plan in one query, the slot times from the calendar.
    places = places_per_slot(line=line)
    today = now.astimezone(VIETNAM_TZ).date()
    days = []
    for offset in range(settings.EGOV_QUEUE_BOOKING_DAYS_AHEAD + 1):
        day = today + dt.timedelta(days=offset)
        if places.get((line.pk, calendar.plan_weekday(day)), 0) > 0 and any(
            start > now for start, _end in slot_times(calendar, day)
        ):
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
    coming = Appointment.objects.filter(centre=centre, state__in=HOLDING_STATES, starts_at__gt=now)
    # Counted per slot in the database; the appointments are loaded only for slots over.
    held = {
        (row["line_id"], row["starts_at"]): row["n"]
        for row in coming.values("line_id", "starts_at").annotate(n=Count("pk")).order_by()
    }
    if not held:
        return []
    calendar = calendar_for_unit(centre)
    lines = {
        line.pk: line
        for line in ServiceLine.objects.filter(pk__in={line_id for line_id, _start in held})
    }
    # Places per (line, weekday of the plan) in one query; slot times per day from the calendar.
    places = places_per_slot(line__centre=centre)
    starts_of_day: dict[dt.date, set[dt.datetime]] = {}
    capacity_over: dict[tuple[int, dt.datetime], int] = {}
    for (line_id, starts_at), count in held.items():
        day = starts_at.astimezone(VIETNAM_TZ).date()
        if day not in starts_of_day:
            starts_of_day[day] = {start for start, _end in slot_times(calendar, day)}
        capacity = 0
        if lines[line_id].active and starts_at in starts_of_day[day]:
            capacity = places.get((line_id, calendar.plan_weekday(day)), 0)
        if count > capacity:
            capacity_over[line_id, starts_at] = capacity
    if not capacity_over:
        return []
    by_slot: dict[tuple[int, dt.datetime], list[Appointment]] = {}
    starts_by_line: dict[int, list[dt.datetime]] = {}
    for line_id, starts_at in capacity_over:
        starts_by_line.setdefault(line_id, []).append(starts_at)
    in_slots = Q()
    for line_id, starts in starts_by_line.items():  # one condition per line, not per slot
        in_slots |= Q(line_id=line_id, starts_at__in=starts)
    for appointment in coming.filter(in_slots).order_by("starts_at", "line_id", "booked_at", "pk"):
        by_slot.setdefault((appointment.line_id, appointment.starts_at), []).append(appointment)
    conflicts = []
    for (line_id, starts_at), in_slot in by_slot.items():
        capacity = capacity_over[line_id, starts_at]
        booked = [a for a in in_slot if a.state == AppointmentState.BOOKED]
        keep = max(capacity - (len(in_slot) - len(booked)), 0)
        beyond = tuple(reversed(booked[keep:]))
        if beyond:
            conflicts.append(
                PlanConflict(
                    line=lines[line_id],
                    starts_at=starts_at,
                    held=len(in_slot),
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
