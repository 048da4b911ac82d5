"""Reads of the queue: what a counter calls next, a ticket's place, the display board, and
the measures (waiting and serving times, the indicators a province reports).

Waiting time is from taking the number to its first call; serving time from the start of
service (or, when service was never started explicitly, the last call) to the end. The
indicators (average wait, share called within ``EGOV_QUEUE_WAIT_TARGET_MINUTES``) count
tickets called at least once; averages are computed in Python over the rows so that SQLite
and PostgreSQL give the same exact seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Case, DateTimeField, F, Q, QuerySet, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from egov.centre.models import Counter, CounterSession, ServiceLine, Ticket, TicketState
from egov.org.models import RECEIVING_KINDS, Unit
from egov.workdays.selectors import calendar_for_unit


def lines_served(counter: Counter, day: dt.date) -> QuerySet[ServiceLine]:
    """The active lines ``counter`` calls on ``day`` (its weekly plan; a swapped working
    Saturday follows the plan of the weekday it stands in for, as the appointment slots do)."""
    weekday = calendar_for_unit(counter.centre).plan_weekday(day)
    return ServiceLine.objects.filter(
        services__counter=counter, services__weekday=weekday, active=True
    ).distinct()


def waiting_for_counter(
    counter: Counter, day: dt.date, *, now: dt.datetime | None = None
) -> QuerySet[Ticket]:
    """Tickets ``counter`` may call on ``day``, in calling order: tickets transferred to this
    counter and tickets of the lines it serves that day that no counter was chosen for.
    First the numbers of booked citizens whose slot has begun (issue 17 §4: "appointments
    first in their slot"; earliest slot first), then priority lines, then the oldest number
    (a transferred ticket keeps its time). A booked citizen who came early waits as a walk-in
    until their slot begins."""
    lines = lines_served(counter, day).values("pk")
    in_slot = Case(
        When(appointment_at__lte=now or timezone.now(), then=F("appointment_at")),
        default=None,
        output_field=DateTimeField(),
    )
    return (
        Ticket.objects.filter(centre_id=counter.centre_id, day=day, state=TicketState.WAITING)
        .filter(Q(directed_counter=counter) | Q(directed_counter__isnull=True, line__in=lines))
        .select_related("line")
        .order_by(in_slot.asc(nulls_last=True), "-line__priority", "issued_at", "pk")
    )


def counter_tickets(counter: Counter, day: dt.date) -> QuerySet[Ticket]:
    """Numbers ``counter`` has called on ``day`` (whatever became of them)."""
    return Ticket.objects.filter(counter=counter, day=day).select_related("line")


def tickets_of_day(centre: Unit, day: dt.date) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(centre=centre, day=day)
        .select_related("line", "counter")
        .order_by("issued_at", "pk")
    )


def open_sessions(centre: Unit) -> QuerySet[CounterSession]:
    return (
        CounterSession.objects.filter(counter__centre=centre, closed_at__isnull=True)
        .select_related("counter", "user")
        .order_by("counter__number")
    )


def people_ahead(ticket: Ticket, *, now: dt.datetime | None = None) -> int:
    """Waiting numbers of the same line that will be called before ``ticket`` (0 once it is
    called), in ``waiting_for_counter``'s order: numbers of booked citizens whose slot has
    begun first (earliest slot), then the oldest."""
    if ticket.state != TicketState.WAITING:
        return 0
    moment = now or timezone.now()
    same_line = Ticket.objects.filter(
        centre_id=ticket.centre_id,
        day=ticket.day,
        line_id=ticket.line_id,
        state=TicketState.WAITING,
    ).exclude(pk=ticket.pk)
    in_slot = Q(appointment_at__lte=moment)
    older = Q(issued_at__lt=ticket.issued_at) | Q(issued_at=ticket.issued_at, pk__lt=ticket.pk)
    if ticket.appointment_at is not None and ticket.appointment_at <= moment:
        earlier_slot = Q(appointment_at__lt=ticket.appointment_at) | (
            Q(appointment_at=ticket.appointment_at) & older
        )
        return same_line.filter(in_slot & earlier_slot).count()
    return same_line.filter(in_slot | (~in_slot & older)).count()


def waiting_by_line(centre: Unit, day: dt.date) -> list[tuple[ServiceLine, int]]:
    counts: dict[int, int] = {}
    for line_id in Ticket.objects.filter(
        centre=centre, day=day, state=TicketState.WAITING
    ).values_list("line_id", flat=True):
        counts[line_id] = counts.get(line_id, 0) + 1
    lines = ServiceLine.objects.filter(centre=centre, active=True).order_by("order", "code")
    return [(line, counts.get(line.pk, 0)) for line in lines]


@dataclass(frozen=True)
class BoardState:
    """A centre's board as its polls see it: the centre and when its board last changed."""

    centre_id: int
    version: dt.datetime | None


# Every screen of every centre asks this every 2 s, so it is one hand-written query (the ORM's
# query building cost more than the query itself): the public centre by its key — a receiving
# unit with an active line — and its latest call or recall of the day.
_BOARD_STATE_SQL = (  # noqa: S608 — table names from our models, values as parameters
    "SELECT u.id, (SELECT MAX(t.last_called_at) FROM {ticket} t"
    " WHERE t.centre_id = u.id AND t.day = %s)"
    " FROM {unit} u WHERE u.key = %s AND u.kind IN ({kinds}) AND EXISTS"
    " (SELECT 1 FROM {line} l WHERE l.centre_id = u.id AND l.active)"
).format(
    ticket=Ticket._meta.db_table,
    unit=Unit._meta.db_table,
    line=ServiceLine._meta.db_table,
    kinds=", ".join(["%s"] * len(RECEIVING_KINDS)),
)


def _aware(raw: object) -> dt.datetime | None:
    """The database's MAX() as an aware datetime (SQLite answers text, in UTC)."""
    if raw is None:
        return None
    value = raw if isinstance(raw, dt.datetime) else parse_datetime(str(raw))
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def board_state(centre_key: str, day: dt.date) -> BoardState | None:
    """The board of the public centre ``centre_key`` on ``day`` (None: no such centre)."""
    if "\x00" in centre_key:
        return None  # PostgreSQL refuses a NUL byte in a parameter: "no such centre"
    with connection.cursor() as cursor:
        cursor.execute(
            _BOARD_STATE_SQL, [day.isoformat(), centre_key, *[str(k) for k in RECEIVING_KINDS]]
        )
        row = cursor.fetchone()
    return None if row is None else BoardState(centre_id=int(row[0]), version=_aware(row[1]))


def board_calls(centre: Unit | int, day: dt.date, *, limit: int = 8) -> list[Ticket]:
    """The latest numbers called at ``centre`` on ``day``, newest first, with their counter."""
    centre_id = centre if isinstance(centre, int) else centre.pk
    return list(
        Ticket.objects.filter(centre_id=centre_id, day=day, last_called_at__isnull=False)
        .exclude(state=TicketState.WAITING)
        .select_related("counter")
        .order_by("-last_called_at", "-pk")[:limit]
    )


def wait_seconds(ticket: Ticket) -> int | None:
    if ticket.first_called_at is None:
        return None
    return int((ticket.first_called_at - ticket.issued_at).total_seconds())


def service_seconds(ticket: Ticket) -> int | None:
    start = ticket.serving_at or ticket.last_called_at
    if ticket.finished_at is None or start is None or ticket.state != TicketState.DONE:
        return None
    return int((ticket.finished_at - start).total_seconds())


@dataclass(frozen=True)
class QueueMeasures:
    """Counts and times of a set of tickets (a centre's day, a counter, a period)."""

    issued: int
    waiting: int
    called: int
    done: int
    no_show: int
    average_wait_seconds: int | None
    average_service_seconds: int | None
    within_target: int

    @property
    def within_target_share(self) -> float | None:
        """Share of called numbers called within the target wait (0..1)."""
        return self.within_target / self.called if self.called else None


def measure(tickets: Iterable[Ticket]) -> QueueMeasures:
    target = settings.EGOV_QUEUE_WAIT_TARGET_MINUTES * 60
    issued = waiting = done = no_show = within = 0
    waits: list[int] = []
    services: list[int] = []
    for ticket in tickets:
        issued += 1
        waiting += ticket.state == TicketState.WAITING and ticket.first_called_at is None
        done += ticket.state == TicketState.DONE
        no_show += ticket.state == TicketState.NO_SHOW
        wait = wait_seconds(ticket)
        if wait is not None:
            waits.append(wait)
            within += wait <= target
        service = service_seconds(ticket)
        if service is not None:
            services.append(service)
    return QueueMeasures(
        issued=issued,
        waiting=waiting,
        called=len(waits),
        done=done,
        no_show=no_show,
        average_wait_seconds=round(sum(waits) / len(waits)) if waits else None,
        average_service_seconds=round(sum(services) / len(services)) if services else None,
        within_target=within,
    )


def centre_tickets(
    centres: Iterable[Unit] | None, start: dt.date, end: dt.date
) -> QuerySet[Ticket]:
    """Tickets of ``centres`` (None: every centre) taken from ``start`` to ``end`` inclusive."""
    tickets = Ticket.objects.filter(day__gte=start, day__lte=end)
    if centres is not None:
        tickets = tickets.filter(centre__in=list(centres))
    return tickets


def queue_indicators(centres: Iterable[Unit] | None, start: dt.date, end: dt.date) -> QueueMeasures:
    """The province's queue indicators over a period (for the reports module): average wait
    and share called within the target, over ``centres`` (None: all)."""
    return measure(centre_tickets(centres, start, end).only(*_MEASURED))


def day_measures(centre: Unit, day: dt.date) -> QueueMeasures:
    return measure(Ticket.objects.filter(centre=centre, day=day).only(*_MEASURED))


def counter_measures(centre: Unit, day: dt.date) -> list[tuple[Counter, QueueMeasures]]:
    """Per counter (the counter that called or served the number last) on ``day``."""
    by_counter: dict[int, list[Ticket]] = {}
    for ticket in Ticket.objects.filter(centre=centre, day=day, counter__isnull=False).only(
        *_MEASURED, "counter_id"
    ):
        assert ticket.counter_id is not None
        by_counter.setdefault(ticket.counter_id, []).append(ticket)
    counters = Counter.objects.filter(centre=centre).order_by("number")
    return [(counter, measure(by_counter.get(counter.pk, []))) for counter in counters]


def daily_measures(
    centre: Unit, start: dt.date, end: dt.date
) -> list[tuple[dt.date, QueueMeasures]]:
    by_day: dict[dt.date, list[Ticket]] = {}
    for ticket in centre_tickets([centre], start, end).only(*_MEASURED, "day"):
        by_day.setdefault(ticket.day, []).append(ticket)
    return [(day, measure(tickets)) for day, tickets in sorted(by_day.items())]


_MEASURED = (
    "state",
    "issued_at",
    "first_called_at",
    "last_called_at",
    "serving_at",
    "finished_at",
)
