import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.core.validity import OPEN_END, OPEN_START
from egov.workdays.engine import (
    STANDARD_WEEK,
    VIETNAM_TZ,
    CountingVersion,
    DayCounting,
    Period,
    ScheduleVersion,
    WorkCalendar,
    YearRules,
)
from egov.workdays.rules import (
    quoc_khanh_adjacent_day,
    statutory_holidays,
    with_compensatory_days,
)


def _rules_calendar(weekly=STANDARD_WEEK, extra_working=None, counting=None):
    def year_rules(year):
        days = {h.date: h.name for h in with_compensatory_days(statutory_holidays(year))}
        return YearRules(days_off=days, extra_working_days=extra_working or {})

    return WorkCalendar(
        schedules=[ScheduleVersion(OPEN_START, OPEN_END, weekly)],
        year_rules=year_rules,
        counting=[CountingVersion(OPEN_START, OPEN_END, counting)] if counting else (),
    )


SAME_TIME, END_OF_DAY = DayCounting.SAME_TIME, DayCounting.END_OF_DAY


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=VIETNAM_TZ)


def test_gio_to_on_sunday_is_compensated_on_monday():
    days = {h.date: h for h in with_compensatory_days(statutory_holidays(2026))}
    assert days[dt.date(2026, 4, 26)].name.startswith("Giỗ Tổ")
    assert days[dt.date(2026, 4, 27)].compensatory


def test_compensation_skips_days_that_are_already_holidays():
    # 2023: Giỗ Tổ Saturday 29/4, 30/4 Sunday, 1/5 Monday → compensated 2/5 and 3/5.
    days = with_compensatory_days(statutory_holidays(2023))
    compensatory = sorted(h.date for h in days if h.compensatory)
    assert dt.date(2023, 5, 2) in compensatory
    assert dt.date(2023, 5, 3) in compensatory
    assert dt.date(2023, 5, 1) not in compensatory


def test_tet_is_five_days_around_lunar_new_year():
    tet = [h.date for h in statutory_holidays(2025) if h.key == "tet_am_lich"]
    assert tet == [dt.date(2025, 1, 28) + dt.timedelta(days=i) for i in range(5)]


@pytest.mark.parametrize("year", range(2020, 2040))
def test_quoc_khanh_adjacent_day_touches_2_september(year):
    adjacent = quoc_khanh_adjacent_day(year)
    assert abs((adjacent - dt.date(year, 9, 2)).days) == 1


def test_same_time_keeps_position_in_working_day():
    cal = _rules_calendar(counting=SAME_TIME)
    # Friday 10:00 + 1 working day → Monday 10:00 (weekend skipped).
    assert cal.add_working_days(at("2026-03-06 10:00"), 1) == at("2026-03-09 10:00")


def test_end_of_day_does_not_count_the_day_of_receipt_and_ends_at_closing():
    # Bộ luật Dân sự 2015 Điều 147 khoản 3, Điều 148 khoản 1: Friday 10:00 + 1 working day →
    # Monday is day 1, due at its close.
    cal = _rules_calendar()
    assert cal.day_counting_on(dt.date(2026, 3, 6)) == END_OF_DAY  # the engine's default
    assert cal.add_working_days(at("2026-03-06 10:00"), 1) == at("2026-03-09 17:00")
    # The hour of receipt does not matter: 07:31 and 16:59 give the same due moment.
    assert cal.add_working_days(at("2026-03-09 07:31"), 2) == at("2026-03-11 17:00")
    assert cal.add_working_days(at("2026-03-09 16:59"), 2) == at("2026-03-11 17:00")


@pytest.mark.parametrize(
    ("counting", "days", "due"),
    [
        # Friday 24/4/2026 10:00: Mon 27/4 is the Giỗ Tổ compensatory day → Tue 28/4 (1),
        # Wed 29/4 (2); 30/4 and 1/5 are holidays, 2-3/5 weekend → Mon 4/5 (3).
        (SAME_TIME, 2, "2026-04-29 10:00"),
        (SAME_TIME, 3, "2026-05-04 10:00"),
        (END_OF_DAY, 2, "2026-04-29 17:00"),
        (END_OF_DAY, 3, "2026-05-04 17:00"),
    ],
)
def test_add_days_skips_holidays_and_compensatory_days(counting, days, due):
    cal = _rules_calendar(counting=counting)
    assert cal.add_working_days(at("2026-04-24 10:00"), days) == at(due)


