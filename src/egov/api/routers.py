"""Read-only endpoints of the foundation: health, unit registry, working calendar."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from egov.api.errors import ApiError, ErrorResponse
from egov.core.inputs import column_length, has_control_chars
from egov.org.models import Unit, UnitKind
from egov.org.selectors import unit_by_code_or_key, units_valid_on
from egov.workdays.engine import VIETNAM_TZ, CalendarError
from egov.workdays.lunar import FIRST_YEAR, LAST_YEAR
from egov.workdays.selectors import calendar_for_unit, year_holidays

system_router = Router(tags=["system"])
org_router = Router(tags=["org"])
calendar_router = Router(tags=["calendar"])


class HealthOut(Schema):
    status: str


@system_router.get("/health", response=HealthOut, summary="Tình trạng dịch vụ")
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


class UnitOut(Schema):
    key: str
    code: str | None
    code_confirmed: bool
    name: str
    kind: str
    parent_key: str | None
    valid_from: dt.date
    valid_until: dt.date


class UnitPage(Schema):
    items: list[UnitOut]
    next_after: int | None


class UnitFilter(Schema):
    valid_on: dt.date | None = None
    kind: UnitKind | None = None
    after: int = 0
    limit: int = 100


def _unit_out(unit: Unit) -> UnitOut:
    return UnitOut(
        key=unit.key,
        code=unit.code,
        code_confirmed=unit.code_confirmed,
        name=unit.name,
        kind=unit.kind,
        parent_key=unit.parent.key if unit.parent else None,
        valid_from=unit.valid_from,
        valid_until=unit.valid_until,
    )


@org_router.get(
    "", response={200: UnitPage, 422: ErrorResponse}, summary="Cơ quan, đơn vị còn hiệu lực"
)
def list_units(request: HttpRequest, filters: Query[UnitFilter]) -> UnitPage:
    """Keyset pagination: pass ``next_after`` of a page as ``after`` for the next one."""
    if not 1 <= filters.limit <= 500:
        raise ApiError(422, "invalid_limit", _("limit phải từ 1 đến 500."))
    units = units_valid_on(filters.valid_on or timezone.localdate()).filter(id__gt=filters.after)
    if filters.kind:
        units = units.filter(kind=filters.kind)
    page = list(units.order_by("id")[: filters.limit + 1])
    has_more = len(page) > filters.limit
    page = page[: filters.limit]
    return UnitPage(
        items=[_unit_out(u) for u in page], next_after=page[-1].id if has_more else None
    )


@org_router.get(
    "/{code}", response={200: UnitOut, 404: ErrorResponse}, summary="Một đơn vị theo mã"
)
def get_unit(request: HttpRequest, code: str) -> UnitOut:
    return _unit_out(_unit_or_404(code))


class HolidayOut(Schema):
    date: dt.date
    name: str
    key: str


def _unit_or_404(code: str) -> Unit:
    too_long = len(code) > column_length(Unit, "key")
    unit = None if too_long or has_control_chars(code) else unit_by_code_or_key(code)
    if unit is None:
        raise ApiError(404, "unit_not_found", _("Không tìm thấy đơn vị “%s”.") % code)
    return unit


@calendar_router.get(
    "/holidays/{year}",
    response={200: list[HolidayOut], 404: ErrorResponse, 422: ErrorResponse},
    summary="Ngày nghỉ lễ, tết của một năm",
)
def holidays(request: HttpRequest, year: int, unit: str | None = None) -> list[HolidayOut]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ApiError(
            422,
            "invalid_year",
            _("Năm phải từ %(a)d đến %(b)d.") % {"a": FIRST_YEAR, "b": LAST_YEAR},
        )
    return [
        HolidayOut(date=h.date, name=h.name, key=h.key)
        for h in year_holidays(year, _unit_or_404(unit) if unit else None)
    ]


class DeadlineOut(Schema):
    start: dt.datetime
    days: int
    due: dt.datetime


@calendar_router.get(
    "/deadline",
    response={200: DeadlineOut, 404: ErrorResponse, 422: ErrorResponse},
    summary="Cộng N ngày làm việc",
)
def deadline(
    request: HttpRequest, start: dt.datetime, days: int, unit: str | None = None
) -> DeadlineOut:
    if not 0 <= days <= 3650:
        raise ApiError(422, "invalid_days", _("Số ngày phải từ 0 đến 3650."))
    if start.tzinfo is None:
        start = start.replace(tzinfo=VIETNAM_TZ)
    if not FIRST_YEAR <= start.year <= LAST_YEAR - 3:
        raise ApiError(422, "invalid_start", _("Thời điểm nằm ngoài phạm vi lịch."))
    try:
        due = calendar_for_unit(_unit_or_404(unit) if unit else None).add_working_days(start, days)
    except CalendarError as exc:
        raise ApiError(422, "calendar_error", str(exc)) from None
    return DeadlineOut(start=start, days=days, due=due)
