"""``GET /api/v1/reports/plan-targets``: the plan's targets for a quarter, as the staff page
and the quarterly progress report show them (``egov.reports.targets``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from egov.accounts.api_auth import ApiKeyAuth, api_user
from egov.core.api_errors import ApiError, ErrorResponse
from egov.core.replicas import report_reads
from egov.reports.periods import PeriodError
from egov.reports.targets import (
    Quarter,
    TargetRow,
    default_plan,
    parse_quarter,
    plan_targets_for,
    quarter_containing,
)
from egov.reports.targets_access import may_view_plan_targets, reporting_unit
from egov.reports.targets_measures import Ratio

plan_targets_router = Router(tags=["reports"], auth=ApiKeyAuth("reports"))


class EvidenceOut(Schema):
    reference: str
    file_name: str | None
    file_sha256: str | None
    unit: str
    entered_by: str
    entered_at: dt.datetime


class TrendPointOut(Schema):
    quarter: str
    value: float | None


class PlanTargetOut(Schema):
    code: str
    name: str
    comparison: Literal["gte", "gt", "eq"]
    target: float | None
    value: float | None
    numerator: int | None
    denominator: int | None
    unit_of_measure: str
    met: bool | None
    source: Literal["computed", "entered"]
    as_of: dt.date | None
    evidence: EvidenceOut | None
    confidence: Literal["P", "S", "I", "U"]
    citation: str
    trend: list[TrendPointOut]


class PlanTargetsOut(Schema):
    plan: str
    decision: str
    quarter: str
    reporting_unit: str | None
    targets: list[PlanTargetOut]


def _number(value: object) -> float | None:
    return None if value is None else float(str(value))


def _evidence(row: TargetRow) -> EvidenceOut | None:
    entry = row.entry
    if entry is None:
        return None
    file = entry.evidence_file
    return EvidenceOut(
        reference=entry.evidence_reference,
        file_name=file.name if file else None,
        file_sha256=file.sha256 if file else None,
        unit=entry.unit.key,
        entered_by=entry.entered_by.display_name,
        entered_at=timezone.localtime(entry.entered_at),
    )


def _row(row: TargetRow) -> PlanTargetOut:
    target = row.target
    ratio: Ratio | None = row.ratio
    return PlanTargetOut(
        code=target.code,
        name=target.name,
        comparison=target.comparison,  # type: ignore[arg-type]
        target=_number(target.target_value),
        value=_number(row.value),
        numerator=ratio.numerator if ratio else None,
        denominator=ratio.denominator if ratio else None,
        unit_of_measure=target.unit_of_measure,
        met=row.met,
        source=row.source,  # type: ignore[arg-type]
        as_of=row.as_of,
        evidence=_evidence(row),
        confidence=target.confidence,  # type: ignore[arg-type]
        citation=f"{target.plan.decision}, {target.article}",
        trend=[TrendPointOut(quarter=str(p.quarter), value=_number(p.value)) for p in row.trend],
    )


def _quarter(text: str | None) -> Quarter:
    today = timezone.localdate()
    if not text:
        return quarter_containing(today)
    try:
        quarter = parse_quarter(text[:20])
    except PeriodError as exc:
        raise ApiError(422, "invalid_quarter", str(exc)) from None
    if quarter.period().first_day > today:
        raise ApiError(422, "invalid_quarter", _("Quý %(q)s chưa bắt đầu.") % {"q": quarter})
    return quarter


@plan_targets_router.get(
    "/reports/plan-targets",
    response={200: PlanTargetsOut, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
    summary="Chỉ tiêu Đề án Chính quyền điện tử theo quý",
)
def plan_targets(request: HttpRequest, quarter: str | None = None) -> PlanTargetsOut:
    """Each target of the province's e-government plan (QĐ 2459/QĐ-UBND 2012, 1.2.x) in force
    in ``quarter`` (``YYYY-Qn``; the current quarter, measured up to today, by default): the
    target and its comparison, the value, whether it is met (null when the value or the target
    is not known: "chưa có dữ liệu", "chưa xác định"), whether the value is computed from
    egov's data (with numerator and denominator) or entered by the responsible unit (with its
    evidence), the date it stands at, and the values of the last four quarters. Only for the
    provincial level (supervisor, system administrator, centre leader of the province, the
    reporting department): 403 ``forbidden`` for other roles. 404 ``plan_not_found`` when no
    plan was loaded; 422 ``invalid_quarter`` for a malformed or future quarter."""
    if not may_view_plan_targets(api_user(request)):
        raise ApiError(
            403, "forbidden", _("Chỉ tiêu đề án chỉ dành cho lãnh đạo, giám sát cấp tỉnh.")
        )
    plan = default_plan()
    if plan is None:
        raise ApiError(404, "plan_not_found", _("Chưa nạp chỉ tiêu đề án."))
    chosen = _quarter(quarter)
    with report_reads():
        rows = plan_targets_for(plan, chosen)
        period_day = rows[0].as_of if rows and rows[0].as_of else chosen.period().last_day
        reporter = reporting_unit(plan, period_day)
    return PlanTargetsOut(
        plan=plan.title,
        decision=plan.decision,
        quarter=str(chosen),
        reporting_unit=reporter.key if reporter else None,
        targets=[_row(row) for row in rows],
    )
