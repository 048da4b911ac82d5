"""API of the queue indicators of the service centres (issue 17 §5): one unit (with the units
below it) and one calendar period, one row per centre and the total. ``Authorization: Bearer
<key>`` with scope ``reports.read``; the key's roles (lãnh đạo, giám sát, quản trị) must reach
the unit, as for the service index and the feedback report. Definitions: docs/centre.md,
"Measures and indicators"."""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema

from egov.accounts.api_auth import ApiKeyAuth
from egov.centre.selectors import QueueMeasures
from egov.core.api_errors import ErrorResponse
from egov.core.api_types import Text
from egov.org.selectors import unit_ref
from egov.reports.api_request import report_period_and_unit
from egov.reports.queue import queue_report
from egov.reports.service_index import period_code

queue_report_router = Router(tags=["reports"], auth=ApiKeyAuth("reports"))


class QueueMeasuresOut(Schema):
    issued: int = Field(description="Số thứ tự đã phát (lấy số) trong kỳ.")
    waiting: int = Field(
        description="Số chưa được gọi lần nào (còn chờ, hoặc người dân bỏ về khi hết ngày)."
    )
    called: int = Field(description="Số đã được gọi ít nhất một lần.")
    done: int = Field(description="Số đã phục vụ xong.")
    no_show: int = Field(description="Số gọi không đến (quầy đánh dấu không đến).")
    average_wait_seconds: int | None = Field(
        description="Thời gian chờ trung bình (giây), từ lúc lấy số đến lần gọi đầu tiên, trên "
        "các số đã được gọi; null khi chưa gọi số nào."
    )
    within_target: int = Field(
        description="Số đã được gọi trong thời gian chờ mục tiêu (wait_target_minutes)."
    )
    within_target_share: float | None = Field(
        description="Tỷ lệ (0–1, 4 chữ số thập phân) within_target / called; null khi chưa gọi "
        "số nào."
    )
    average_service_seconds: int | None = Field(
        description="Thời gian phục vụ trung bình (giây), từ lúc bắt đầu phục vụ (hoặc lần gọi "
        "cuối khi quầy không bấm bắt đầu) đến lúc xong, trên các số đã phục vụ xong; null khi "
        "chưa có số nào xong."
    )


class QueueAppointmentsOut(Schema):
    booked: int = Field(description="Lịch hẹn trực tuyến cho các ngày trong kỳ (không kể đã hủy).")
    checked_in: int = Field(description="Người đặt lịch đã đến, nhận số tại kiosk.")
    called_in_time: int = Field(
        description="Người đặt lịch đã đến và được gọi trước khi hết khung giờ hẹn."
    )
    no_show: int = Field(description="Lịch hẹn không đến (quá giờ nhận số).")
    cancelled: int = Field(description="Lịch hẹn người dân đã hủy.")


class QueueCentreOut(Schema):
    centre: str = Field(
        description="Mã định danh của trung tâm, bộ phận một cửa (hoặc khóa dữ liệu khi chưa có "
        "mã)."
    )
    name: str = Field(description="Tên trung tâm, bộ phận một cửa.")
    figures: QueueMeasuresOut
    appointments: QueueAppointmentsOut


class QueueReportOut(Schema):
    period: str = Field(description="YYYY-MM, YYYY-Qn hoặc YYYY, như tham số period.")
    first_day: str = Field(description="Ngày đầu kỳ (YYYY-MM-DD).")
    last_day: str = Field(description="Ngày cuối kỳ (YYYY-MM-DD), tính cả ngày này.")
    wait_target_minutes: int = Field(
        description="Thời gian chờ mục tiêu (phút), cài đặt EGOV_QUEUE_WAIT_TARGET_MINUTES; "
        "mục tiêu của tỉnh chưa xác nhận."
    )
    total: QueueMeasuresOut = Field(
        description="Mọi số của các trung tâm trong danh sách (trung bình tính trên từng số, "
        "không phải trung bình của các trung tâm)."
    )
    total_appointments: QueueAppointmentsOut = Field(
        description="Lịch hẹn trực tuyến của mọi trung tâm trong danh sách."
    )
    rows: list[QueueCentreOut] = Field(
        description="Mỗi trung tâm, bộ phận một cửa có dòng số thuộc đơn vị hoặc đơn vị trực "
        "thuộc, theo thứ tự tạo; rỗng khi đơn vị không có trung tâm nào."
    )


def _figures_out(measures: QueueMeasures) -> dict[str, Any]:
    share = measures.within_target_share
    # 4 decimals, as the other report APIs give their ratios.
    return {**measures.__dict__, "within_target_share": None if share is None else round(share, 4)}


@queue_report_router.get(
    "/reports/queue",
    response={
        200: QueueReportOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Xếp hàng tại trung tâm: số đã phát, đã gọi, thời gian chờ, phục vụ, theo kỳ",
)
def get_queue_report(
    request: HttpRequest,
    period: Annotated[str, Text(7)],
    unit: Annotated[str, Text(40)],
) -> Any:
    """Queue numbers taken on the days of ``period`` (``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``) at
    the service centres of ``unit`` (mã định danh, or the data key of a unit without one) and
    of the units below it: one row per centre and the total. 422 ``invalid_index_period``;
    404 ``unit_not_found``; 403 ``unit_forbidden`` when the key's roles (lãnh đạo, giám sát,
    quản trị) do not reach the unit."""
    chosen, found = report_period_and_unit(request, period, unit)
    report = queue_report(unit=found, period=chosen)
    return {
        "period": period_code(chosen),
        "first_day": chosen.first_day.isoformat(),
        "last_day": chosen.last_day.isoformat(),
        "wait_target_minutes": settings.EGOV_QUEUE_WAIT_TARGET_MINUTES,
        "total": _figures_out(report.total),
        "total_appointments": report.total_appointments.__dict__,
        "rows": [
            {
                "centre": unit_ref(row.centre),
                "name": row.centre.name,
                "figures": _figures_out(row.measures),
                "appointments": row.appointments.__dict__,
            }
            for row in report.rows
        ],
    }
