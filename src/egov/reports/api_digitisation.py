"""API of the digitisation figures (issue 16 §7): one unit (rolled up with the units below it,
one row each) and one calendar period. ``Authorization: Bearer <key>`` with scope
``reports.read``; the key's roles (lãnh đạo, giám sát, quản trị) must reach the unit, as for
the service index. Definitions: docs/reports.md, "Tỷ lệ số hóa"."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from egov.accounts.api_auth import ApiKeyAuth
from egov.core.api_errors import ErrorResponse
from egov.core.api_types import Text
from egov.reports.api_request import report_period_and_unit
from egov.reports.digitisation import DigitisationCounts, DigitisationRow, digitisation_report
from egov.reports.service_index import period_code

digitisation_router = Router(tags=["reports"], auth=ApiKeyAuth("reports"))


class FigureOut(Schema):
    code: str = Field(
        description="dossiers_digitised (chỉ số 4.2 QĐ 766), counter_digitised (tỷ lệ số hóa "
        "thành phần tại bộ phận một cửa, không phải chỉ số 766), results_digitised (4.1), "
        "reuse (4.3)."
    )
    name: str
    indicator: str | None = Field(description="Mã chỉ số QĐ 766 tương ứng; null: chỉ số riêng.")
    numerator: int
    denominator: int
    ratio: float | None = Field(description="Tử số / mẫu số, 4 chữ số; null khi mẫu số 0.")


class StoreDocumentsOut(Schema):
    scan: int = Field(description="Bản quét tại bộ phận một cửa đã đối chiếu, ký số.")
    upload: int = Field(description="Tệp nộp trực tuyến đã đối chiếu bản chính.")
    result: int = Field(description="Kết quả điện tử cấp vào Kho dữ liệu.")
    certified_copy: int = Field(description="Bản sao điện tử chứng thực từ bản chính.")
    total: int


class DigitisationRowOut(Schema):
    unit: str = Field(description="Mã định danh đơn vị (hoặc khóa dữ liệu khi chưa có mã).")
    name: str
    depth: int = Field(description="Cấp trong cây đơn vị, 0: đơn vị được hỏi.")
    figures: list[FigureOut]
    reused_components: int = Field(description="Số thành phần hồ sơ dùng lại dữ liệu số hóa.")
    store_documents: StoreDocumentsOut = Field(
        description="Giấy tờ đơn vị số hóa hoặc cấp vào Kho dữ liệu trong kỳ, theo nguồn."
    )


class DigitisationPeriodOut(Schema):
    period: str = Field(description="YYYY-MM, YYYY-Qn hoặc YYYY, như tham số period.")
    first_day: str
    last_day: str


class DigitisationOut(Schema):
    period: DigitisationPeriodOut
    unit_basis: str = Field(description="handling: đơn vị giải quyết; receiving: nơi tiếp nhận")
    rows: list[DigitisationRowOut] = Field(
        description="Đơn vị được hỏi (dòng đầu, là tổng) và từng đơn vị trực thuộc có số liệu, "
        "mỗi dòng cộng dồn các đơn vị dưới nó."
    )


def _counts_out(counts: DigitisationCounts) -> dict[str, Any]:
    return {
        "figures": [
            {
                "code": figure.code,
                "name": str(figure.definition.label),
                "indicator": figure.definition.indicator,
                "numerator": figure.numerator,
                "denominator": figure.denominator,
                "ratio": None if figure.ratio is None else float(figure.ratio),
            }
            for figure in counts.figures()
        ],
        "reused_components": counts.reused_components,
        "store_documents": {**counts.store_documents, "total": counts.store_documents_total},
    }


def _row_out(row: DigitisationRow) -> dict[str, Any]:
    return {"unit": row.key, "name": row.label, "depth": row.depth, **_counts_out(row.counts)}


@digitisation_router.get(
    "/reports/digitisation",
    response={
        200: DigitisationOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Tỷ lệ số hóa hồ sơ, kết quả và tái sử dụng dữ liệu của một đơn vị trong một kỳ",
)
def get_digitisation(
    request: HttpRequest,
    period: Annotated[str, Text(7)],
    unit: Annotated[str, Text(40)],
) -> Any:
    """The digitisation figures of ``unit`` (mã định danh, or the data key of a unit without
    one) and of each unit below it with something to count, for ``period`` (``YYYY-MM``,
    ``YYYY-Qn`` or ``YYYY``, calendar periods): dossiers received in the period, each counted
    once in the unit that handles it. 422 ``invalid_index_period``; 404 ``unit_not_found``;
    403 ``unit_forbidden`` when the key's roles do not reach the unit."""
    chosen, found = report_period_and_unit(request, period, unit)
    report = digitisation_report(period=chosen, unit=found)
    return {
        "period": {
            "period": period_code(chosen),
            "first_day": chosen.first_day.isoformat(),
            "last_day": chosen.last_day.isoformat(),
        },
        "unit_basis": report.basis,
        "rows": [_row_out(row) for row in report.rows],
    }
