"""The reconciliation report: a unit's online payments over a period, with totals, to match
against the gateway's statement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from egov.accounts.actors import Actor
from egov.dossiers.permissions import units_in_scope
from egov.payments.models import OnlinePayment, PaymentStatus
from egov.workdays.engine import VIETNAM_TZ

MAX_DAYS = 93
MAX_ROWS = 10_000


@dataclass(frozen=True)
class Reconciliation:
    start: dt.date
    end: dt.date
    rows: list[OnlinePayment]
    totals: dict[str, tuple[int, int]]  # status → (count, amount)
    truncated: bool


def reconciliation(user: Actor, start: dt.date, end: dt.date) -> Reconciliation:
    """Payments started in [start, end] (Việt Nam days) for dossiers received by the units
    where ``user`` holds a role (and the units below them)."""
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=VIETNAM_TZ)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=VIETNAM_TZ)
    rows = list(
        OnlinePayment.objects.filter(
            dossier__receiving_unit_id__in=units_in_scope(user),
            created_at__gte=lower,
            created_at__lt=upper,
        )
        .select_related("dossier")
        .order_by("created_at", "id")[: MAX_ROWS + 1]
    )
    truncated = len(rows) > MAX_ROWS
    rows = rows[:MAX_ROWS]
    totals = dict.fromkeys(PaymentStatus.values, (0, 0))
    for payment in rows:
        count, amount = totals[payment.status]
        totals[payment.status] = (count + 1, amount + payment.amount)
    return Reconciliation(start, end, rows, totals, truncated)


def paid_online(dossier_id: int) -> list[OnlinePayment]:
    """The successful online payments of one dossier, oldest first (each has a receipt). The
    caller has loaded the dossier through the permission module."""
    return list(
        OnlinePayment.objects.filter(dossier_id=dossier_id, status=PaymentStatus.PAID).order_by(
            "paid_at", "id"
        )
    )
