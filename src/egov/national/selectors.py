"""Reads for the sync dashboard: lag, counts by state, recent failures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min
from django.utils import timezone

from egov.national.models import NationalSync, SyncStatus


@dataclass(frozen=True)
class SyncOverview:
    counts: dict[str, int]
    oldest_pending_at: dt.datetime | None
    lag: dt.timedelta | None
    failures: list[NationalSync]
    retrying: list[NationalSync]


def sync_overview(*, limit: int = 20) -> SyncOverview:
    counts = {
        row["status"]: row["n"]
        for row in NationalSync.objects.values("status").annotate(n=Count("id")).order_by()
    }
    oldest = NationalSync.objects.filter(status=SyncStatus.PENDING).aggregate(at=Min("created_at"))[
        "at"
    ]
    recent = NationalSync.objects.select_related("dossier").order_by("-id")
    return SyncOverview(
        counts={value: counts.get(value, 0) for value in SyncStatus.values},
        oldest_pending_at=oldest,
        lag=(timezone.now() - oldest) if oldest else None,
        failures=list(recent.filter(status=SyncStatus.FAILED)[:limit]),
        retrying=list(recent.filter(status=SyncStatus.PENDING, attempts__gt=0)[:limit]),
    )
