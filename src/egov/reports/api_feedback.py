"""API of the feedback figures (issue 17 §8; QĐ 766/QĐ-TTg group 5): one unit (with the units
below it) and one calendar period, one row per responsible unit. ``Authorization: Bearer
<key>`` with scope ``reports.read``; the key's roles (lãnh đạo, giám sát, quản trị) must reach
the unit, as for the service index. Definitions: docs/feedback.md, "Indicators"."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from egov.accounts.api_auth import ApiKeyAuth
from egov.core.api_errors import ErrorResponse
from egov.core.api_types import Text
from egov.feedback.permissions import feedback_of_units
from egov.feedback.selectors import FeedbackFigures, feedback_figures, feedback_figures_by_unit
from egov.org.models import Unit
from egov.org.selectors import unit_ref, units_below
from egov.reports.api_request import report_period_and_unit
from egov.reports.service_index import period_code
from egov.workdays.engine import VIETNAM_TZ

feedback_report_router = Router(tags=["reports"], auth=ApiKeyAuth("reports"))


class FeedbackFiguresOut(Schema):
    received: int = Field(description="PAKN tiếp nhận trong kỳ.")
    about_regulation: int = Field(description="Phân loại: về quy định, TTHC (chỉ số 5.1).")
    about_conduct: int = Field(description="Phân loại: về hành vi của CBCCVC (chỉ số 5.1).")
    refused: int
    answered: int
    in_progress: int
    on_time: int = Field(description="Xử lý đúng/trước hạn + đang xử lý trong hạn (5.2).")
    on_time_ratio: float | None = Field(description="on_time / received; null khi 0.")
    satisfied: int = Field(description="Đã trả lời, đúng hạn, không bị đánh giá không hài lòng.")
    satisfaction_ratio: float | None = Field(description="satisfied / answered (5.3).")
    liked: int
    disliked: int


class FeedbackRowOut(Schema):
    unit: str | None = Field(description="Đơn vị xử lý; null: chưa phân loại, chuyển xử lý.")
    name: str
    figures: FeedbackFiguresOut


class FeedbackReportOut(Schema):
    period: str
    first_day: str
    last_day: str
    total: FeedbackFiguresOut
    rows: list[FeedbackRowOut]


def _figures_out(figures: FeedbackFigures) -> dict[str, Any]:
    on_time, satisfied = figures.on_time_ratio, figures.satisfaction_ratio
    return {
        **figures.__dict__,
        "on_time_ratio": None if on_time is None else float(on_time),
        "satisfaction_ratio": None if satisfied is None else float(satisfied),
    }


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=VIETNAM_TZ)


@feedback_report_router.get(
    "/reports/feedback",
    response={
        200: FeedbackReportOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Phản ánh, kiến nghị: tiếp nhận, xử lý đúng hạn, hài lòng, theo đơn vị và kỳ",
)
def get_feedback_report(
    request: HttpRequest,
    period: Annotated[str, Text(7)],
    unit: Annotated[str, Text(40)],
) -> Any:
    """Feedback received in ``period`` (``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``) by ``unit`` (its
    support centre) or routed to it or a unit below it, per responsible unit. 422
    ``invalid_index_period``; 404 ``unit_not_found``; 403 ``unit_forbidden``."""
    chosen, found = report_period_and_unit(request, period, unit)
    below = units_below(Unit.objects.filter(pk=found.pk).values("pk"))
    in_scope = feedback_of_units(below)
    start = _start(chosen.first_day)
    end = _start(chosen.last_day + dt.timedelta(days=1))
    # Judged when asked, as the national system does: a late answer given after the period
    # still counts late, and what is still open counts in time only until its deadline.
    at = timezone.now()
    return {
        "period": period_code(chosen),
        "first_day": chosen.first_day.isoformat(),
        "last_day": chosen.last_day.isoformat(),
        "total": _figures_out(feedback_figures(in_scope, start=start, end=end, at=at)),
        "rows": [
            {
                "unit": unit_ref(row.unit) if row.unit else None,
                "name": row.unit.name if row.unit else _("Chưa chuyển xử lý"),
                "figures": _figures_out(row.figures),
            }
            for row in feedback_figures_by_unit(in_scope, start=start, end=end, at=at)
        ],
    }
