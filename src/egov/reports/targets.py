"""The plan's targets for one quarter: each target in force, its value (computed from egov's
data, or the figure entered with evidence), whether it is met, and its trend over the last
quarters. The page, the quarterly progress report and ``GET /api/v1/reports/plan-targets``
all read ``plan_targets_for``.

Quarters follow the configured reporting periods (``egov.reports.periods``: the NĐ 09/2019
cut-off by default). The current quarter is measured up to today (``as_of``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from egov.reports.periods import Period, PeriodError, PeriodKind, period_containing, period_of
from egov.reports.targets_access import reporting_unit
from egov.reports.targets_measures import MEASURES, Ratio
from egov.reports.targets_models import Comparison, Plan, PlanTarget, PlanTargetEntry

QUARTER_PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")
TREND_QUARTERS = 4
COMPUTED = "computed"
ENTERED = "entered"


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return _("Quý %(q)d/%(y)d") % {"q": self.number, "y": self.year}

    def period(self) -> Period:
        return period_of(PeriodKind.QUARTER, self.year, self.number)

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)


def parse_quarter(text: str) -> Quarter:
    """``YYYY-Qn`` → Quarter; PeriodError (translated) for anything else."""
    match = QUARTER_PATTERN.match(text.strip())
    if match is None:
        raise PeriodError(_("Quý phải có dạng YYYY-Qn, ví dụ 2026-Q3."))
    quarter = Quarter(int(match[1]), int(match[2]))
    quarter.period()  # the year's range is checked there
    return quarter


def quarter_containing(day: dt.date) -> Quarter:
    last = period_containing(day, PeriodKind.QUARTER).last_day
    return Quarter(last.year, (last.month - 1) // 3 + 1)


def measured_period(quarter: Quarter, today: dt.date) -> Period | None:
    """The quarter's period cut at ``today``; None for a quarter that has not begun."""
    period = quarter.period()
    if period.first_day > today:
        return None
    if period.last_day > today:
        return Period(period.first_day, today, period.kind, period.convention)
    return period


def is_met(target: PlanTarget, value: Decimal | None) -> bool | None:
    if value is None or target.target_value is None:
        return None
    if target.comparison == Comparison.MORE_THAN:
        return value > target.target_value
    if target.comparison == Comparison.EQUAL:
        return value == target.target_value
    return value >= target.target_value


@dataclass(frozen=True)
class TrendPoint:
    quarter: Quarter
    value: Decimal | None
    source: str


@dataclass
class TargetRow:
    target: PlanTarget
    quarter: Quarter
    source: str
    as_of: dt.date | None
    value: Decimal | None = None
    ratio: Ratio | None = None
    entry: PlanTargetEntry | None = None
    trend: list[TrendPoint] = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        return is_met(self.target, self.value)


def _entry(target_code: str, plan: Plan, quarter: Quarter) -> PlanTargetEntry | None:
    """The latest figure entered for that quarter (a later entry replaces an earlier one)."""
    return (
        PlanTargetEntry.objects.filter(
            target__plan=plan, target__code=target_code, year=quarter.year, quarter=quarter.number
        )
        .select_related("entered_by", "unit", "evidence_file")
        .order_by("-entered_at", "-id")
        .first()
    )


def _value(
    target: PlanTarget, quarter: Quarter, today: dt.date
) -> tuple[Decimal | None, Ratio | None, PlanTargetEntry | None, dt.date | None]:
    if target.is_entered:
        entry = _entry(target.code, target.plan, quarter)
        if entry is None:
            return None, None, None, None
        return entry.value, None, entry, timezone.localdate(entry.entered_at)
    period = measured_period(quarter, today)
    if period is None:
        return None, None, None, None
    ratio = MEASURES[target.measure](period, target.params)
    return ratio.percent, ratio, None, period.last_day


def _targets_on(plan: Plan, day: dt.date) -> list[PlanTarget]:
    targets = PlanTarget.objects.valid_on(day).filter(plan=plan)
    return sorted(targets, key=lambda t: [int(part) for part in t.code.split(".")])


def plan_targets_for(
    plan: Plan,
    quarter: Quarter,
    *,
    today: dt.date | None = None,
    trend_quarters: int = TREND_QUARTERS,
) -> list[TargetRow]:
    """One row per target in force on the quarter's measured day (its last day, or today for
    the current quarter), with the values of the ``trend_quarters`` quarters up to this one,
    each measured by the target version in force then."""
    today = today or timezone.localdate()
    period = measured_period(quarter, today)
    day = period.last_day if period else quarter.period().first_day
    rows = []
    for target in _targets_on(plan, day):
        value, ratio, entry, as_of = _value(target, quarter, today)
        row = TargetRow(
            target=target,
            quarter=quarter,
            source=ENTERED if target.is_entered else COMPUTED,
            as_of=as_of,
            value=value,
            ratio=ratio,
            entry=entry,
        )
        past = [quarter]
        while len(past) < trend_quarters:
            past.insert(0, past[0].previous())
        for point in past:
            if point == quarter:
                row.trend.append(TrendPoint(point, value, row.source))
                continue
            point_period = measured_period(point, today)
            in_force = (
                PlanTarget.objects.valid_on(point_period.last_day)
                .filter(plan=plan, code=target.code)
                .first()
                if point_period
                else None
            )
            point_value = _value(in_force, point, today)[0] if in_force else None
            row.trend.append(TrendPoint(point, point_value, row.source))
        rows.append(row)
    return rows


def default_plan() -> Plan | None:
    return Plan.objects.order_by("pk").first()


@dataclass(frozen=True)
class ProgressReport:
    plan: Plan
    quarter: Quarter
    rows: list[TargetRow]
    reporter_name: str
    generated_on: dt.date


def progress_report(
    plan: Plan, quarter: Quarter, *, today: dt.date | None = None
) -> ProgressReport:
    """The quarterly progress report to the province, from the same rows as the page."""
    today = today or timezone.localdate()
    period = measured_period(quarter, today)
    day = period.last_day if period else quarter.period().first_day
    unit = reporting_unit(plan, day)
    return ProgressReport(
        plan=plan,
        quarter=quarter,
        rows=plan_targets_for(plan, quarter, today=today),
        reporter_name=unit.name if unit else "",
        generated_on=today,
    )
