"""Calendar vectors for 2025 and 2026: the loaded decisions (egov/workdays/data/) against the
days the review found official (legal audit 12/2026 §4.2), and deadlines across the swaps."""

import datetime as dt

import pytest

from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ, DayCounting
from egov.workdays.models import DayCountingRule
from egov.workdays.selectors import calendar_for_unit, year_calendar
from egov.workdays.services import CalendarDataError, day_counting_rule_load

pytestmark = pytest.mark.django_db


def d(text):
    return dt.date.fromisoformat(text)


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=VIETNAM_TZ)


def _every_day(year):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


def _weekdays_off(cal, year):
    return {day for day in _every_day(year) if day.weekday() < 5 and not cal.is_working_day(day)}


def _weekend_days_worked(cal, year):
    return {day for day in _every_day(year) if day.weekday() >= 5 and cal.is_working_day(day)}


def test_2025_days_off_and_make_up_saturday(quang_ninh):
    cal = calendar_for_unit(None)
    # Tết Ất Tỵ 27–31/01 (not the default 28/01–01/02 with Monday 03/02 in lieu), Giỗ Tổ
    # Monday 07/04, 30/4, 1/5, the 02/5 swap, Quốc khánh 01–02/09.
    assert _weekdays_off(cal, 2025) == {
        d("2025-01-01"),
        *(d(f"2025-01-{day}") for day in range(27, 32)),
        d("2025-04-07"),
        d("2025-04-30"),
        d("2025-05-01"),
        d("2025-05-02"),
        d("2025-09-01"),
        d("2025-09-02"),
    }
    assert _weekend_days_worked(cal, 2025) == {d("2025-04-26")}
    assert cal.is_working_day(d("2025-02-03"))


def test_2026_days_off_and_make_up_saturdays(quang_ninh):
    cal = calendar_for_unit(None)
    assert _weekdays_off(cal, 2026) == {
        d("2026-01-01"),
        d("2026-01-02"),
        *(d(f"2026-02-{day}") for day in range(16, 21)),
        d("2026-04-27"),
        d("2026-04-30"),
        d("2026-05-01"),
        d("2026-08-31"),
        d("2026-09-01"),
        d("2026-09-02"),
        d("2026-11-24"),
    }
    assert _weekend_days_worked(cal, 2026) == {d("2026-01-10"), d("2026-08-22")}
    assert not cal.is_working_day(d("2026-01-02"))
    assert cal.is_working_day(d("2026-01-10"))
    assert cal.is_working_day(d("2026-08-22"))
    assert not cal.is_working_day(d("2026-08-31"))
    assert not cal.is_working_day(d("2026-09-01"))
    assert not cal.is_working_day(d("2026-09-02"))
    assert cal.is_working_day(d("2026-09-03"))  # no longer the default adjacent day
    # A make-up Saturday works the hours of the weekday it replaces (Friday, Monday).
    assert cal.working_day_length(d("2026-01-10")) == dt.timedelta(hours=7, minutes=30)
    assert cal.day_off_reason(d("2026-08-31")) == "Nghỉ hoán đổi (làm bù thứ Bảy 22/8/2026)"


def test_2025_and_2026_are_fixed_by_decisions_2027_by_the_code_only(quang_ninh):
    assert year_calendar(2025).note == ""
    assert year_calendar(2026).note == ""
    later = year_calendar(2027)
    assert later.law_only
    assert later.undecided == ["tet_am_lich", "quoc_khanh"]
    assert "chỉ tính theo Bộ luật Lao động 2019" in later.note
    # Only the 24/11 resolution is loaded for 2027, marked as seen in other systems.
    assert [(x.number, x.confidence, x.confirmed) for x in later.decisions] == [
        ("28/2026/QH16", "I", False)
    ]


