"""The national service index (QĐ 766/QĐ-TTg) of one unit and period, as egov computes it
from its own data, and the dossiers behind each of its numbers.

``service_index(unit=…, period=…)`` is the public entry: one aggregate query over the
dossiers received by the unit (and the units below it) in the period, and one over the
feedback received by or routed to them in the period (group 5, indicators 5.2 and 5.3),
scored with the version of ``data/service_index.json`` in force on the period's last day. An
indicator whose data egov does not have is ``no_data`` ("chưa có dữ liệu"), never a 0; the
online-services group is ``ratio_only`` (the portal's split of its 12 points is not
established, so egov shows the ratios and no points); the total names the groups that are
incomplete.

Periods are calendar months, quarters and years (``YYYY-MM``, ``YYYY-Qn``, ``YYYY``), as the
national portal's index counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import Role, User
from egov.accounts.scope import unit_subtree_ids
from egov.core.replicas import report_reads
from egov.dossiers.models import Dossier
from egov.org.models import Unit
from egov.reports.periods import Convention, Period, PeriodError, PeriodKind, period_of
from egov.reports.scope import report_units
from egov.reports.service_index_measures import (
    FEEDBACK_MEASURES,
    MEASURES,
    condition,
    feedback_counts,
    received_in,
)
from egov.reports.service_index_rules import (
    NO_DATA,
    RATIO_ONLY,
    SCORED,
    Group,
    IndexVersion,
    Indicator,
    ratio_decimal,
    version_on,
)

# Statuses of a computed indicator.
COMPUTED = "computed"
STATUS_NO_DATA = "no_data"
STATUS_RATIO_ONLY = "ratio_only"

NUMERATOR, DENOMINATOR, MISSING = "numerator", "denominator", "missing"
PARTS = (NUMERATOR, DENOMINATOR, MISSING)
PAGE_SIZE = 50

# Who sees the index of a unit: its leaders and supervisors, and its administrators.
LEADER_ROLES = (Role.CENTRE_LEADER, Role.DEPARTMENT_LEADER, Role.SUPERVISOR, Role.SYSTEM_ADMIN)

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-[Qq]([1-4]))?$")


def parse_index_period(text: str | None) -> Period:
    """``YYYY-MM`` (a month), ``YYYY-Qn`` (a quarter) or ``YYYY`` (a year), calendar periods;
    PeriodError with a Vietnamese message otherwise."""
    match = _PERIOD.match((text or "").strip())
    if match is None:
        raise PeriodError(
            _("Kỳ không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm).")
        )
    year, month, quarter = match.groups()
    if month is not None:
        return period_of(PeriodKind.MONTH, int(year), int(month), convention=Convention.CALENDAR)
    if quarter is not None:
        return period_of(
            PeriodKind.QUARTER, int(year), int(quarter), convention=Convention.CALENDAR
        )
    return period_of(PeriodKind.YEAR, int(year), convention=Convention.CALENDAR)


def index_scope(user: User) -> set[int] | None:
    """Units whose index ``user`` may see (None: every unit): the report rule of this app
    (``reports.scope.report_units``) for the leader, supervisor and administrator roles."""
    return report_units(user, LEADER_ROLES)


def period_code(period: Period) -> str:
    """The ``period`` parameter that names ``period`` (the inverse of parse_index_period)."""
    first = period.first_day
    if period.kind is PeriodKind.MONTH:
        return f"{first.year}-{first.month:02d}"
    if period.kind is PeriodKind.QUARTER:
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return str(first.year)


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    numerator: int | None
    denominator: int | None
    ratio: Decimal | None  # 4 decimals
    points: Decimal | None  # 2 decimals; None when egov gives no points
    status: str  # computed | no_data | ratio_only

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def drillable(self) -> bool:
        """Whether the dossiers behind the numbers can be listed (``index_dossiers``): a
        computed indicator over dossiers; feedback indicators count feedback, not dossiers."""
        return self.numerator is not None and self.indicator.numerator in MEASURES


@dataclass(frozen=True)
class GroupResult:
    group: Group
    points: Decimal
    # Max points of the indicators egov scored: what ``points`` is out of.
    computed_max_points: Decimal
    complete: bool
    indicators: tuple[IndicatorResult, ...]


@dataclass(frozen=True)
class ServiceIndex:
    unit: Unit
    period: Period
    version: IndexVersion
    groups: tuple[GroupResult, ...]
    indicators: tuple[IndicatorResult, ...]
    points: Decimal
    max_points: Decimal
    computed_max_points: Decimal
    incomplete_groups: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.incomplete_groups


class NoIndexVersion(PeriodError):
    """No version of the index is in force at the period's end (before QĐ 766)."""


def _score(indicator: Indicator, counts: dict[str, int]) -> IndicatorResult:
    if indicator.mode == NO_DATA or indicator.numerator is None or indicator.denominator is None:
        return IndicatorResult(indicator, None, None, None, None, STATUS_NO_DATA)
    numerator, denominator = counts[indicator.numerator], counts[indicator.denominator]
    if denominator == 0:
        rule = indicator.zero_denominator
        if indicator.mode == RATIO_ONLY or rule == "no_data":
            return IndicatorResult(indicator, numerator, 0, None, None, STATUS_NO_DATA)
        points = indicator.max_points if rule == "full" else Decimal("0.00")
        return IndicatorResult(
            indicator, numerator, 0, None, points.quantize(Decimal("0.01")), COMPUTED
        )
    ratio = Fraction(numerator, denominator)
    if indicator.mode == RATIO_ONLY:
        return IndicatorResult(
            indicator, numerator, denominator, ratio_decimal(ratio), None, STATUS_RATIO_ONLY
        )
    assert indicator.mode == SCORED
    points = indicator.rule.points(indicator.max_points, ratio)
    return IndicatorResult(
        indicator, numerator, denominator, ratio_decimal(ratio), points, COMPUTED
    )


