"""Read-only endpoints of the unit registry, mounted by the ``api`` app at ``/units``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from egov.core.api_errors import ApiError, ErrorResponse
from egov.core.api_types import Text
from egov.core.cursors import decode_cursor, encode_cursor
from egov.core.inputs import column_length, has_control_chars
from egov.org.models import Unit, UnitKind
from egov.org.selectors import unit_by_code_or_key, units_valid_on

router = Router(tags=["org"])


class UnitOut(Schema):
    key: str
    code: str | None
    code_confirmed: bool
    code_placeholder: bool
    name: str
    kind: UnitKind
    # The parent as units are identified in this API (``GET /units/{code}``): its code, its
    # key only when it has no code. Null for a unit at the top.
    parent: str | None = Field(
        description="Đơn vị cấp trên: mã định danh của đơn vị; khóa nội bộ (key) khi đơn vị "
        "chưa có mã. Null với đơn vị cấp cao nhất."
    )
    parent_key: str | None = Field(
        description="Khóa nội bộ (key) của đơn vị cấp trên. Không dùng nữa (deprecated): "
        "dùng parent; giữ lại cho client v1.",
        json_schema_extra={"deprecated": True},
    )
    valid_from: dt.date
    valid_until: dt.date


class UnitPage(Schema):
    items: list[UnitOut]
    # Pass as ``cursor`` for the next page; null on the last page.
    next_cursor: str | None


class UnitFilter(Schema):
    valid_on: dt.date | None = None
    kind: UnitKind | None = None
    cursor: Annotated[str, Text(120)] = ""
    limit: int = 100


UNITS_CURSOR = "unit"


def _unit_out(unit: Unit) -> UnitOut:
    return UnitOut(
        key=unit.key,
        code=unit.code,
        code_confirmed=unit.code_confirmed,
        code_placeholder=unit.code_placeholder,
        name=unit.name,
        kind=UnitKind(unit.kind),
        parent=(unit.parent.code or unit.parent.key) if unit.parent else None,
        parent_key=unit.parent.key if unit.parent else None,
        valid_from=unit.valid_from,
        valid_until=unit.valid_until,
    )


def unit_or_404(code: str) -> Unit:
    """The unit named by ``code`` (its unit code or key), or the API's 404."""
    too_long = len(code) > column_length(Unit, "key")
    unit = None if too_long or has_control_chars(code) else unit_by_code_or_key(code)
    if unit is None:
        raise ApiError(404, "unit_not_found", _("Không tìm thấy đơn vị “%s”.") % code)
    return unit


# Operation ids are the ones these operations had when they lived in egov/api/routers.py:
# clients generated from the OpenAPI schema keep their method names.
@router.get(
    "",
    response={200: UnitPage, 422: ErrorResponse},
    summary="Cơ quan, đơn vị còn hiệu lực",
)
def list_units(request: HttpRequest, filters: Query[UnitFilter]) -> UnitPage:
    """Keyset pagination: pass ``next_cursor`` of a page as ``cursor`` for the next one, until
    it is null."""
    if not 1 <= filters.limit <= 500:
        raise ApiError(422, "invalid_limit", _("limit phải từ 1 đến 500."))
    after = 0
    if filters.cursor:
        decoded = decode_cursor(UNITS_CURSOR, filters.cursor)
        if decoded is None:
            raise ApiError(
                422,
                "invalid_cursor",
                _("Con trỏ trang không hợp lệ; dùng đúng giá trị next_cursor đã nhận."),
            )
        after = decoded[0]
    units = units_valid_on(filters.valid_on or timezone.localdate()).filter(id__gt=after)
    if filters.kind:
        units = units.filter(kind=filters.kind)
    page = list(units.order_by("id")[: filters.limit + 1])
    has_more = len(page) > filters.limit
    page = page[: filters.limit]
    return UnitPage(
        items=[_unit_out(u) for u in page],
        next_cursor=encode_cursor(UNITS_CURSOR, page[-1].id) if has_more else None,
    )


@router.get(
    "/{code}",
    response={200: UnitOut, 404: ErrorResponse},
    summary="Một đơn vị theo mã",
)
def get_unit(request: HttpRequest, code: str) -> UnitOut:
    """One unit by its code (mã định danh) or, for a unit without one, its key; 404
    ``unit_not_found``."""
    return _unit_out(unit_or_404(code))
