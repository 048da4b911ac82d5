"""Statutory public holidays computed from the law, before any yearly decision.

Bộ luật Lao động 2019 (45/2019/QH14):
- Điều 112 khoản 1: Tết Dương lịch 01/01; Tết Âm lịch 05 ngày; Ngày Chiến thắng 30/4;
  Ngày Quốc tế lao động 01/5; Quốc khánh 02/9 và 01 ngày liền kề (trước hoặc sau);
  Giỗ Tổ Hùng Vương 10/3 âm lịch.
- Điều 112 khoản 3: the Prime Minister decides the exact Tết and Quốc khánh days each
  year — entered as ``CalendarDecision`` rows, which replace the defaults below.
- Điều 111 khoản 3: a holiday falling on the weekly day off is compensated on the next
  working day.
The weekly days off of state agencies are Saturday and Sunday (40-hour week,
QĐ 188/1999/QĐ-TTg).

Days that only the yearly decision can fix (which five days are Tết, which day is next to
02/9) get a default here, marked unconfirmed (``confirmed=False``) until a decision replaces
them; days the Code itself fixes are confirmed (checked against its text, legal audit §4.1).
Days added by later texts whose text was not checked (e.g. 24/11, Ngày Văn hóa Việt Nam)
are not rules: they are entered as dated data with their source (egov/workdays/data/).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from egov.workdays.lunar import lunar_new_year, lunar_to_solar

WEEKLY_REST_DAYS = frozenset({5, 6})  # Saturday, Sunday (date.weekday())

TET_DUONG_LICH = "tet_duong_lich"
TET_AM_LICH = "tet_am_lich"
GIO_TO = "gio_to_hung_vuong"
CHIEN_THANG = "chien_thang"
LAO_DONG = "quoc_te_lao_dong"
QUOC_KHANH = "quoc_khanh"
VAN_HOA = "van_hoa"
EXTRA = "extra"

# Điều 112 khoản 3: the Prime Minister fixes these each year; until a decision is entered the
# year is computed from the Code and the defaults below only.
DECIDED_YEARLY = (TET_AM_LICH, QUOC_KHANH)

HOLIDAY_NAMES = {
    TET_DUONG_LICH: "Tết Dương lịch",
    TET_AM_LICH: "Tết Âm lịch",
    GIO_TO: "Giỗ Tổ Hùng Vương",
    CHIEN_THANG: "Ngày Chiến thắng",
    LAO_DONG: "Ngày Quốc tế lao động",
    QUOC_KHANH: "Quốc khánh",
    VAN_HOA: "Ngày Văn hóa Việt Nam",
    EXTRA: "Ngày nghỉ theo quyết định",
}

BASIS_CODE = "BLLĐ 2019 Điều 112 khoản 1"
BASIS_COMPENSATORY = "BLLĐ 2019 Điều 111 khoản 3 (nghỉ bù)"
BASIS_DEFAULT = "Quy tắc mặc định, chờ quyết định của Thủ tướng (BLLĐ 2019 Điều 112 khoản 3)"


@dataclass(frozen=True, order=True)
class Holiday:
    date: dt.date
    key: str
    name: str
    compensatory: bool = False
    # Where the day comes from (an article of the Code, or a decision's number) and whether
    # that was checked against the text itself; shown wherever the calendar is shown.
    basis: str = BASIS_CODE
    confirmed: bool = True


def quoc_khanh_adjacent_day(year: int) -> dt.date:
    """Default choice of the day adjacent to 02/9 until the yearly decision is entered.

    Điều 112 leaves the choice to the Prime Minister. Default (configurable by entering
    the decision): the adjacent day that joins the holiday to a weekend — before 02/9 when
    it falls on Tuesday, Friday or Saturday, after it otherwise.
    """
    national_day = dt.date(year, 9, 2)
    if national_day.weekday() in (1, 4, 5):
        return national_day - dt.timedelta(days=1)
    return national_day + dt.timedelta(days=1)


def statutory_holidays(year: int) -> list[Holiday]:
    """The holidays of Điều 112 for ``year`` (without compensatory days)."""
    new_year = lunar_new_year(year)
    tet_days = [new_year - dt.timedelta(days=1)] + [
        new_year + dt.timedelta(days=offset) for offset in range(4)
    ]
    days = [
        Holiday(dt.date(year, 1, 1), TET_DUONG_LICH, HOLIDAY_NAMES[TET_DUONG_LICH]),
        # Default split: the last day of the lunar year and mùng 1-4 (Điều 112 allows
        # "1 before + 4 after" or "2 before + 3 after"; the yearly decision fixes it).
        *(
            Holiday(
                day, TET_AM_LICH, HOLIDAY_NAMES[TET_AM_LICH], basis=BASIS_DEFAULT, confirmed=False
            )
            for day in tet_days
        ),
        Holiday(lunar_to_solar(year, 3, 10), GIO_TO, HOLIDAY_NAMES[GIO_TO] + " (10/3 âm lịch)"),
        Holiday(dt.date(year, 4, 30), CHIEN_THANG, HOLIDAY_NAMES[CHIEN_THANG] + " (30/4)"),
        Holiday(dt.date(year, 5, 1), LAO_DONG, HOLIDAY_NAMES[LAO_DONG] + " (1/5)"),
        Holiday(dt.date(year, 9, 2), QUOC_KHANH, HOLIDAY_NAMES[QUOC_KHANH] + " (2/9)"),
        Holiday(
            quoc_khanh_adjacent_day(year),
            QUOC_KHANH,
            "Nghỉ liền kề Quốc khánh",
            basis=BASIS_DEFAULT,
            confirmed=False,
        ),
    ]
    return sorted(days)


def with_compensatory_days(
    holidays: list[Holiday], rest_days: frozenset[int] = WEEKLY_REST_DAYS
) -> list[Holiday]:
    """Adds Điều 111 khoản 3 compensatory days: each holiday on a weekly day off gives
    the next day that is neither a rest day, a holiday nor an earlier compensatory day."""
    taken = {holiday.date for holiday in holidays}
    result = list(holidays)
    for holiday in sorted(holidays):
        if holiday.date.weekday() not in rest_days:
            continue
        candidate = holiday.date + dt.timedelta(days=1)
        while candidate.weekday() in rest_days or candidate in taken:
            candidate += dt.timedelta(days=1)
        taken.add(candidate)
        result.append(
            Holiday(
                candidate,
                holiday.key,
                f"Nghỉ bù {holiday.name}",
                compensatory=True,
                basis=BASIS_COMPENSATORY,
                confirmed=holiday.confirmed,
            )
        )
    return sorted(result)
