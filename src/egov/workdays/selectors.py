"""Builds working calendars from the law (rules.py) and the stored data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from egov.core.validity import OPEN_END, OPEN_START
from egov.org.models import Unit
from egov.workdays.engine import (
    DEFAULT_DAY_COUNTING,
    STANDARD_WEEK,
    CountingVersion,
    DayCounting,
    Period,
    ScheduleVersion,
    WorkCalendar,
    YearRules,
)
from egov.workdays.models import (
    CalendarDay,
    CalendarDecision,
    DayCountingRule,
    DayKind,
    WorkSchedule,
)
from egov.workdays.rules import (
    DECIDED_YEARLY,
    HOLIDAY_NAMES,
    Holiday,
    statutory_holidays,
    with_compensatory_days,
)


def _unit_chain(unit: Unit | None) -> list[Unit]:
    return [] if unit is None else [unit, *unit.ancestors()]


def _in_scope(chain: list[Unit]) -> Q:
    return Q(decision__unit__isnull=True) | Q(decision__unit__in=chain)


@dataclass(frozen=True)
class MakeUpDay:
    """A weekly rest day worked by decision (the Saturday of a swap)."""

    date: dt.date
    name: str
    basis: str
    confirmed: bool
    works_as_weekday: int  # whose office hours apply (date.weekday(): 0 = Monday)


@dataclass(frozen=True)
class YearCalendar:
    """A year's days off and make-up working days for a unit, with what they rest on."""

    year: int
    days_off: list[Holiday]
    make_up_days: list[MakeUpDay]
    decisions: list[CalendarDecision]
    # Holidays the Prime Minister fixes each year (Điều 112 khoản 3) with no decision
    # entered: their days are the rule's defaults.
    undecided: list[str]

    @property
    def law_only(self) -> bool:
        """No yearly decision fixes Tết or Quốc khánh: the year comes from the Code alone."""
        return len(self.undecided) == len(DECIDED_YEARLY)

    @property
    def note(self) -> str:
        """The warning to show with the year's calendar ('' when every yearly holiday is
        fixed by a decision)."""
        if not self.undecided:
            return ""
        names = " và ".join(HOLIDAY_NAMES[key] for key in self.undecided)
        if self.law_only:
            return _(
                "Năm %(year)d: chưa nạp quyết định lịch nghỉ của Thủ tướng (%(names)s) — lịch "
                "chỉ tính theo Bộ luật Lao động 2019 (Điều 111, 112) và quy tắc mặc định, chưa "
                "đối chiếu."
            ) % {"year": self.year, "names": names}
        return _(
            "Năm %(year)d: chưa nạp quyết định về %(names)s — các ngày này tính theo quy tắc "
            "mặc định (Bộ luật Lao động 2019 Điều 112), chưa đối chiếu."
        ) % {"year": self.year, "names": names}


def _year_days(year: int, chain: list[Unit]) -> tuple[list[Holiday], list[MakeUpDay], list[str]]:
    """The statutory days with their compensatory days, replaced holiday by holiday by the
    entered decisions, plus the decisions' extra days off, minus their make-up working days;
    those make-up days; and the yearly holidays no decision fixes (one query)."""
    decision_days = list(
        CalendarDay.objects.filter(decision__year=year)
        .filter(_in_scope(chain))
        .select_related("decision")
        .order_by("date", "decision__title")
    )
    replaced = {d.holiday_key for d in decision_days if d.kind == DayKind.OFF}
    holidays = [
        h for h in with_compensatory_days(statutory_holidays(year)) if h.key not in replaced
    ]
    taken = {h.date for h in holidays}
    for day in decision_days:
        if day.kind == DayKind.OFF and day.date not in taken:
            holidays.append(
                Holiday(
                    day.date,
                    day.holiday_key,
                    day.name,
                    basis=day.decision.reference,
                    confirmed=day.decision.confirmed,
                )
            )
            taken.add(day.date)
    make_up = {
        d.date: MakeUpDay(
            d.date,
            d.name,
            d.decision.reference,
            d.decision.confirmed,
            d.works_as_weekday if d.works_as_weekday is not None else 0,
        )
        for d in decision_days
        if d.kind == DayKind.WORKING
    }
    return (
        sorted(h for h in holidays if h.date not in make_up),
        list(make_up.values()),
        [key for key in DECIDED_YEARLY if key not in replaced],
    )


def year_calendar(year: int, unit: Unit | None = None) -> YearCalendar:
    """A year's days off and make-up working days for ``unit``, with the decisions they
    rest on and the yearly holidays still computed by default."""
    chain = _unit_chain(unit)
    days_off, make_up_days, undecided = _year_days(year, chain)
    decisions = sorted(
        CalendarDecision.objects.filter(year=year).filter(Q(unit__isnull=True) | Q(unit__in=chain)),
        key=lambda d: (d.issued_on is None, d.issued_on or dt.date.min, d.title),
    )
    return YearCalendar(year, days_off, make_up_days, decisions, undecided)


def year_holidays(year: int, unit: Unit | None = None) -> list[Holiday]:
    return _year_days(year, _unit_chain(unit))[0]


def _year_rules(year: int, chain: list[Unit]) -> YearRules:
    days_off, make_up_days, _undecided = _year_days(year, chain)
    return YearRules(
        days_off={h.date: h.name for h in days_off},
        extra_working_days={d.date: d.works_as_weekday for d in make_up_days},
    )


def _schedules(chain: list[Unit]) -> list[ScheduleVersion]:
    for owner in [*chain, None]:
        rows = WorkSchedule.objects.filter(unit=owner).prefetch_related("periods")
        versions = []
        for schedule in rows:
            weekly: dict[int, list[Period]] = defaultdict(list)
            for period in schedule.periods.all():
                weekly[period.weekday].append(Period(period.start, period.end))
            versions.append(
                ScheduleVersion(schedule.valid_from, schedule.valid_until, dict(weekly))
            )
        if versions:
            return versions
    # Nothing configured at all: the common office hours of state agencies.
    return [ScheduleVersion(OPEN_START, OPEN_END, STANDARD_WEEK)]


def _counting_versions(chain: list[Unit]) -> list[CountingVersion]:
    """The day-counting rules of the nearest unit (itself, then its ancestors, then the row
    without a unit) that has any; the engine's default where none has (one query)."""
    rows = list(DayCountingRule.objects.filter(Q(unit__isnull=True) | Q(unit__in=chain)))
    for owner in [*(u.pk for u in chain), None]:
        versions = [
            CountingVersion(row.valid_from, row.valid_until, DayCounting(row.rule))
            for row in rows
            if row.unit_id == owner
        ]
        if versions:
            return versions
    return [CountingVersion(OPEN_START, OPEN_END, DEFAULT_DAY_COUNTING)]


def calendar_for_unit(unit: Unit | None = None) -> WorkCalendar:
    """A calendar for one unit; it loads each year's rules once, when first needed."""
    chain = _unit_chain(unit)
    return WorkCalendar(
        schedules=_schedules(chain),
        year_rules=lambda year: _year_rules(year, chain),
        counting=_counting_versions(chain),
    )
