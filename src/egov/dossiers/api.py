"""Public dossier status lookup API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from egov.core.api_errors import ApiError, ErrorResponse
from egov.core.ratelimit import take
from egov.dossiers.models import DossierStatus
from egov.dossiers.selectors import public_status

public_router = Router(tags=["public"])


class StepOut(Schema):
    label: str
    at: dt.datetime


class PublicDossierOut(Schema):
    code: str
    procedure: str
    applicant: str
    status: DossierStatus
    status_label: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    result_ready: bool
    result_code: str
    steps: list[StepOut]
    submitted_at: dt.datetime | None
    due_kind: str = Field(
        description="result: due_at is the appointment for the result; reception_answer: "
        "submitted online and not yet received, due_at is the desk's deadline to accept or "
        "refuse it (8 working hours)"
    )
    overdue: bool = Field(description="not finished and past due_at")


@public_router.get(
    "/dossiers/{code}",
    response={200: PublicDossierOut, 404: ErrorResponse, 429: ErrorResponse},
    summary="Tra cứu tình trạng hồ sơ theo mã",
)
def lookup_dossier(request: HttpRequest, response: HttpResponse, code: str) -> Any:
    """Limited per client address (``EGOV_LOOKUP_RATE_PER_MINUTE``): a 200 or 429 carries the
    RateLimit-Limit/-Remaining/-Reset headers, a 429 also Retry-After (seconds)."""
    window = take(request, "lookup", limit=settings.EGOV_LOOKUP_RATE_PER_MINUTE, window_seconds=60)
    if not window.allowed:
        raise ApiError(
            429,
            "rate_limited",
            _("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút."),
            headers=window.headers(),
        )
    for name, value in window.headers().items():
        response[name] = value
    status = public_status(code)
    if status is None:
        raise ApiError(
            404,
            "dossier_not_found",
            _(
                "Không tìm thấy hồ sơ có mã “%s”. Mã hồ sơ in trên Giấy tiếp nhận, dạng "
                "000.00.89.H49-260424-0001."
            )
            % code,
        )
    return status
