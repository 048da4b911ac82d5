import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunardate import LunarDate as ChineseLunarDate

from egov.workdays.lunar import (
    LunarDate,
    LunarDateError,
    lunar_new_year,
    lunar_to_solar,
    solar_to_lunar,
)

# Mùng 1 Tết in Việt Nam (published Vietnamese calendars).
VIETNAMESE_NEW_YEARS = {
    1968: dt.date(1968, 1, 29),
    1985: dt.date(1985, 1, 21),
    2000: dt.date(2000, 2, 5),
    2007: dt.date(2007, 2, 17),
    2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
}

# Giỗ Tổ Hùng Vương (10/3 âm lịch) as observed in Việt Nam.
GIO_TO_DATES = {
    2020: dt.date(2020, 4, 2),
    2021: dt.date(2021, 4, 21),
    2022: dt.date(2022, 4, 10),
    2023: dt.date(2023, 4, 29),
    2024: dt.date(2024, 4, 18),
    2025: dt.date(2025, 4, 7),
    2026: dt.date(2026, 4, 26),
}


@pytest.mark.parametrize(("year", "expected"), sorted(VIETNAMESE_NEW_YEARS.items()))
def test_vietnamese_new_year(year, expected):
    assert lunar_new_year(year) == expected


@pytest.mark.parametrize(("year", "expected"), sorted(GIO_TO_DATES.items()))
def test_gio_to_hung_vuong(year, expected):
    assert lunar_to_solar(year, 3, 10) == expected


@pytest.mark.parametrize(
    ("year", "vietnam", "china"),
    [
        (1968, dt.date(1968, 1, 29), dt.date(1968, 1, 30)),
        (1985, dt.date(1985, 1, 21), dt.date(1985, 2, 20)),
        (2007, dt.date(2007, 2, 17), dt.date(2007, 2, 18)),
        (2030, dt.date(2030, 2, 2), dt.date(2030, 2, 3)),
    ],
)
def test_years_where_vietnam_and_china_differ(year, vietnam, china):
    assert lunar_new_year(year) == vietnam
    assert ChineseLunarDate(year, 1, 1).to_solar_date() == china
    assert lunar_new_year(year, tz=8.0) == china


def test_same_algorithm_at_utc8_reproduces_the_chinese_tables():
    """Independent check of the astronomy: run at UTC+8, it must give the new years of
    the Hong Kong Observatory-derived tables of ``lunardate`` for 1900-2099. 1916 is the
    known exception: China then kept Beijing local mean time, not UTC+8."""
    mismatches = [
        year
        for year in range(1900, 2100)
        if lunar_new_year(year, tz=8.0) != ChineseLunarDate(year, 1, 1).to_solar_date()
    ]
    assert mismatches == [1916]


def test_leap_month_2023_is_second_month():
    # 2023 (Quý Mão) had a leap 2nd month: 20/03/2023 = 1/2 nhuận.
    assert solar_to_lunar(dt.date(2023, 3, 22)) == LunarDate(2023, 2, 1, leap=True)
    assert lunar_to_solar(2023, 2, 1, leap=True) == dt.date(2023, 3, 22)
    with pytest.raises(LunarDateError):
        lunar_to_solar(2023, 5, 1, leap=True)


def test_rejects_dates_outside_range_and_nonexistent_days():
    with pytest.raises(LunarDateError):
        lunar_new_year(1899)
    with pytest.raises(LunarDateError):
        solar_to_lunar(dt.date(2101, 6, 1))
    with pytest.raises(LunarDateError):
        lunar_to_solar(2024, 13, 1)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 11, 30)))
def test_round_trip(day):
    lunar = solar_to_lunar(day)
    assert 1 <= lunar.day <= 30
    assert 1 <= lunar.month <= 12
    assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == day


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1901, max_value=2099))
def test_new_year_is_between_21_january_and_20_february(year):
    new_year = lunar_new_year(year)
    assert dt.date(year, 1, 21) <= new_year <= dt.date(year, 2, 20)
    assert solar_to_lunar(new_year) == LunarDate(year, 1, 1)
    assert solar_to_lunar(new_year - dt.timedelta(days=1)).year == year - 1
