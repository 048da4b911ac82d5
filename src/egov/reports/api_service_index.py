"""API of the national service index (QĐ 766/QĐ-TTg) as egov computes it: one unit (with the
units below it) and one calendar period. ``Authorization: Bearer <key>`` with scope
``reports.read``; the key's roles (lãnh đạo, giám sát, quản trị) must reach the unit. What each
indicator means and what egov does not compute: docs/service-index.md."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from egov.accounts.api_auth import ApiKeyAuth
from egov.core.api_errors import ApiError, ErrorResponse
from egov.core.api_types import Text
from egov.org.selectors import unit_ref
from egov.reports.api_request import report_period_and_unit
from egov.reports.periods import PeriodError
from egov.reports.service_index import (
    GroupResult,
    IndicatorResult,
    ServiceIndex,
    period_code,
    service_index,
)
from egov.reports.service_index_measures import MEASURE_SOURCES

service_index_router = Router(tags=["reports"], auth=ApiKeyAuth("reports"))


class IndexUnitOut(Schema):
    code: str = Field(description="Mã định danh của đơn vị (hoặc khóa dữ liệu khi chưa có mã).")
    name: str


class IndexPeriodOut(Schema):
    period: str = Field(description="YYYY-MM, YYYY-Qn hoặc YYYY, như tham số period.")
    first_day: str
    last_day: str


class IndexVersionOut(Schema):
    key: str
    effective_from: str
    effective_to: str | None
    source: str


class GroupOut(Schema):
    code: str
    name: str
    parent: str | None = Field(
        description="Nhóm cha: thanh toán trực tuyến (10) và dịch vụ công trực tuyến (12) là "
        "hai phần của nhóm cung cấp dịch vụ trực tuyến (22)."
    )
    points: float = Field(description="Tổng điểm các chỉ số egov tính được điểm.")
    computed_max_points: float = Field(description="Điểm tối đa của các chỉ số đó.")
    max_points: float
    complete: bool = Field(description="Mọi chỉ số có điểm của nhóm đều đã được tính.")


class IndicatorOut(Schema):
    code: str
    name: str
    group: str
    numerator: int | None
    denominator: int | None
    numerator_measure: str | None = Field(
        description="Tên tập hồ sơ (hoặc tập phản ánh, kiến nghị) của tử số."
    )
    denominator_measure: str | None = Field(
        description="Tên tập hồ sơ (hoặc tập phản ánh, kiến nghị) của mẫu số."
    )
    counted: str | None = Field(
        description="Đối tượng được đếm: dossiers (hồ sơ tiếp nhận trong kỳ), feedback (phản "
        "ánh, kiến nghị tiếp nhận trong kỳ, chỉ số 5.2 và 5.3); null khi egov không tính."
    )
    ratio: float | None = Field(description="Tử số / mẫu số, 4 chữ số thập phân.")
    points: float | None = Field(description="Làm tròn 2 chữ số; null khi egov không chấm.")
    max_points: float
    rule: str = Field(description="linear hoặc threshold.")
    threshold: float | None = Field(description="Ngưỡng đủ điểm (0–1) khi rule = threshold.")
    zero_denominator: str = Field(description="Khi mẫu số 0: full, zero hoặc no_data.")
    status: str = Field(
        description="computed: đã tính điểm; no_data: egov chưa có dữ liệu (không phải 0 "
        "điểm); ratio_only: chỉ hiển thị tỷ lệ, không tính điểm."
    )
    source: str
    confidence: str = Field(description="confirmed, observed, secondary hoặc unconfirmed.")
    note: str


class IndexTotalOut(Schema):
    points: float
    computed_max_points: float
    max_points: float
    complete: bool
    incomplete_groups: list[str] = Field(
        description="Nhóm (cấp cao nhất) còn chỉ số chưa có dữ liệu hoặc chỉ hiển thị tỷ lệ."
    )


class ServiceIndexOut(Schema):
    unit: IndexUnitOut
    period: IndexPeriodOut
    version: IndexVersionOut
    groups: list[GroupOut]
    indicators: list[IndicatorOut]
    total: IndexTotalOut


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _group_out(result: GroupResult) -> dict[str, Any]:
    group = result.group
    return {
        "code": group.code,
        "name": group.name,
        "parent": group.parent,
        "points": float(result.points),
        "computed_max_points": float(result.computed_max_points),
        "max_points": float(group.max_points),
        "complete": result.complete,
    }


def _indicator_out(result: IndicatorResult) -> dict[str, Any]:
    indicator = result.indicator
    threshold = indicator.rule.threshold
    return {
        "code": indicator.code,
        "name": indicator.name,
        "group": indicator.group,
        "numerator": result.numerator,
        "denominator": result.denominator,
        "numerator_measure": indicator.numerator,
        "denominator_measure": indicator.denominator,
        "counted": MEASURE_SOURCES.get(indicator.numerator or ""),
        "ratio": _number(result.ratio),
        "points": _number(result.points),
        "max_points": float(indicator.max_points),
        "rule": indicator.rule.kind,
        "threshold": None if threshold is None else float(threshold),
        "zero_denominator": indicator.zero_denominator,
        "status": result.status,
        "source": indicator.source,
        "confidence": indicator.confidence,
        "note": indicator.note,
    }


def service_index_out(index: ServiceIndex) -> dict[str, Any]:
    version = index.version
    return {
        "unit": {"code": unit_ref(index.unit), "name": index.unit.name},
        "period": {
            "period": period_code(index.period),
            "first_day": index.period.first_day.isoformat(),
            "last_day": index.period.last_day.isoformat(),
        },
        "version": {
            "key": version.key,
            "effective_from": version.effective_from.isoformat(),
            "effective_to": version.effective_to.isoformat() if version.effective_to else None,
            "source": version.source,
        },
        "groups": [_group_out(g) for g in index.groups],
        "indicators": [_indicator_out(r) for r in index.indicators],
        "total": {
            "points": float(index.points),
            "computed_max_points": float(index.computed_max_points),
            "max_points": float(index.max_points),
            "complete": index.complete,
            "incomplete_groups": list(index.incomplete_groups),
        },
    }


@service_index_router.get(
    "/reports/service-index",
    response={
        200: ServiceIndexOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Chỉ số chất lượng phục vụ (QĐ 766/QĐ-TTg) của một đơn vị trong một kỳ",
)
def get_service_index(
    request: HttpRequest,
    period: Annotated[str, Text(7)],
    unit: Annotated[str, Text(40)],
) -> Any:
    """The index egov computes from its own dossiers and feedback for ``unit`` (mã định
    danh, or the data key of a unit without one; the units below it included) and ``period``
    (``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``: calendar periods, as the national portal counts
    them), with the version of the index in force on the period's last day. Indicators egov
    has no data for have status ``no_data`` and no points (never 0); the online-services
    group is ``ratio_only``; ``total.incomplete_groups`` names the groups not fully computed.
    422 ``invalid_index_period`` for a period in another form or before QĐ 766; 404
    ``unit_not_found``; 403 ``unit_forbidden`` when the key's roles (lãnh đạo, giám sát,
    quản trị) do not reach the unit."""
    chosen, found = report_period_and_unit(request, period, unit)
    try:
        index = service_index(unit=found, period=chosen)
    except PeriodError as exc:  # no version of the index in force then
        raise ApiError(422, "invalid_index_period", str(exc)) from None
    return service_index_out(index)
