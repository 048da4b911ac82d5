"""Vietnamese lunisolar calendar (âm lịch), computed astronomically.

The Vietnamese calendar follows the same rules as the Chinese one — a month starts on the
day of the new moon, the 11th month contains the winter solstice, a leap month is the first
month without a major solar term — but days are reckoned at the UTC+7 meridian (since
1967/1968). Libraries built on Chinese tables (UTC+8) therefore put some new moons on a
different day and give wrong Vietnamese dates in some years (e.g. Tết 1985 fell on
21/01/1985 in Việt Nam and on 20/02/1985 in China).

New-moon times and the sun's longitude use the series of J. Meeus, *Astronomical
Algorithms* (ch. 47-49 abridged), which are accurate to a few minutes over 1900-2100.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache

VIETNAM_UTC_OFFSET_HOURS = 7.0
FIRST_YEAR = 1900
LAST_YEAR = 2100

_SYNODIC_MONTH = 29.530588853
_NEW_MOON_EPOCH = 2415021.076998695  # JD of the new moon of 1900-01-01 13:52 UT
_JDN_OFFSET = 1721425  # date.toordinal() + this = Julian day number (at noon)
_DEG = math.pi / 180


@dataclass(frozen=True, order=True)
class LunarDate:
    year: int
    month: int
    day: int
    leap: bool = False

    def __str__(self) -> str:
        leap = " (nhuận)" if self.leap else ""
        return f"{self.day:02d}/{self.month:02d}{leap}/{self.year} ÂL"


class LunarDateError(ValueError):
    pass


def _jdn(day: dt.date) -> int:
    return day.toordinal() + _JDN_OFFSET


def _date_from_jdn(jdn: int) -> dt.date:
    return dt.date.fromordinal(jdn - _JDN_OFFSET)


def _new_moon(k: int) -> float:
    """Julian date (UT) of the k-th new moon after the 1900 epoch (Meeus ch. 49, abridged)."""
    t = k / 1236.85
    t2 = t * t
    t3 = t2 * t
    jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _DEG)
    sun_anomaly = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    moon_anomaly = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    latitude_arg = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    m, mp, f = sun_anomaly * _DEG, moon_anomaly * _DEG, latitude_arg * _DEG
    correction = (
        (0.1734 - 0.000393 * t) * math.sin(m)
        + 0.0021 * math.sin(2 * m)
        - 0.4068 * math.sin(mp)
        + 0.0161 * math.sin(2 * mp)
        - 0.0004 * math.sin(3 * mp)
        + 0.0104 * math.sin(2 * f)
        - 0.0051 * math.sin(m + mp)
        - 0.0074 * math.sin(m - mp)
        + 0.0004 * math.sin(2 * f + m)
        - 0.0004 * math.sin(2 * f - m)
        - 0.0006 * math.sin(2 * f + mp)
        + 0.0010 * math.sin(2 * f - mp)
        + 0.0005 * math.sin(2 * mp + m)
    )
    # ΔT (TT − UT) in days, polynomial fits before and after 1900.
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd + correction - delta_t


def _sun_longitude(jd_ut: float) -> float:
    """Apparent ecliptic longitude of the sun in radians, [0, 2π) (Meeus ch. 25, low precision)."""
    t = (jd_ut - 2451545.0) / 36525
    t2 = t * t
    mean_anomaly = (357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * _DEG
    mean_longitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    centre = (
        (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(mean_anomaly)
        + (0.019993 - 0.000101 * t) * math.sin(2 * mean_anomaly)
        + 0.000290 * math.sin(3 * mean_anomaly)
    )
    longitude = (mean_longitude + centre) * _DEG
    return longitude % (2 * math.pi)


def _new_moon_day(k: int, tz: float) -> int:
    """Julian day number of the local civil day containing the k-th new moon."""
    return math.floor(_new_moon(k) + 0.5 + tz / 24)


def _major_term(jdn: int, tz: float) -> int:
    """Index 0..11 of the 30° sector the sun is in at the start of local day ``jdn``."""
    return math.floor(_sun_longitude(jdn - 0.5 - tz / 24) / math.pi * 6)


@lru_cache(maxsize=1024)
def _month_11_start(year: int, tz: float) -> int:
    """JDN of the first day of lunar month 11 (the month containing the winter solstice)."""
    offset = _jdn(dt.date(year, 12, 31)) - 2415021
    k = math.floor(offset / _SYNODIC_MONTH)
    start = _new_moon_day(k, tz)
    if _major_term(start, tz) >= 9:
        start = _new_moon_day(k - 1, tz)
    return start


@lru_cache(maxsize=1024)
def _leap_month_offset(month_11_start: int, tz: float) -> int:
    """Offset (in months after month 11) of the first month without a major solar term."""
    k = math.floor((month_11_start - _NEW_MOON_EPOCH) / _SYNODIC_MONTH + 0.5)
    i = 1
    term = _major_term(_new_moon_day(k + i, tz), tz)
    while True:
        previous = term
        i += 1
        term = _major_term(_new_moon_day(k + i, tz), tz)
        if term == previous or i >= 14:
            return i - 1


def _check_range(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise LunarDateError(f"year {year} outside {FIRST_YEAR}-{LAST_YEAR}")


def solar_to_lunar(day: dt.date, tz: float = VIETNAM_UTC_OFFSET_HOURS) -> LunarDate:
    _check_range(day.year)
    jdn = _jdn(day)
    k = math.floor((jdn - _NEW_MOON_EPOCH) / _SYNODIC_MONTH) + 1
    month_start = _new_moon_day(k, tz)
    # The mean-month estimate of k can be one or two months ahead near a new moon.
    while month_start > jdn:
        k -= 1
        month_start = _new_moon_day(k, tz)
    a11 = _month_11_start(day.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = day.year
        a11 = _month_11_start(day.year - 1, tz)
    else:
        lunar_year = day.year + 1
        b11 = _month_11_start(day.year + 1, tz)
    lunar_day = jdn - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11, tz)
        if diff >= leap_diff:
            lunar_month = diff + 10
            leap = diff == leap_diff
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(lunar_year, lunar_month, lunar_day, leap)


def lunar_to_solar(
    year: int, month: int, day: int, leap: bool = False, tz: float = VIETNAM_UTC_OFFSET_HOURS
) -> dt.date:
    """Solar date of a lunar date; raises ``LunarDateError`` for a non-existent date."""
    _check_range(year)
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise LunarDateError(f"invalid lunar date {day}/{month}/{year}")
    if month < 11:
        a11 = _month_11_start(year - 1, tz)
        b11 = _month_11_start(year, tz)
    else:
        a11 = _month_11_start(year, tz)
        b11 = _month_11_start(year + 1, tz)
    k = math.floor(0.5 + (a11 - _NEW_MOON_EPOCH) / _SYNODIC_MONTH)
    offset = month - 11
    if offset < 0:
        offset += 12
    if b11 - a11 > 365:
        leap_offset = _leap_month_offset(a11, tz)
        leap_month = leap_offset - 2
        if leap_month < 0:
            leap_month += 12
        if leap and month != leap_month:
            raise LunarDateError(f"{year} has no leap month {month}")
        if leap or offset >= leap_offset:
            offset += 1
    elif leap:
        raise LunarDateError(f"{year} has no leap month")
    month_start = _new_moon_day(k + offset, tz)
    next_start = _new_moon_day(k + offset + 1, tz)
    if day > next_start - month_start:
        raise LunarDateError(f"lunar month {month}/{year} has {next_start - month_start} days")
    return _date_from_jdn(month_start + day - 1)


def lunar_new_year(year: int, tz: float = VIETNAM_UTC_OFFSET_HOURS) -> dt.date:
    """Solar date of mùng 1 Tết (1/1 lunar) of ``year``."""
    return lunar_to_solar(year, 1, 1, tz=tz)
