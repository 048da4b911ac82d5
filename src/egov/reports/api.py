"""Report API (issue 15): Biểu 06 of TT 01/2020/TT-VPCP as JSON. ``Authorization: Bearer <key>``
with scope ``reports.read``, of a service account holding a leader, supervisor or administrator
role; the figures of the units that role reaches (egov.reports.scope)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from egov.accounts.api_auth import ApiKeyAuth, api_user
from egov.core.api_errors import ApiError, ErrorResponse
from egov.core.api_types import Text
from egov.org.models import Unit
from egov.reports.form06 import Counts, Form06Row, Grouping, form06_report
from egov.reports.periods import period_between
from egov.reports.scope import report_units

reports_router = Router(tags=["reports"], auth=ApiKeyAuth("reports"))
MAX_DAYS = 731


class Form06Columns(Schema):
    received_total: int = Field(description="Cột 3: số hồ sơ nhận giải quyết = 4 + 5 + 6")
    received_online: int = Field(description="Cột 4: tiếp nhận trực tuyến trong kỳ")
    received_counter_post: int = Field(
        description="Cột 5: tiếp nhận trực tiếp, qua dịch vụ bưu chính trong kỳ"
    )
    carried_over: int = Field(description="Cột 6: từ kỳ trước chuyển qua")
    resolved_total: int = Field(description="Cột 7: đã giải quyết = 8 + 9 + 10")
    resolved_early: int = Field(description="Cột 8: giải quyết trước hạn")
    resolved_on_time: int = Field(description="Cột 9: giải quyết đúng hạn")
    resolved_late: int = Field(description="Cột 10: giải quyết quá hạn")
    pending_total: int = Field(description="Cột 11: đang giải quyết = 12 + 13; cột 3 = 7 + 11")
    pending_within_time: int = Field(description="Cột 12: đang giải quyết, trong hạn")
    pending_overdue: int = Field(description="Cột 13: đang giải quyết, quá hạn")


class Form06RowOut(Form06Columns):
    label: str = Field(description="Tên đơn vị, lĩnh vực hoặc thủ tục")
    depth: int = Field(description="Cấp trong cây đơn vị (0: đơn vị được hỏi); 0 khi nhóm khác")
    unit: str | None = Field(description="Mã định danh đơn vị (nhóm unit, unit_field)")
    field: str | None = Field(description="Mã lĩnh vực (nhóm field, unit_field)")
    procedure: str | None = Field(description="Mã thủ tục (nhóm procedure)")


class Form06Out(Schema):
    form: str = Field(description="Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP)")
    reporting_unit: str
    unit: str | None = Field(description="Mã đơn vị được hỏi; null: toàn tỉnh")
    start: dt.date
    end: dt.date
    group: Grouping
    unit_basis: str = Field(description="handling: đơn vị giải quyết; receiving: nơi tiếp nhận")
    rows: list[Form06RowOut]
    total: Form06Columns


class Form06Query(Schema):
    start: dt.date = Field(alias="from", description="Ngày đầu kỳ, YYYY-MM-DD")
    end: dt.date = Field(alias="to", description="Ngày cuối kỳ, YYYY-MM-DD (tính cả ngày này)")
    unit: Annotated[str, Text(40)] | None = Field(
        None, description="Mã định danh đơn vị; bỏ trống: toàn tỉnh (chỉ khi được xem toàn tỉnh)"
    )
    group: Grouping = Field(
        Grouping.UNIT_FIELD,
        description=(
            "unit_field (mặc định): một dòng cho mỗi đơn vị và lĩnh vực; unit: theo cây đơn "
            "vị, cộng dồn đơn vị trực thuộc; field: theo lĩnh vực; procedure: theo thủ tục"
        ),
    )


def _row(row: Form06Row) -> dict[str, Any]:
    return {
        "label": row.label,
        "depth": row.depth,
        "unit": row.unit_code,
        "field": row.field_code,
        "procedure": row.procedure_code,
        **row.counts.columns(),
    }


def _columns(counts: Counts) -> dict[str, int]:
    return counts.columns()


@reports_router.get(
    "/reports/dossiers",
    response={
        200: Form06Out,
        403: ErrorResponse,
        404: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Tình hình, kết quả giải quyết TTHC (Biểu số 06/VPCP/KSTT) trong một kỳ",
)
def form06_dossiers(request: HttpRequest, params: Query[Form06Query]) -> Any:
    """The 13 columns of Biểu 06 for the days ``from`` to ``to`` (both included, Vietnam
    time; at most two years), for ``unit`` and the units below it, one row per unit and field
    by default, and the total row. Column 3 = column 7 + column 11 on every row. Definitions of
    each column: docs/reports.md. 422 ``invalid_report_period`` when ``to`` is before ``from``
    or the range is longer than two years; 404 ``unit_not_found`` for an unknown unit code;
    403 ``forbidden`` for a unit outside the units the key's account leads or supervises, or
    an account without such a role; 422 ``unit_required`` when such an account names no
    unit."""
    start, end, unit, group = params.start, params.end, params.unit, params.group
    user = api_user(request)
    if end < start:
        raise ApiError(
            422, "invalid_report_period", _("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.")
        )
    if (end - start).days >= MAX_DAYS:
        raise ApiError(422, "invalid_report_period", _("Kỳ báo cáo dài tối đa hai năm."))
    allowed = report_units(user)
    if allowed is not None and not allowed:
        raise ApiError(403, "forbidden", _("Tài khoản không có vai trò xem báo cáo."))
    chosen: Unit | None = None
    if unit:
        chosen = Unit.objects.filter(code=unit).first()
        if chosen is None:
            raise ApiError(404, "unit_not_found", _("Không có đơn vị này."))
        if allowed is not None and chosen.pk not in allowed:
            raise ApiError(403, "forbidden", _("Đơn vị không thuộc phạm vi của bạn."))
    elif allowed is not None:
        raise ApiError(
            422,
            "unit_required",
            _("Cần chọn đơn vị (unit): tài khoản chỉ xem được báo cáo của một số đơn vị."),
        )
    report = form06_report(period=period_between(start, end), unit=chosen, grouping=group)
    return {
        "form": "Biểu số 06/VPCP/KSTT",
        "reporting_unit": report.reporting_unit,
        "unit": chosen.code if chosen else None,
        "start": start,
        "end": end,
        "group": group,
        "unit_basis": report.basis,
        "rows": [_row(row) for row in report.rows],
        "total": _columns(report.total),
    }
