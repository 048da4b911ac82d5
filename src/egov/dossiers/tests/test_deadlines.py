"""Due moments of channels counted in fractions of working days and in working hours, on the
provincial centre's calendar (office hours 07:30–11:30 and 13:30–17:00: a working day is 7.5
hours; March 2026 has no holiday; 2 March is a Monday), by both day-counting rules."""

import datetime as dt
from decimal import Decimal

import pytest

from egov.catalog.models import Channel, TimeKind
from egov.dossiers.services.deadlines import due_moment
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ
from egov.workdays.selectors import calendar_for_unit
from egov.workdays.services import day_counting_rule_load

pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


@pytest.fixture
def calendar(quang_ninh):
    return calendar_for_unit(Unit.objects.get(key="qn.ttpvhcc"))


@pytest.fixture
def same_time_calendar(quang_ninh):
    day_counting_rule_load(
        actor=None,
        data={"unit": "qn.ubnd", "rule": "same_time", "basis": "Lựa chọn của tỉnh (kiểm thử)"},
    )
    return calendar_for_unit(Unit.objects.get(key="qn.ttpvhcc"))


@pytest.mark.parametrize(
    ("amount", "received", "due", "rule"),
    [
        # One whole day, Monday not counted: the close of Tuesday; then half of 7.5 h
        # = 3 h 45 of Wednesday.
        ("1.5", at(2026, 3, 2, 9, 0), at(2026, 3, 4, 11, 15), "1.5 ngày làm việc"),
        # Half a day alone: 3 h 45 of working time from the receipt.
        ("0.5", at(2026, 3, 2, 9, 0), at(2026, 3, 2, 14, 45), "0.5 ngày làm việc"),
        # Received on Friday: the whole day is Monday, the half day on Tuesday.
        ("1.50", at(2026, 3, 6, 9, 0), at(2026, 3, 10, 11, 15), "1.5 ngày làm việc"),
        # Two days end on Wednesday's close; a quarter of a day (1 h 52.5 min) on Thursday.
        ("2.25", at(2026, 3, 2, 14, 0), at(2026, 3, 5, 9, 22, 30), "2.25 ngày làm việc"),
    ],
)
def test_fractional_working_days(calendar, amount, received, due, rule):
    channel = Channel(time_kind=TimeKind.WORKING_DAYS, time_amount=Decimal(amount))
    assert due_moment(channel, received, calendar) == (due, rule)


@pytest.mark.parametrize(
    ("amount", "received", "due", "rule"),
    [
        # One day (Tue 09:00, the hour of receipt) plus half of 7.5 h = 3 h 45 of Tuesday.
        ("1.5", at(2026, 3, 2, 9, 0), at(2026, 3, 3, 14, 45), "1.5 ngày làm việc"),
        ("0.5", at(2026, 3, 2, 9, 0), at(2026, 3, 2, 14, 45), "0.5 ngày làm việc"),
        # Received on Friday: the whole day falls on Monday, the half day after it.
        ("1.50", at(2026, 3, 6, 9, 0), at(2026, 3, 9, 14, 45), "1.5 ngày làm việc"),
        # A quarter of a day (1 h 52.5 min) after the lunch break.
        ("2.25", at(2026, 3, 2, 14, 0), at(2026, 3, 4, 15, 52, 30), "2.25 ngày làm việc"),
    ],
)
def test_fractional_working_days_keeping_the_clock_time(
    same_time_calendar, amount, received, due, rule
):
    channel = Channel(time_kind=TimeKind.WORKING_DAYS, time_amount=Decimal(amount))
    assert due_moment(channel, received, same_time_calendar) == (due, rule)


@pytest.mark.parametrize(
    ("amount", "received", "due", "rule"),
    [
        # 1 h on Monday afternoon, then 4 h of Tuesday morning and 3 h of its afternoon.
        ("8", at(2026, 3, 2, 16, 0), at(2026, 3, 3, 16, 30), "8 giờ làm việc"),
        # Friday afternoon: 2 h on Friday, 2 h on Monday morning (the weekend does not count).
        ("4.00", at(2026, 3, 6, 15, 0), at(2026, 3, 9, 9, 30), "4 giờ làm việc"),
        # Received before opening: counted from 07:30.
        ("1.5", at(2026, 3, 2, 6, 0), at(2026, 3, 2, 9, 0), "1.5 giờ làm việc"),
        # Received during the lunch break: counted from 13:30.
        ("2", at(2026, 3, 2, 12, 0), at(2026, 3, 2, 15, 30), "2 giờ làm việc"),
    ],
)
def test_working_hours(calendar, amount, received, due, rule):
    channel = Channel(time_kind=TimeKind.WORKING_HOURS, time_amount=Decimal(amount))
    assert due_moment(channel, received, calendar) == (due, rule)


def test_a_channel_without_a_time_has_no_due_moment(calendar):
    for kind in (TimeKind.WORKING_DAYS, TimeKind.WORKING_HOURS, TimeKind.UNKNOWN):
        channel = Channel(time_kind=kind, time_amount=None)
        assert due_moment(channel, at(2026, 3, 2, 9, 0), calendar) == (
            None,
            "thời hạn chưa xác định trong danh mục",
        )
