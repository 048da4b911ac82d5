"""Dossier codes, TT 01/2018/TT-VPCP Điều 19.1: ``<receiving unit code>-YYMMDD-XXXX`` with XXXX the
dossier's sequence, four digits, among those the unit received that day; results
``<code>-KQ(n)``. And the dossier's entry in the unit's tracking book (Sổ theo dõi hồ sơ,
Mẫu 06): the book of the year of reception, numbered from 1 (``book_entry``).

The sequence is taken from the unit's daily series of ``core.numbering`` inside the
reception transaction: concurrent receptions queue on the series' counter row, and a
reception that rolls back gives its number back, so codes stay unique and gap-free. Four
digits allow 9 999 dossiers a unit and day; the 10 000th is refused with a clear message
rather than given a five-digit code.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from egov.core.numbering import Series, SeriesExhausted, daily, take_number, yearly
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

SERIES = "dossier-code"
BOOK_SERIES = "tracking-book"
# TT 01/2018/TT-VPCP Điều 19.1: the daily number is "gồm 04 ký tự số" (four digits).
# Whether TT 03/2025/TT-VPCP keeps this structure is not verified (legal audit 2026-12).
DAILY_LIMIT = 9999


class MissingUnitCode(ValueError):
    pass


class DailyCodeLimitReached(ValidationError):
    """The unit has given all 9 999 codes of the day; nothing was created."""


def dossier_code_series(unit: Unit, day: dt.date) -> Series:
    return daily(SERIES, "unit", unit.pk, on=day)


def next_dossier_code(unit: Unit, moment: dt.datetime) -> str:
    """Allocate the next code; call inside the transaction that creates the dossier."""
    if not unit.code:
        raise MissingUnitCode(f"unit {unit.key} has no electronic unit code")
    day = moment.astimezone(VIETNAM_TZ).date()
    try:
        sequence = take_number(dossier_code_series(unit, day), limit=DAILY_LIMIT)
    except SeriesExhausted:
        raise DailyCodeLimitReached(
            _(
                "Đơn vị %(unit)s đã cấp đủ 9.999 mã hồ sơ trong ngày %(day)s (số thứ tự trong "
                "mã hồ sơ có 4 chữ số); hồ sơ chưa được tạo. Vui lòng liên hệ quản trị hệ thống."
            )
            % {"unit": unit.code, "day": f"{day:%d/%m/%Y}"},
            code="dossier_code_limit",
        ) from None
    return f"{unit.code}-{day:%y%m%d}-{sequence:04d}"


def tracking_book_series(unit: Unit, day: dt.date) -> Series:
    return yearly(BOOK_SERIES, "unit", unit.pk, on=day)


def book_entry(unit: Unit, moment: dt.datetime) -> dict[str, int]:
    """The dossier's place in the receiving unit's tracking book: the book of the year it is
    received (Việt Nam time) and its number there (TT 01/2018/TT-VPCP Điều 10.2: a yearly
    book numbered without gaps). The fields to store on the dossier; call inside the
    transaction that records the reception."""
    day = moment.astimezone(VIETNAM_TZ).date()
    return {
        "book_year": day.year,
        "book_sequence": take_number(tracking_book_series(unit, day)),
    }


def result_code(dossier_code: str, number: int) -> str:
    return f"{dossier_code}-KQ{number}"
