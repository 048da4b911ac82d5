import datetime as dt

import pytest
from django.test import override_settings

from egov.reports.periods import (
    Convention,
    PeriodError,
    PeriodKind,
    period_between,
    period_containing,
    period_of,
)
from egov.workdays.engine import VIETNAM_TZ

D = dt.date
CUT, CAL = Convention.CUTOFF, Convention.CALENDAR


@pytest.mark.parametrize(
    ("kind", "index", "first", "last"),
    [
        (PeriodKind.MONTH, 1, D(2025, 12, 15), D(2026, 1, 14)),
        (PeriodKind.MONTH, 7, D(2026, 6, 15), D(2026, 7, 14)),
        (PeriodKind.QUARTER, 1, D(2025, 12, 15), D(2026, 3, 14)),
        (PeriodKind.QUARTER, 2, D(2026, 3, 15), D(2026, 6, 14)),
        (PeriodKind.QUARTER, 4, D(2026, 9, 15), D(2026, 12, 14)),
        (PeriodKind.HALF_YEAR, None, D(2025, 12, 15), D(2026, 6, 14)),
        (PeriodKind.NINE_MONTHS, None, D(2025, 12, 15), D(2026, 9, 14)),
        (PeriodKind.YEAR, None, D(2025, 12, 15), D(2026, 12, 14)),
    ],
)
def test_cutoff_periods_follow_decree_09_2019(kind, index, first, last):
    period = period_of(kind, 2026, index, convention=CUT)
    assert (period.first_day, period.last_day) == (first, last)


@pytest.mark.parametrize(
    ("kind", "index", "first", "last"),
    [
        (PeriodKind.MONTH, 2, D(2028, 2, 1), D(2028, 2, 29)),
        (PeriodKind.QUARTER, 4, D(2028, 10, 1), D(2028, 12, 31)),
        (PeriodKind.HALF_YEAR, None, D(2028, 1, 1), D(2028, 6, 30)),
        (PeriodKind.NINE_MONTHS, None, D(2028, 1, 1), D(2028, 9, 30)),
        (PeriodKind.YEAR, None, D(2028, 1, 1), D(2028, 12, 31)),
    ],
)
def test_calendar_periods(kind, index, first, last):
    period = period_of(kind, 2028, index, convention=CAL)
    assert (period.first_day, period.last_day) == (first, last)


def test_bounds_are_half_open_in_vietnam_time():
    period = period_of(PeriodKind.MONTH, 2026, 3, convention=CAL)
    assert period.bounds() == (
        dt.datetime(2026, 3, 1, tzinfo=VIETNAM_TZ),
        dt.datetime(2026, 4, 1, tzinfo=VIETNAM_TZ),
    )
    assert period.start.astimezone(dt.UTC) == dt.datetime(2026, 2, 28, 17, tzinfo=dt.UTC)


def test_default_convention_is_the_setting():
    assert period_of(PeriodKind.MONTH, 2026, 5).first_day == D(2026, 4, 15)
    with override_settings(EGOV_REPORT_PERIODS="calendar"):
        assert period_of(PeriodKind.MONTH, 2026, 5).first_day == D(2026, 5, 1)


@pytest.mark.parametrize(
    ("day", "kind", "convention", "first"),
    [
        (D(2026, 3, 14), PeriodKind.MONTH, CUT, D(2026, 2, 15)),
        (D(2026, 3, 15), PeriodKind.MONTH, CUT, D(2026, 3, 15)),
        (D(2026, 12, 20), PeriodKind.QUARTER, CUT, D(2026, 12, 15)),
        (D(2026, 12, 20), PeriodKind.QUARTER, CAL, D(2026, 10, 1)),
    ],
)
def test_period_containing_a_day(day, kind, convention, first):
    period = period_containing(day, kind, convention=convention)
    assert period.first_day == first
    assert period.first_day <= day <= period.last_day


@pytest.mark.parametrize(("kind", "index"), [(PeriodKind.MONTH, 13), (PeriodKind.QUARTER, 0)])
def test_periods_that_do_not_exist(kind, index):
    with pytest.raises(PeriodError):
        period_of(kind, 2026, index)


def test_a_free_range_ends_after_it_starts():
    assert period_between(D(2026, 1, 1), D(2026, 1, 1)).end == dt.datetime(
        2026, 1, 2, tzinfo=VIETNAM_TZ
    )
    with pytest.raises(PeriodError):
        period_between(D(2026, 1, 2), D(2026, 1, 1))
