"""Builds working calendars from the law (rules.py) and the stored data."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from egov.core.validity import OPEN_END, OPEN_START
from egov.org.models import Unit
from egov.workdays.engine import (
    STANDARD_WEEK,
    Period,
    ScheduleVersion,
    WorkCalendar,
    YearRules,
)
from egov.workdays.models import CalendarDay, DayKind, WorkSchedule
from egov.workdays.rules import Holiday, statutory_holidays, with_compensatory_days


def _unit_chain(unit: Unit | None) -> list[Unit]:
    return [] if unit is None else [unit, *unit.ancestors()]


def year_holidays(year: int, unit: Unit | None = None) -> list[Holiday]:
    """Non-working holiday dates of ``year`` for ``unit``: the statutory days with their
    compensatory days, replaced holiday by holiday by the entered decisions, plus the
    decisions' extra days off, minus their make-up working days."""
    chain = _unit_chain(unit)
    decision_days = list(
        CalendarDay.objects.filter(decision__year=year)
        .filter(Q(decision__unit__isnull=True) | Q(decision__unit__in=chain))
        .order_by("date")
    )
    replaced = {d.holiday_key for d in decision_days if d.kind == DayKind.OFF}
    holidays = [
        h for h in with_compensatory_days(statutory_holidays(year)) if h.key not in replaced
    ]
    taken = {h.date for h in holidays}
    for day in decision_days:
        if day.kind == DayKind.OFF and day.date not in taken:
            holidays.append(Holiday(day.date, day.holiday_key, day.name))
            taken.add(day.date)
    working = {d.date for d in decision_days if d.kind == DayKind.WORKING}
    return sorted(h for h in holidays if h.date not in working)


def _year_rules(year: int, unit: Unit | None) -> YearRules:
    chain = _unit_chain(unit)
    working = {
        d.date: (d.works_as_weekday if d.works_as_weekday is not None else 0)
        for d in CalendarDay.objects.filter(decision__year=year, kind=DayKind.WORKING).filter(
            Q(decision__unit__isnull=True) | Q(decision__unit__in=chain)
        )
    }
    days_off = {h.date: h.name for h in year_holidays(year, unit)}
    return YearRules(days_off=days_off, extra_working_days=working)


def _schedules(unit: Unit | None) -> list[ScheduleVersion]:
    for owner in [*_unit_chain(unit), None]:
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


def calendar_for_unit(unit: Unit | None = None) -> WorkCalendar:
    """A calendar for one unit; it loads each year's rules once, when first needed."""
    return WorkCalendar(schedules=_schedules(unit), year_rules=lambda year: _year_rules(year, unit))
