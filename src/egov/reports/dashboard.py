"""The leaders' dashboards and the public statistics: what each figure counts, for whom.

Three dashboards (docs/dashboards.md):

- ``unit``: a department leader's units (role ``department_leader``, with the units below);
  the dossiers those units hold — the handling unit, or the receiving unit before the dossier
  is handed off (the rule ``ratings`` files a rating under);
- ``centre``: a centre leader's intake (role ``centre_leader``): the dossiers received there;
- ``province``: supervisors and system administrators: every dossier when their role is at
  the province (the root unit), else the dossiers received or held in their units.

Figures: open dossiers by status; overdue (clock running — received, not yet approved, not
waiting for the applicant's supplement — and past ``due_at``); due soon (clock running, due
from now to the end of the second working day after today in the holding unit's calendar);
the on-time ratio by calendar month (``outcome`` early or on time over every dossier whose
processing ended that month with an outcome, QĐ 766/QĐ-TTg indicator 2.1 as egov records it
in ``dossiers.completion``); the online ratio (received online over received, by month of
reception); the online payment ratio (dossiers with a fee quoted or an obligation asked that
were paid through the payment gateway, over those dossiers).

Every number links to the dossiers behind it: ``figure_dossiers`` builds the listing from the
same conditions the count uses, so the two cannot disagree (tested).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from egov.accounts.models import Role, User
from egov.core.replicas import report_reads
from egov.dossiers.models import (
    IN_PROCESSING_STATUSES,
    OPEN_STATUSES,
    Dossier,
    DossierStatus,
    Outcome,
)
from egov.org.models import Unit
from egov.payments.models import OnlinePayment, PaymentStatus
from egov.reports.periods import Convention, Period, PeriodKind, period_of
from egov.reports.scope import report_units
from egov.workdays.engine import VIETNAM_TZ, WorkCalendar
from egov.workdays.models import CalendarDecision, DayCountingRule, WorkSchedule
from egov.workdays.selectors import calendar_for_unit


class DashboardKind(StrEnum):
    UNIT = "unit"
    CENTRE = "centre"
    PROVINCE = "province"


KIND_ROLES: dict[DashboardKind, tuple[str, ...]] = {
    DashboardKind.UNIT: (Role.DEPARTMENT_LEADER,),
    DashboardKind.CENTRE: (Role.CENTRE_LEADER,),
    DashboardKind.PROVINCE: (Role.SUPERVISOR, Role.SYSTEM_ADMIN),
}

# The clock runs: received and no result approved yet, and not waiting for the applicant's
# supplement (the time spent supplementing is not counted, NĐ 61/2018/NĐ-CP Điều 19 khoản 4 as
# amended; NĐ 118/2025/NĐ-CP — the due date moves when the supplement arrives).
RUNNING_STATUSES = tuple(
    s for s in IN_PROCESSING_STATUSES if s != DossierStatus.SUPPLEMENT_REQUESTED
)
DUE_SOON_WORKING_DAYS = 2
RESOLVED_OUTCOMES = (Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE)
ON_TIME_OUTCOMES = (Outcome.EARLY, Outcome.ON_TIME)
TREND_MONTHS = 12


def holding_unit_expression() -> Coalesce:
    """The unit that holds the dossier: the handling unit once handed off, else the desk."""
    return Coalesce(F("handling_unit_id"), F("receiving_unit_id"))


@dataclass(frozen=True)
class DashboardScope:
    """Whose dossiers a dashboard counts: ``unit_ids`` None is the whole province."""

    kind: DashboardKind
    unit_ids: frozenset[int] | None

    def dossiers(self) -> QuerySet[Dossier]:
        dossiers = Dossier.objects.annotate(holding_unit=holding_unit_expression())
        if self.unit_ids is None:
            return dossiers
        units = list(self.unit_ids)
        if self.kind is DashboardKind.UNIT:
            return dossiers.filter(holding_unit__in=units)
        if self.kind is DashboardKind.CENTRE:
            return dossiers.filter(receiving_unit_id__in=units)
        return dossiers.filter(Q(receiving_unit_id__in=units) | Q(holding_unit__in=units))


def dashboard_scopes(user: User) -> list[DashboardScope]:
    """The dashboards ``user`` may open today, in the order unit, centre, province, each over
    the units its roles reach by the report rule (``reports.scope.report_units``): the whole
    province for a superuser or a role at the province's People's Committee."""
    scopes = []
    for kind, roles in KIND_ROLES.items():
        units = report_units(user, roles)
        if units is None or units:
            scopes.append(DashboardScope(kind, None if units is None else frozenset(units)))
    return scopes


class Figure(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    RESOLVED = "resolved"
    ON_TIME = "on_time"
    LATE = "late"
    RECEIVED = "received"
    ONLINE = "online"
    FEE_DUE = "fee_due"
    PAID_ONLINE = "paid_online"


# Figures counted over a month (of completion or of reception); the others are "now".
COMPLETION_FIGURES = (Figure.RESOLVED, Figure.ON_TIME, Figure.LATE)
RECEPTION_FIGURES = (Figure.RECEIVED, Figure.ONLINE, Figure.FEE_DUE, Figure.PAID_ONLINE)


def month_period(year: int, month: int) -> Period:
    return period_of(PeriodKind.MONTH, year, month, convention=Convention.CALENDAR)


def last_months(today: dt.date, count: int = TREND_MONTHS) -> list[Period]:
    """The ``count`` calendar months ending with the month of ``today``, oldest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(month_period(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def month_q(field: str, period: Period) -> Q:
    start, end = period.bounds()
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _paid_online() -> Exists:
    return Exists(
        OnlinePayment.objects.filter(dossier_id=OuterRef("pk"), status=PaymentStatus.PAID)
    )


FEE_DUE_Q = Q(fee_quoted__gt=0) | Q(obligation_amount__gt=0)


def _figure_q(figure: Figure) -> Q:
    """The condition of a figure apart from time (month, now, due-soon horizon)."""
    return {
        Figure.OPEN: Q(status__in=OPEN_STATUSES),
        Figure.OVERDUE: Q(status__in=RUNNING_STATUSES),
        Figure.DUE_SOON: Q(status__in=RUNNING_STATUSES),
        Figure.RESOLVED: Q(outcome__in=RESOLVED_OUTCOMES),
        Figure.ON_TIME: Q(outcome__in=ON_TIME_OUTCOMES),
        Figure.LATE: Q(outcome=Outcome.LATE),
        Figure.RECEIVED: Q(received_at__isnull=False),
        Figure.ONLINE: Q(channel="online"),
        Figure.FEE_DUE: FEE_DUE_Q,
        Figure.PAID_ONLINE: FEE_DUE_Q & Q(paid_online=True),
    }[figure]


# --- due soon: the end of the second working day after today, per unit calendar ------------


def _calendar_owners() -> set[int]:
    """Units that have a calendar of their own (office hours, decisions, day counting)."""
    owners: set[int] = set()
    for model in (WorkSchedule, CalendarDecision, DayCountingRule):
        owners.update(
            model.objects.filter(unit__isnull=False).values_list("unit_id", flat=True).distinct()
        )
    return owners


def due_soon_horizon(calendar: WorkCalendar, today: dt.date) -> dt.datetime:
    """Midnight after the second working day after ``today``: on Thursday 31/12/2026 (1/1 is
    a holiday, then the weekend) the horizon is Wednesday 6/1/2027 00:00."""
    day = today
    for _ in range(DUE_SOON_WORKING_DAYS):
        day = calendar.next_working_day(day)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=VIETNAM_TZ)


def due_soon_horizons(unit_ids: Iterable[int], today: dt.date) -> dict[int, dt.datetime]:
    """The horizon of each unit, one calendar built per distinct calendar (units whose chain
    of ancestors owns no calendar data share the province's)."""
    wanted = set(unit_ids)
    if not wanted:
        return {}
    owners = _calendar_owners()
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    by_key: dict[tuple[int, ...], dt.datetime] = {}
    horizons = {}
    for unit_id in wanted:
        chain: list[int] = []
        current: int | None = unit_id
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        key = tuple(u for u in chain if u in owners)
        if key not in by_key:
            unit = Unit.objects.get(pk=unit_id) if key else None
            by_key[key] = due_soon_horizon(calendar_for_unit(unit), today)
        horizons[unit_id] = by_key[key]
    return horizons


def _due_soon_q(horizons: dict[int, dt.datetime], now: dt.datetime) -> Q:
    by_horizon: dict[dt.datetime, list[int]] = defaultdict(list)
    for unit_id, horizon in horizons.items():
        by_horizon[horizon].append(unit_id)
    condition = Q(pk__in=[])
    for horizon, units in by_horizon.items():
        condition |= Q(holding_unit__in=sorted(units), due_at__lt=horizon)
    return Q(due_at__gte=now) & condition


def _candidate_units(dossiers: QuerySet[Dossier], now: dt.datetime) -> set[int]:
    return set(
        dossiers.filter(status__in=RUNNING_STATUSES, due_at__gte=now)
        .order_by()
        .values_list(F("holding_unit"), flat=True)
        .distinct()
    )


# --- the dashboard's figures ----------------------------------------------------------------


@dataclass(frozen=True)
class UnitQueue:
    unit_id: int
    overdue: int
    due_soon: int


@dataclass(frozen=True)
class MonthFigures:
    period: Period
    resolved: int = 0
    on_time: int = 0
    late: int = 0
    received: int = 0
    online: int = 0
    fee_due: int = 0
    paid_online: int = 0
    rated: int = 0
    satisfied: int = 0


@dataclass(frozen=True)
class Dashboard:
    scope: DashboardScope
    now: dt.datetime
    by_status: dict[str, int]
    units: list[UnitQueue]  # units with an overdue or due-soon dossier
    unit_names: dict[int, str]
    months: list[MonthFigures]

    @property
    def overdue(self) -> int:
        return sum(u.overdue for u in self.units)

    @property
    def due_soon(self) -> int:
        return sum(u.due_soon for u in self.units)

    def total(self, name: str) -> int:
        return sum(getattr(m, name) for m in self.months)


def monthly_counts(
    dossiers: QuerySet[Dossier], months: Sequence[Period], *, by_unit: bool
) -> dict[int | None, dict[str, list[int]]]:
    """Counts per calendar month (and per holding unit when ``by_unit``): three queries
    grouped by month, one over the dossiers that ended in the window, one over those received in
    it, one over those of them paid online. Grouping by the month, rather than one filtered
    count per month, keeps the work per row at a few counts (docs/performance.md). A month
    or unit with nothing is all zeros (the result is a defaultdict)."""
    window_start, window_end = months[0].start, months[-1].end
    index_of = {(m.first_day.year, m.first_day.month): i for i, m in enumerate(months)}
    result: dict[int | None, dict[str, list[int]]] = defaultdict(
        lambda: {name: [0] * len(months) for name in MONTH_FIELDS}
    )
    ended = dossiers.filter(
        completed_at__gte=window_start,
        completed_at__lt=window_end,
        outcome__in=RESOLVED_OUTCOMES,
    )
    received = dossiers.filter(received_at__gte=window_start, received_at__lt=window_end)
    # The gateway's payments are looked up for the dossiers with something to pay only (a
    # semi-join), not for every dossier received: their count is a query of its own.
    paid = received.filter(FEE_DUE_Q, _paid_online())
    for queryset, field, figures in (
        (ended, "completed_at", COMPLETION_FIGURES),
        (received, "received_at", (Figure.RECEIVED, Figure.ONLINE, Figure.FEE_DUE)),
        (paid, "received_at", (Figure.PAID_ONLINE,)),
    ):
        counts = {
            str(figure): Count(
                "pk", filter=None if figure is Figure.PAID_ONLINE else _figure_q(figure)
            )
            for figure in figures
        }
        groups: dict[str, Any] = {"month": TruncMonth(field, tzinfo=VIETNAM_TZ)}
        if by_unit:
            groups["unit"] = F("holding_unit")
        for row in queryset.order_by().values(**groups).annotate(**counts):
            month = row["month"]
            index = index_of[(month.year, month.month)]
            target = result[row["unit"] if by_unit else None]
            for figure in figures:
                target[str(figure)][index] = int(row[str(figure)])
    return result


MONTH_FIELDS = tuple(str(f) for f in (*COMPLETION_FIGURES, *RECEPTION_FIGURES))


def month_rows(months: Sequence[Period], counts: dict[str, list[int]]) -> list[MonthFigures]:
    return [
        MonthFigures(
            period=month,
            **{name: counts[name][index] for name in MONTH_FIELDS},
        )
        for index, month in enumerate(months)
    ]


def dashboard(scope: DashboardScope, *, now: dt.datetime | None = None) -> Dashboard:
    """Every figure of one dashboard, read inside ``report_reads()`` (the replica if any)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    months = last_months(today)
    with report_reads():
        dossiers = scope.dossiers()
        by_status = {
            row["status"]: row["n"]
            for row in dossiers.filter(status__in=OPEN_STATUSES)
            .order_by()
            .values("status")
            .annotate(n=Count("pk"))
        }
        horizons = due_soon_horizons(_candidate_units(dossiers, now), today)
        queues = (
            dossiers.filter(status__in=RUNNING_STATUSES)
            .filter(Q(due_at__lt=now) | _due_soon_q(horizons, now))
            .order_by()
            .values(unit=F("holding_unit"))
            .annotate(
                overdue=Count("pk", filter=Q(due_at__lt=now)),
                due_soon=Count("pk", filter=_due_soon_q(horizons, now)),
            )
        )
        units = [UnitQueue(row["unit"], row["overdue"], row["due_soon"]) for row in queues]
        monthly = monthly_counts(dossiers, months, by_unit=False)[None]
        names = dict(
            Unit.objects.filter(pk__in=[u.unit_id for u in units]).values_list("pk", "name")
        )
    units.sort(key=lambda u: (-u.overdue, -u.due_soon, names.get(u.unit_id, "")))
    return Dashboard(
        scope=scope,
        now=now,
        by_status={s: by_status.get(s, 0) for s in OPEN_STATUSES},
        units=units,
        unit_names=names,
        months=month_rows(months, monthly),
    )


# --- the dossiers behind a number -----------------------------------------------------------


@dataclass(frozen=True)
class Drill:
    """One number of a dashboard: a figure, narrowed to a unit, a month or a status."""

    figure: Figure
    unit_id: int | None = None
    month: Period | None = None
    status: str = ""


class DrillError(ValueError):
    """A figure that needs a month without one, or a status that is not open."""


def figure_dossiers(
    scope: DashboardScope, drill: Drill, *, now: dt.datetime | None = None
) -> QuerySet[Dossier]:
    """The dossiers counted by ``drill`` on ``scope``'s dashboard (same conditions as
    ``dashboard``); call it inside ``report_reads()``."""
    now = now or timezone.now()
    dossiers = scope.dossiers()
    if drill.unit_id is not None:
        dossiers = dossiers.filter(Q(holding_unit=drill.unit_id))
    figure = drill.figure
    if figure in COMPLETION_FIGURES or figure in RECEPTION_FIGURES:
        if drill.month is None:
            raise DrillError("month")
        field = "completed_at" if figure in COMPLETION_FIGURES else "received_at"
        dossiers = dossiers.filter(month_q(field, drill.month))
        if figure is Figure.PAID_ONLINE:
            dossiers = dossiers.alias(paid_online=_paid_online())
        return dossiers.filter(_figure_q(figure))
    dossiers = dossiers.filter(_figure_q(figure))
    if figure is Figure.OPEN:
        if drill.status:
            if drill.status not in OPEN_STATUSES:
                raise DrillError("status")
            dossiers = dossiers.filter(status=drill.status)
        return dossiers
    if figure is Figure.OVERDUE:
        return dossiers.filter(due_at__lt=now)
    today = timezone.localdate(now)
    horizons = due_soon_horizons(_candidate_units(dossiers, now), today)
    return dossiers.filter(_due_soon_q(horizons, now))


DRILL_PAGE = 50


@dataclass(frozen=True)
class DrillPage:
    rows: list[Dossier]
    next_after: int | None  # the last id shown when there is a next page


def drill_page(
    scope: DashboardScope, drill: Drill, *, after: int | None = None, per_page: int | None = None
) -> DrillPage:
    """One page of the dossiers behind a number, by id (keyset paging: every page costs the
    same however far the leader goes)."""
    size = per_page or DRILL_PAGE
    with report_reads():
        dossiers = figure_dossiers(scope, drill)
        if after is not None:
            dossiers = dossiers.filter(pk__gt=after)
        rows = list(
            dossiers.select_related("procedure_version", "handling_unit", "receiving_unit")
            .only(
                "code",
                "status",
                "channel",
                "received_at",
                "due_at",
                "completed_at",
                "outcome",
                "procedure_version__name",
                "handling_unit__name",
                "receiving_unit__name",
            )
            .order_by("pk")[: size + 1]
        )
    if len(rows) > size:
        return DrillPage(rows[:size], rows[size - 1].pk)
    return DrillPage(rows, None)
