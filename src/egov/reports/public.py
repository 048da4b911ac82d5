"""The public statistics page (/thong-ke/): on-time, online and satisfaction ratios of every
unit of the province for the last 12 calendar months — counts only, nothing about a person.

The figures are computed at most once per ``EGOV_PUBLIC_STATISTICS_SECONDS`` (Django's cache,
shared by the workers: the database table or Redis of ``EGOV_CACHE_URL``), so visitors never
make the dossier table work; the page says when they were computed.

Satisfaction counts the ratings that answered the province's question "Đánh giá tổng thể dịch
vụ" (``Rating.overall``: 3 rất hài lòng, 2 hài lòng, 1 không hài lòng) and takes "hài lòng" or
better as satisfied. It is the province's own question (NĐ 61/2018/NĐ-CP Điều 31 khoản 1 điểm i),
not the QĐ 766 satisfaction indicator, which needs feedback (PAKN) data egov does not hold yet —
unconfirmed as the measure the province wants to publish (docs/dashboards.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from egov.core.replicas import report_reads
from egov.dossiers.models import Dossier
from egov.org.models import Unit
from egov.ratings.models import Rating
from egov.reports.dashboard import (
    MONTH_FIELDS,
    MonthFigures,
    holding_unit_expression,
    last_months,
    month_q,
    month_rows,
    monthly_counts,
)

SATISFIED_LEVEL = 2  # "Hài lòng" or "Rất hài lòng" on the 3-level scale
CACHE_VERSION = 1


@dataclass(frozen=True)
class UnitStatistics:
    unit_id: int
    key: str
    name: str
    months: list[MonthFigures]

    def total(self, name: str) -> int:
        return sum(getattr(m, name) for m in self.months)


@dataclass(frozen=True)
class PublicStatistics:
    computed_at: dt.datetime
    province: list[MonthFigures]
    units: list[UnitStatistics]


def _ratings(months: list[Any]) -> dict[int, dict[str, list[int]]]:
    start, end = months[0].start, months[-1].end
    counts = {}
    for index, month in enumerate(months):
        counts[f"rated_{index}"] = Count("pk", filter=month_q("created_at", month))
        counts[f"satisfied_{index}"] = Count(
            "pk", filter=month_q("created_at", month) & Q(overall__gte=SATISFIED_LEVEL)
        )
    rows = (
        Rating.objects.filter(created_at__gte=start, created_at__lt=end, overall__isnull=False)
        .order_by()
        .values("unit")
        .annotate(**counts)
    )
    return {
        row["unit"]: {
            name: [int(row[f"{name}_{i}"]) for i in range(len(months))]
            for name in ("rated", "satisfied")
        }
        for row in rows
    }


def compute_public_statistics(*, now: dt.datetime | None = None) -> PublicStatistics:
    """The figures of every unit with dossiers or ratings in the last 12 months (uncached)."""
    now = now or timezone.now()
    months = last_months(timezone.localdate(now))
    with report_reads():
        dossiers = Dossier.objects.annotate(holding_unit=holding_unit_expression())
        monthly = monthly_counts(dossiers, months, by_unit=True)
        ratings = _ratings(months)
        unit_ids = {u for u in monthly if u is not None} | set(ratings)
        units = {
            pk: (key, name)
            for pk, key, name in Unit.objects.filter(pk__in=unit_ids).values_list(
                "pk", "key", "name"
            )
        }
    empty = [0] * len(months)
    rows = []
    province: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    for unit_id in unit_ids:
        counts = dict(monthly.get(unit_id) or dict.fromkeys(MONTH_FIELDS, empty))
        counts.update(ratings.get(unit_id) or {"rated": empty, "satisfied": empty})
        for name, values in counts.items():
            province[name] = [a + b for a, b in zip(province[name], values, strict=True)]
        key, name = units[unit_id]
        rows.append(UnitStatistics(unit_id, key, name, _rows(months, counts)))
    rows.sort(key=lambda u: u.name)
    for name in (*MONTH_FIELDS, "rated", "satisfied"):
        province.setdefault(name, list(empty))
    return PublicStatistics(computed_at=now, province=_rows(months, province), units=rows)


def _rows(months: list[Any], counts: dict[str, list[int]]) -> list[MonthFigures]:
    base = month_rows(months, counts)
    return [
        MonthFigures(
            **{**row.__dict__, "rated": counts["rated"][i], "satisfied": counts["satisfied"][i]}
        )
        for i, row in enumerate(base)
    ]


def cache_key(today: dt.date) -> str:
    # The month is in the key: on the 1st the 12 months move on at once.
    return f"reports:public-statistics:v{CACHE_VERSION}:{today:%Y-%m}"


def public_statistics() -> PublicStatistics:
    """The cached figures (computed again after ``EGOV_PUBLIC_STATISTICS_SECONDS``)."""
    key = cache_key(timezone.localdate())
    found = cache.get(key)
    if isinstance(found, PublicStatistics):
        return found
    statistics = compute_public_statistics()
    cache.set(key, statistics, settings.EGOV_PUBLIC_STATISTICS_SECONDS)
    return statistics
