"""Reporting periods: which days a monthly, quarterly, 6-, 9- or 12-month report covers.

Two conventions:

- ``cutoff`` (the default): the data cut-off of NĐ 09/2019/NĐ-CP (chế độ báo cáo của cơ quan
  hành chính nhà nước), Điều 12: a month runs from the 15th of the previous month to the 14th;
  a quarter from the 15th of the month before it to the 14th of its last month; 6, 9 and 12
  months from 15 December of the previous year to 14 June, 14 September and 14 December.
  Whether TT 01/2020/TT-VPCP's TTHC forms follow it is not confirmed
  (reports-and-indicators §2.3), so the default is a setting (``EGOV_REPORT_PERIODS``).
- ``calendar``: calendar months, quarters and years, as the national portal's service index
  (QĐ 766/QĐ-TTg) counts them.

A period is a closed range of days in Vietnam time; ``bounds`` turns it into the half-open
range of moments ``[start, end)`` that queries compare ``received_at`` and ``completed_at`` with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from egov.workdays.engine import VIETNAM_TZ


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "6m"
    NINE_MONTHS = "9m"
    YEAR = "year"


class Convention(StrEnum):
    CUTOFF = "cutoff"
    CALENDAR = "calendar"


KIND_LABELS = {
    PeriodKind.MONTH: _("Tháng"),
    PeriodKind.QUARTER: _("Quý"),
    PeriodKind.HALF_YEAR: _("6 tháng"),
    PeriodKind.NINE_MONTHS: _("9 tháng"),
    PeriodKind.YEAR: _("Năm"),
}
CONVENTION_LABELS = {
    Convention.CUTOFF: _("Chốt số liệu theo Nghị định 09/2019/NĐ-CP (từ ngày 15 đến ngày 14)"),
    Convention.CALENDAR: _("Theo tháng, quý, năm dương lịch"),
}
CUTOFF_DAY = 15  # NĐ 09/2019/NĐ-CP Điều 12: the period starts on the 15th, ends on the 14th.


class PeriodError(ValueError):
    """A period that does not exist (month 13, quarter 5, a kind without an index)."""


@dataclass(frozen=True)
class Period:
    first_day: dt.date
    last_day: dt.date
    kind: PeriodKind | None = None
    convention: Convention | None = None

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise PeriodError(_("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu."))

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first_day, dt.time(0), tzinfo=VIETNAM_TZ)

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period (exclusive)."""
        return dt.datetime.combine(
            self.last_day + dt.timedelta(days=1), dt.time(0), tzinfo=VIETNAM_TZ
        )

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return self.start, self.end

    def previous_end(self) -> dt.datetime:
        """Where "carried over from the previous period" is counted: the period's start."""
        return self.start


def default_convention() -> Convention:
    return Convention(getattr(settings, "EGOV_REPORT_PERIODS", Convention.CUTOFF))


def _month_shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _last_day_of_month(year: int, month: int) -> dt.date:
    next_year, next_month = _month_shift(year, month, 1)
    return dt.date(next_year, next_month, 1) - dt.timedelta(days=1)


def _months(kind: PeriodKind, year: int, index: int | None) -> tuple[int, int]:
    """(first month, last month) of the period, months counted from 1 in ``year``."""
    if kind is PeriodKind.MONTH:
        if index is None or not 1 <= index <= 12:
            raise PeriodError(_("Tháng phải từ 1 đến 12."))
        return index, index
    if kind is PeriodKind.QUARTER:
        if index is None or not 1 <= index <= 4:
            raise PeriodError(_("Quý phải từ 1 đến 4."))
        return 3 * index - 2, 3 * index
    last = {PeriodKind.HALF_YEAR: 6, PeriodKind.NINE_MONTHS: 9, PeriodKind.YEAR: 12}[kind]
    return 1, last


def period_of(
    kind: PeriodKind,
    year: int,
    index: int | None = None,
    *,
    convention: Convention | None = None,
) -> Period:
    """The period ``kind`` number ``index`` (month 1–12, quarter 1–4; none for the others)."""
    convention = convention or default_convention()
    if not 2000 <= year <= 2100:
        raise PeriodError(_("Năm báo cáo không hợp lệ."))
    first_month, last_month = _months(kind, year, index)
    if convention is Convention.CALENDAR:
        return Period(
            dt.date(year, first_month, 1),
            _last_day_of_month(year, last_month),
            kind,
            convention,
        )
    start_year, start_month = _month_shift(year, first_month, -1)
    return Period(
        dt.date(start_year, start_month, CUTOFF_DAY),
        dt.date(year, last_month, CUTOFF_DAY - 1),
        kind,
        convention,
    )


def period_between(first_day: dt.date, last_day: dt.date) -> Period:
    """A free range of days ("từ ngày … đến ngày …"), both included."""
    return Period(first_day, last_day)


def period_containing(
    day: dt.date, kind: PeriodKind, *, convention: Convention | None = None
) -> Period:
    """The month or quarter (of either convention) that ``day`` falls in."""
    convention = convention or default_convention()
    year, month = day.year, day.month
    if convention is Convention.CUTOFF and day.day >= CUTOFF_DAY:
        year, month = _month_shift(year, month, 1)
    if kind is PeriodKind.MONTH:
        return period_of(kind, year, month, convention=convention)
    if kind is PeriodKind.QUARTER:
        return period_of(kind, year, (month - 1) // 3 + 1, convention=convention)
    raise PeriodError(_("Chỉ tìm được tháng hoặc quý chứa một ngày."))