@pytest.mark.parametrize(
    ("counting", "received", "days", "due"),
    [
        # Saturday: the first working day counts whole under both rules.
        (SAME_TIME, "2026-03-07 09:00", 1, "2026-03-09 17:00"),
        (END_OF_DAY, "2026-03-07 09:00", 1, "2026-03-09 17:00"),
        # Before opening on a working day: same-time counts that day; the Civil Code does not
        # count the day of the event, whatever its hour.
        (SAME_TIME, "2026-03-09 06:00", 2, "2026-03-10 17:00"),
        (END_OF_DAY, "2026-03-09 06:00", 2, "2026-03-11 17:00"),
        # After closing.
        (SAME_TIME, "2026-03-09 18:30", 1, "2026-03-10 17:00"),
        (END_OF_DAY, "2026-03-09 18:30", 1, "2026-03-10 17:00"),
    ],
)
def test_received_outside_office_hours(counting, received, days, due):
    cal = _rules_calendar(counting=counting)
    assert cal.add_working_days(at(received), days) == at(due)


def test_an_explicit_rule_overrides_the_calendars_and_versions_apply_by_start_day():
    cal = WorkCalendar(
        schedules=[ScheduleVersion(OPEN_START, OPEN_END, STANDARD_WEEK)],
        year_rules=lambda year: YearRules(),
        counting=[
            CountingVersion(OPEN_START, dt.date(2026, 3, 10), SAME_TIME),
            CountingVersion(dt.date(2026, 3, 10), OPEN_END, END_OF_DAY),
        ],
    )
    assert cal.add_working_days(at("2026-03-09 10:00"), 1) == at("2026-03-10 10:00")
    assert cal.add_working_days(at("2026-03-10 10:00"), 1) == at("2026-03-11 17:00")
    assert cal.add_working_days(at("2026-03-10 10:00"), 1, counting=SAME_TIME) == at(
        "2026-03-11 10:00"
    )
    # Zero days is the next working moment under either rule.
    assert cal.add_working_days(at("2026-03-10 18:00"), 0) == at("2026-03-11 07:30")


def test_add_hours_crosses_lunch_and_nights():
    cal = _rules_calendar()
    # 8 working hours from Monday 10:00: 1.5 h morning + 3.5 h afternoon + 3 h Tuesday.
    assert cal.add_working_hours(at("2026-03-09 10:00"), 8) == at("2026-03-10 10:30")
    # Ends exactly at noon closing rather than at 13:30.
    assert cal.add_working_hours(at("2026-03-09 10:30"), 1) == at("2026-03-09 11:30")


def test_within_the_day_with_15h_cutoff():
    cal = _rules_calendar()
    assert cal.due_within_day(at("2026-03-09 14:59")) == at("2026-03-09 17:00")
    assert cal.due_within_day(at("2026-03-09 15:00")) == at("2026-03-10 17:00")
    assert cal.due_within_day(at("2026-03-07 09:00")) == at("2026-03-09 17:00")


def test_saturday_morning_unit_and_make_up_day():
    weekly = dict(STANDARD_WEEK)
    weekly[5] = (Period(dt.time(7, 30), dt.time(11, 30)),)
    cal = _rules_calendar(weekly=weekly)
    assert cal.is_working_time(at("2026-03-07 08:00"))
    assert not cal.is_working_time(at("2026-03-07 14:00"))
    swapped = _rules_calendar(extra_working={dt.date(2026, 3, 14): 0})
    assert swapped.is_working_day(dt.date(2026, 3, 14))
    assert swapped.working_day_length(dt.date(2026, 3, 14)) == dt.timedelta(hours=7, minutes=30)


def test_working_time_between_is_antisymmetric_and_counts_only_office_hours():
    cal = _rules_calendar()
    a, b = at("2026-03-06 16:00"), at("2026-03-09 08:30")
    assert cal.working_time_between(a, b) == dt.timedelta(hours=2)
    assert cal.working_time_between(b, a) == -dt.timedelta(hours=2)


