"""Working-time arithmetic over a unit's office hours and non-working days.

Pure Python (no database): ``selectors.calendar_for_unit`` builds a ``WorkCalendar`` from
the stored schedules, yearly decisions and the province's day-counting rule. Moments are
timezone-aware; arithmetic happens in Vietnam's civil time (Asia/Ho_Chi_Minh, UTC+7, no
daylight saving).

Definitions (used for legal processing times, "… ngày làm việc kể từ ngày nhận đủ hồ sơ
hợp lệ", and the procedure records):
- ``add_working_time(start, d)``: the earliest moment ``m`` such that the working time
  between ``start`` and ``m`` is ``d``; it therefore ends on the close of a period (17:00)
  rather than at the next opening. Periods in hours start at the moment itself (Bộ luật
  Dân sự 2015 Điều 147 khoản 1).
- ``add_working_days(start, n)`` follows the calendar's ``DayCounting`` rule (a province
  setting, docs/calendar.md):
  - ``END_OF_DAY`` (default): Bộ luật Dân sự 2015 Điều 147 khoản 2–3 and Điều 148 khoản 1, 5
    — the day of receipt is not counted, the period ends at the end of its last (working)
    day; for an agency that is the close of its office hours that day (receipts and results
    are handed over at the desk). Received Monday 10:00 + 2 days → Wednesday 17:00.
  - ``SAME_TIME``: the same position in the working day ``n`` working days later (received
    Monday 10:00 + 2 days → Wednesday 10:00). Received before opening, or outside working
    time, the clock starts with the next opening and the due moment is the close of the
    n-th working day.
- ``due_within_day(start, cutoff)``: "trong ngày" procedures — the close of the day of
  receipt, or of the next working day when received after the cut-off (15:00).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SEARCH_HORIZON_DAYS = 3 * 366


class DayCounting(StrEnum):
    """How a period of whole working days is counted (docs/calendar.md, "Counting days")."""

    END_OF_DAY = "end_of_day"
    SAME_TIME = "same_time"


DEFAULT_DAY_COUNTING = DayCounting.END_OF_DAY


class CalendarError(ValueError):
    """The calendar cannot answer (e.g. no working day within three years)."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"period must start before it ends: {self.start}-{self.end}")

    @property
    def duration(self) -> dt.timedelta:
        return _combine(dt.date(2000, 1, 3), self.end) - _combine(dt.date(2000, 1, 3), self.start)


WeeklyHours = Mapping[int, Sequence[Period]]

# Used only when no office hours are stored at all. 7.5 h a day is a data choice, not law:
# the 40-hour week (QĐ 188/1999/QĐ-TTg) means 8 h, and each province fixes its own hours
# (docs/calendar.md, "Office hours").
STANDARD_WEEK: dict[int, tuple[Period, ...]] = {
    weekday: (Period(dt.time(7, 30), dt.time(11, 30)), Period(dt.time(13, 30), dt.time(17, 0)))
    for weekday in range(5)
}


