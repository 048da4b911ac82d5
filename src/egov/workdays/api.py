"""Read-only endpoints of the working calendar, mounted by the ``api`` app at ``/calendar``."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import AwareDatetime

from egov.core.api_errors import ApiError, ErrorResponse
from egov.org.api import unit_or_404
from egov.workdays.engine import VIETNAM_TZ, CalendarError
from egov.workdays.lunar import FIRST_YEAR, LAST_YEAR
from egov.workdays.selectors import calendar_for_unit, year_holidays

router = Router(tags=["calendar"])


class HolidayOut(Schema):
    date: dt.date
    name: str
    key: str
    basis: str
    confirmed: bool


# Operation ids are the ones these operations had when they lived in egov/api/routers.py.
@router.get(
    "/holidays/{year}",
    response={200: list[HolidayOut], 404: ErrorResponse, 422: ErrorResponse},
    summary="Ngày nghỉ lễ, tết của một năm",
)
def holidays(request: HttpRequest, year: int, unit: str | None = None) -> list[HolidayOut]:
    """The public holidays of a year (in the unit's calendar with ``unit``), each with its legal
    basis and whether it is confirmed. 422 ``invalid_year`` out of range."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ApiError(
            422,
            "invalid_year",
            _("Năm phải từ %(a)d đến %(b)d.") % {"a": FIRST_YEAR, "b": LAST_YEAR},
        )
    return [
        HolidayOut(date=h.date, name=h.name, key=h.key, basis=h.basis, confirmed=h.confirmed)
        for h in year_holidays(year, unit_or_404(unit) if unit else None)
    ]


class DeadlineOut(Schema):
    start: dt.datetime
    days: int
    due: dt.datetime
    counting: str


@router.get(
    "/deadline",
    response={200: DeadlineOut, 404: ErrorResponse, 422: ErrorResponse},
    summary="Cộng N ngày làm việc",
)
def deadline(
    request: HttpRequest, start: AwareDatetime, days: int, unit: str | None = None
) -> DeadlineOut:
    """``start`` with its offset (RFC 3339: ``2026-05-04T08:00:00+07:00``), like every moment
    the API takes; without one: 422 ``invalid_input`` (code ``timezone_aware``)."""
    if not 0 <= days <= 3650:
        raise ApiError(422, "invalid_days", _("Số ngày phải từ 0 đến 3650."))
    if not FIRST_YEAR <= start.year <= LAST_YEAR - 3:
        raise ApiError(422, "invalid_start", _("Thời điểm nằm ngoài phạm vi lịch."))
    calendar = calendar_for_unit(unit_or_404(unit) if unit else None)
    try:
        due = calendar.add_working_days(start, days)
    except CalendarError as exc:
        raise ApiError(422, "calendar_error", str(exc)) from None
    counting = calendar.day_counting_on(start.astimezone(VIETNAM_TZ).date())
    return DeadlineOut(start=start, days=days, due=due, counting=counting.value)