def test_rejects_naive_and_negative_input():
    cal = _rules_calendar(counting=SAME_TIME)
    with pytest.raises(ValueError):
        cal.add_working_days(dt.datetime(2026, 3, 9, 10, 0), 1)  # noqa: DTZ001
    with pytest.raises(ValueError):
        cal.add_working_days(at("2026-03-09 10:00"), -1)


moments = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),  # noqa: DTZ001 — hypothesis wants naive bounds
    max_value=dt.datetime(2027, 12, 31),  # noqa: DTZ001
).map(lambda m: m.replace(second=0, microsecond=0, tzinfo=VIETNAM_TZ))


def _is_on_or_closing_working_time(cal, moment):
    local = moment.astimezone(VIETNAM_TZ)
    return any(p.start <= local.time() <= p.end for p in cal.periods_on(local.date()))


@settings(max_examples=250, deadline=None)
@given(moments, st.integers(min_value=0, max_value=60), st.sampled_from(list(DayCounting)))
def test_due_moment_is_always_within_office_hours_of_a_working_day(start, days, counting):
    cal = _rules_calendar(counting=counting)
    due = cal.add_working_days(start, days)
    # Zero days is the next working moment (the start itself inside office hours); any day
    # more is strictly later.
    assert due > start if days else due >= start
    assert cal.is_working_day(due.date())
    assert _is_on_or_closing_working_time(cal, due)


@settings(max_examples=250, deadline=None)
@given(moments, st.integers(min_value=0, max_value=300 * 60))
def test_added_working_time_is_measured_back_exactly(start, minutes):
    cal = _rules_calendar()
    amount = dt.timedelta(minutes=minutes)
    due = cal.add_working_time(start, amount)
    assert cal.working_time_between(start, due) == amount
    if minutes:
        # Earliest such moment: one minute earlier is not enough.
        assert cal.working_time_between(start, due - dt.timedelta(minutes=1)) < amount


@settings(max_examples=150, deadline=None)
@given(moments, st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=30))
def test_more_days_never_give_an_earlier_due_moment(start, n, extra):
    for counting in DayCounting:
        cal = _rules_calendar(counting=counting)
        assert cal.add_working_days(start, n) <= cal.add_working_days(start, n + extra)


@settings(max_examples=150, deadline=None)
@given(moments, st.integers(min_value=1, max_value=30))
def test_end_of_day_is_never_earlier_than_same_time_and_at_most_one_working_day_later(start, days):
    same = _rules_calendar(counting=SAME_TIME).add_working_days(start, days)
    end = _rules_calendar(counting=END_OF_DAY).add_working_days(start, days)
    cal = _rules_calendar()
    assert same <= end
    assert cal.working_time_between(same, end) <= dt.timedelta(hours=7, minutes=30)


def test_days_the_code_fixes_are_confirmed_and_the_defaults_are_not():
    days = {h.date: h for h in with_compensatory_days(statutory_holidays(2027))}
    assert days[dt.date(2027, 1, 1)].confirmed
    assert days[dt.date(2027, 1, 1)].basis == "BLLĐ 2019 Điều 112 khoản 1"
    # Tết Đinh Mùi: mùng 1 is Saturday 06/02/2027; the default days and the compensatory
    # days they give wait for the Prime Minister's decision.
    tet = sorted(d for d, h in days.items() if h.key == "tet_am_lich")
    assert tet == [dt.date(2027, 2, day) for day in (5, 6, 7, 8, 9, 10, 11)]
    assert not any(days[d].confirmed for d in tet)
    assert days[dt.date(2027, 2, 10)].basis == "BLLĐ 2019 Điều 111 khoản 3 (nghỉ bù)"
    assert not days[dt.date(2027, 9, 3)].confirmed  # default day next to 2/9
    # 1/5/2027 is a Saturday: Điều 111 khoản 3 gives Monday 3/5, a confirmed day.
    assert days[dt.date(2027, 5, 3)].compensatory and days[dt.date(2027, 5, 3)].confirmed