@dataclass(frozen=True)
class YearRules:
    """What a year's law and decisions say: non-working dates, and working dates that
    would otherwise be off (a swapped Saturday) with the weekday whose hours apply."""

    days_off: Mapping[dt.date, str] = field(default_factory=dict)
    extra_working_days: Mapping[dt.date, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ScheduleVersion:
    valid_from: dt.date
    valid_until: dt.date
    weekly: WeeklyHours


@dataclass(frozen=True)
class CountingVersion:
    """The day-counting rule in force from ``valid_from`` (inclusive) to ``valid_until``
    (exclusive); a period is counted by the rule in force on the day it starts."""

    valid_from: dt.date
    valid_until: dt.date
    rule: DayCounting


def _combine(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=VIETNAM_TZ)


class WorkCalendar:
    def __init__(
        self,
        *,
        schedules: Sequence[ScheduleVersion],
        year_rules: Callable[[int], YearRules],
        counting: Sequence[CountingVersion] = (),
    ) -> None:
        if not schedules:
            raise CalendarError("a calendar needs at least one office-hours schedule")
        self._schedules = sorted(schedules, key=lambda s: s.valid_from, reverse=True)
        self._year_rules = lru_cache(maxsize=256)(year_rules)
        self._counting = sorted(counting, key=lambda c: c.valid_from, reverse=True)

    def day_counting_on(self, day: dt.date) -> DayCounting:
        for version in self._counting:
            if version.valid_from <= day < version.valid_until:
                return version.rule
        return DEFAULT_DAY_COUNTING

    # --- days -----------------------------------------------------------------------
    def _weekly_on(self, day: dt.date) -> WeeklyHours:
        for schedule in self._schedules:
            if schedule.valid_from <= day < schedule.valid_until:
                return schedule.weekly
        return {}

    def periods_on(self, day: dt.date) -> tuple[Period, ...]:
        rules = self._year_rules(day.year)
        weekly = self._weekly_on(day)
        if day in rules.extra_working_days:
            return tuple(sorted(weekly.get(rules.extra_working_days[day], ())))
        if day in rules.days_off:
            return ()
        return tuple(sorted(weekly.get(day.weekday(), ())))

    def plan_weekday(self, day: dt.date) -> int:
        """The weekday whose weekly plans apply on ``day``: a swapped working Saturday works
        as the weekday it stands in for (its office hours, a centre's counter plan)."""
        return self._year_rules(day.year).extra_working_days.get(day, day.weekday())

    def day_off_reason(self, day: dt.date) -> str | None:
        rules = self._year_rules(day.year)
        if day in rules.extra_working_days:
            return None
        return rules.days_off.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.periods_on(day))

    def working_day_length(self, day: dt.date) -> dt.timedelta:
        return sum((p.duration for p in self.periods_on(day)), dt.timedelta())

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        candidate = day
        for _ in range(SEARCH_HORIZON_DAYS):
            candidate += dt.timedelta(days=1)
            if self.is_working_day(candidate):
                return candidate
        raise CalendarError(f"no working day within {SEARCH_HORIZON_DAYS} days after {day}")

    def close_of(self, day: dt.date) -> dt.datetime:
        periods = self.periods_on(day)
        if not periods:
            raise CalendarError(f"{day} is not a working day")
        return _combine(day, periods[-1].end)

    # --- moments --------------------------------------------------------------------
    @staticmethod
    def _local(moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise ValueError("moments must be timezone-aware")
        return moment.astimezone(VIETNAM_TZ)

    def is_working_time(self, moment: dt.datetime) -> bool:
        local = self._local(moment)
        return any(
            _combine(local.date(), p.start) <= local < _combine(local.date(), p.end)
            for p in self.periods_on(local.date())
        )

    def next_working_moment(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` itself during working time, else the next opening."""
        local = self._local(moment)
        day = local.date()
        for _ in range(SEARCH_HORIZON_DAYS):
            for period in self.periods_on(day):
                start, end = _combine(day, period.start), _combine(day, period.end)
                if local < end:
                    return max(local, start)
            day += dt.timedelta(days=1)
        raise CalendarError(f"no working time within {SEARCH_HORIZON_DAYS} days")

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time in [start, end); negative when ``end`` is before ``start``."""
        a, b = self._local(start), self._local(end)
        if b < a:
            return -self.working_time_between(end, start)
        total = dt.timedelta()
        day = a.date()
        while day <= b.date():
            for period in self.periods_on(day):
                seg_start = max(a, _combine(day, period.start))
                seg_end = min(b, _combine(day, period.end))
                if seg_end > seg_start:
                    total += seg_end - seg_start
            day += dt.timedelta(days=1)
        return total

    def add_working_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        if amount < dt.timedelta():
            raise ValueError("amount must not be negative")
        local = self._local(start)
        if amount == dt.timedelta():
            return local
        remaining = amount
        day = local.date()
        for _ in range(SEARCH_HORIZON_DAYS * 4):
            for period in self.periods_on(day):
                seg_start = max(local, _combine(day, period.start))
                seg_end = _combine(day, period.end)
                if seg_end <= seg_start:
                    continue
                available = seg_end - seg_start
                if available >= remaining:
                    return seg_start + remaining
                remaining -= available
            day += dt.timedelta(days=1)
        raise CalendarError("working time cannot be added within the search horizon")

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        if hours < 0:
            raise ValueError("hours must not be negative")
        return self.add_working_time(start, dt.timedelta(hours=hours))

    def add_working_days(
        self, start: dt.datetime, days: int, *, counting: DayCounting | None = None
    ) -> dt.datetime:
        """``days`` whole working days from ``start`` by ``counting``, or else by the rule in
        force on the day of ``start``."""
        if days < 0:
            raise ValueError("days must not be negative")
        local = self._local(start)
        if days == 0:
            return self.next_working_moment(local)
        rule = counting or self.day_counting_on(local.date())
        if rule == DayCounting.END_OF_DAY:
            # Điều 147: the day of the event is not counted, whatever the hour; Điều 148: the
            # period ends with its last day, a working day (khoản 5 moves it past days off).
            target = local.date()
            for _ in range(days):
                target = self.next_working_day(target)
            return self.close_of(target)
        return self._same_time_days(local, days)

    def _same_time_days(self, local: dt.datetime, days: int) -> dt.datetime:
        day = local.date()
        periods = self.periods_on(day)
        elapsed = dt.timedelta()
        if periods and local < _combine(day, periods[-1].end):
            opening = _combine(day, periods[0].start)
            elapsed = self.working_time_between(opening, max(local, opening))
            first_day = day
        else:
            first_day = self.next_working_day(day)
        if elapsed == dt.timedelta():
            # The whole first day counts: due at the close of the n-th working day.
            target = first_day
            for _ in range(days - 1):
                target = self.next_working_day(target)
            return self.close_of(target)
        target = first_day
        for _ in range(days):
            target = self.next_working_day(target)
        offset = min(elapsed, self.working_day_length(target))
        return self.add_working_time(_combine(target, self.periods_on(target)[0].start), offset)

    def due_within_day(self, start: dt.datetime, cutoff: dt.time = dt.time(15, 0)) -> dt.datetime:
        local = self._local(start)
        day = local.date()
        if self.is_working_day(day) and local.time() < cutoff and local < self.close_of(day):
            return self.close_of(day)
        return self.close_of(self.next_working_day(day))