@pytest.mark.parametrize(
    ("received", "days", "end_of_day", "same_time"),
    [
        # Tue 30/12/2025 + 3: Wed 31/12 (1); 1/1 holiday, Fri 2/1 swapped, weekend;
        # Mon 5/1 (2), Tue 6/1 (3).
        ("2025-12-30 10:00", 3, "2026-01-06 17:00", "2026-01-06 10:00"),
        # Thu 8/1/2026 + 2: Fri 9/1 (1), Saturday 10/1 worked (2).
        ("2026-01-08 10:00", 2, "2026-01-10 17:00", "2026-01-10 10:00"),
        # Thu 20/8/2026 + 3: Fri 21/8 (1), Saturday 22/8 worked (2), Mon 24/8 (3).
        ("2026-08-20 10:00", 3, "2026-08-24 17:00", "2026-08-24 10:00"),
        # Fri 28/8/2026 + 1: 29/8–2/9 off (31/8 swapped, 1/9 adjacent day) → Thu 3/9.
        ("2026-08-28 10:00", 1, "2026-09-03 17:00", "2026-09-03 10:00"),
        # Fri 24/1/2025 + 1: Tết 27–31/1, weekend → Mon 3/2 (a working day in 2025).
        ("2025-01-24 10:00", 1, "2025-02-03 17:00", "2025-02-03 10:00"),
        # Mon 23/11/2026 + 1: 24/11 off (Ngày Văn hóa Việt Nam, entered as unconfirmed data).
        ("2026-11-23 10:00", 1, "2026-11-25 17:00", "2026-11-25 10:00"),
    ],
)
def test_deadlines_across_the_swaps_by_both_rules(
    quang_ninh, received, days, end_of_day, same_time
):
    cal = calendar_for_unit(None)
    assert cal.add_working_days(at(received), days) == at(end_of_day)
    assert cal.add_working_days(at(received), days, counting=DayCounting.SAME_TIME) == at(same_time)


def test_working_hours_run_through_a_make_up_saturday(quang_ninh):
    cal = calendar_for_unit(None)
    # 8 working hours from Fri 9/1/2026 16:00: 1 h on Friday, 4 h Saturday morning, 3 h of
    # the afternoon.
    assert cal.add_working_hours(at("2026-01-09 16:00"), 8) == at("2026-01-10 16:30")


def test_the_province_rule_applies_to_its_units_and_from_its_date(quang_ninh):
    centre = Unit.objects.get(key="qn.ttpvhcc")
    # The loaded default (no unit): the Civil Code's counting.
    assert [r.unit for r in DayCountingRule.objects.all()] == [None]
    assert calendar_for_unit(centre).add_working_days(at("2026-03-09 10:00"), 2) == at(
        "2026-03-11 17:00"
    )
    rule, changed = day_counting_rule_load(
        actor=None,
        data={
            "unit": "qn.ubnd",
            "rule": "same_time",
            "valid_from": "2026-07-01",
            "basis": "Quyết định thử nghiệm của UBND tỉnh",
        },
    )
    assert changed
    assert (rule.unit.key, rule.rule) == ("qn.ubnd", "same_time")
    cal = calendar_for_unit(centre)
    # Before the province's date the default still applies; from it, the clock time is kept.
    assert cal.add_working_days(at("2026-06-30 10:00"), 2) == at("2026-07-02 17:00")
    assert cal.add_working_days(at("2026-07-01 10:00"), 2) == at("2026-07-03 10:00")
    # A unit outside the province's tree keeps the default.
    assert calendar_for_unit(None).add_working_days(at("2026-07-01 10:00"), 2) == at(
        "2026-07-03 17:00"
    )
    _, changed = day_counting_rule_load(
        actor=None,
        data={
            "unit": "qn.ubnd",
            "rule": "same_time",
            "valid_from": "2026-07-01",
            "basis": "Quyết định thử nghiệm của UBND tỉnh",
        },
    )
    assert not changed
    with pytest.raises(CalendarDataError) as error:
        day_counting_rule_load(
            actor=None, data={"unit": "khong-co", "rule": "hom-sau", "valid_from": "30/6"}
        )
    assert len(error.value.errors) == 4