def _group_results(
    version: IndexVersion, results: tuple[IndicatorResult, ...]
) -> tuple[GroupResult, ...]:
    def members(code: str) -> set[str]:
        found = {code}
        for group in version.groups:
            if group.parent in found:
                found.add(group.code)
        return found

    groups = []
    for group in version.groups:
        inside = members(group.code)
        own = tuple(r for r in results if r.indicator.group in inside)
        scored = [r for r in own if r.points is not None]
        groups.append(
            GroupResult(
                group=group,
                points=sum((r.points for r in scored if r.points is not None), Decimal("0.00")),
                computed_max_points=sum(
                    (r.indicator.max_points for r in scored), Decimal("0.00")
                ).quantize(Decimal("0.01")),
                # Complete: every indicator that carries points was scored by egov.
                complete=all(r.status == COMPUTED for r in own if r.indicator.max_points > 0),
                indicators=own,
            )
        )
    return tuple(groups)


def measure_counts(unit: Unit, period: Period, measures: set[str]) -> dict[str, int]:
    """How many dossiers received by ``unit`` (and below it) in ``period`` are in each of
    the dossier ``measures`` — one query (``COUNT(*) FILTER (WHERE …)`` on PostgreSQL) — and
    the feedback figures of its feedback measures (one more query when any is asked)."""
    start, end = period.bounds()
    unit_ids = unit_subtree_ids([unit.pk])
    dossier_codes = sorted(m for m in measures if m in MEASURES)
    feedback_codes = {m for m in measures if m in FEEDBACK_MEASURES}
    counts: dict[str, int] = {}
    with report_reads():
        if dossier_codes:
            counted = received_in(unit_ids, start, end).aggregate(
                **{code: Count("pk", filter=condition(code, end)) for code in dossier_codes}
            )
            counts.update({code: int(counted[code] or 0) for code in dossier_codes})
        if feedback_codes:
            # Judged now, as the national PAKN system and GET /api/v1/reports/feedback judge
            # it: an answer given late after the period's end counts late, and what is still
            # open is in time only until its answer deadline (docs/service-index.md).
            counts.update(
                feedback_counts(
                    sorted(unit_ids), start, end, at=timezone.now(), codes=feedback_codes
                )
            )
    return counts


def service_index(
    *, unit: Unit, period: Period, versions: tuple[IndexVersion, ...] | None = None
) -> ServiceIndex:
    """The index of ``unit`` (with the units below it) for ``period``, scored with the version
    in force on the period's last day (``versions``: the shipped data unless given)."""
    version = version_on(period.last_day, versions)
    if version is None:
        raise NoIndexVersion(_("Chưa có bộ chỉ số áp dụng cho kỳ này."))
    counts = measure_counts(unit, period, version.measures())
    results = tuple(_score(indicator, counts) for indicator in version.indicators)
    groups = _group_results(version, results)
    top = [g for g in groups if g.group.parent is None]
    scored = [r for r in results if r.points is not None]
    return ServiceIndex(
        unit=unit,
        period=period,
        version=version,
        groups=groups,
        indicators=results,
        points=sum((r.points for r in scored if r.points is not None), Decimal("0.00")),
        max_points=sum((g.group.max_points for g in top), Decimal(0)),
        computed_max_points=sum((r.indicator.max_points for r in scored), Decimal("0.00")),
        incomplete_groups=tuple(g.group.code for g in top if not g.complete),
    )


@dataclass(frozen=True)
class DossierPage:
    items: list[Dossier]
    next_after: int | None  # the last id shown, when there is a next page


def index_dossiers(
    *,
    unit: Unit,
    period: Period,
    indicator_code: str,
    part: str,
    after: int | None = None,
    limit: int | None = None,
    versions: tuple[IndexVersion, ...] | None = None,
) -> DossierPage:
    """The dossiers behind one number of the index: the indicator's numerator, denominator
    or what is missing from the numerator (denominator and not numerator: the late dossiers,
    the unpaid fees, the unsigned e-results…), in id order from ``after`` (keyset pages, no
    total). LookupError for an indicator egov does not count or that counts feedback."""
    version = version_on(period.last_day, versions)
    indicator = version.indicator(indicator_code) if version else None
    if (
        indicator is None
        or indicator.mode == NO_DATA
        or indicator.numerator is None
        or indicator.denominator is None
        or indicator.numerator not in MEASURES
        or indicator.denominator not in MEASURES
        or part not in PARTS
    ):
        raise LookupError(indicator_code)
    limit = limit or PAGE_SIZE
    start, end = period.bounds()
    numerator = condition(indicator.numerator, end)
    denominator = condition(indicator.denominator, end)
    wanted = {
        NUMERATOR: numerator,
        DENOMINATOR: denominator,
        MISSING: denominator & ~numerator,
    }[part]
    rows = received_in(unit_subtree_ids([unit.pk]), start, end).filter(wanted)
    if after is not None:
        rows = rows.filter(pk__gt=after)
    with report_reads():
        items = list(rows.select_related("procedure_version").order_by("pk")[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return DossierPage(items=items, next_after=items[-1].pk if more and items else None)
