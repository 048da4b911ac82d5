"""The service index's measures against a plain reading of their definitions
(docs/service-index.md), dossier by dossier in Python, on random data (issue 15: every report is
checked against a straightforward count over the raw rows)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from egov.dossiers.models import Dossier, DossierEvent
from egov.national.models import NationalSync
from egov.org.models import UnitKind
from egov.payments.models import OnlinePayment
from egov.reports.periods import Convention, PeriodKind, period_of
from egov.reports.service_index import measure_counts
from egov.reports.tests.test_form06 import at, dossier, unit

pytestmark = pytest.mark.django_db
MEASURES = {"received", "on_time", "synced", "online", "fee_due", "paid_online"}


def by_hand(dossiers: list[Dossier], unit_ids: set[int], period) -> dict[str, int]:
    start, end = period.bounds()
    synced = set(NationalSync.objects.filter(status="sent").values_list("dossier_id", flat=True))
    paid = set(OnlinePayment.objects.filter(status="paid").values_list("dossier_id", flat=True))
    counts = dict.fromkeys(MEASURES, 0)
    for d in dossiers:
        if d.receiving_unit_id not in unit_ids or d.received_at is None:
            continue
        if not start <= d.received_at < end:
            continue
        counts["received"] += 1
        if d.completed_at is not None and d.completed_at < end:
            counts["on_time"] += d.outcome != "late"
        else:  # still in processing at the period's end: late once past its appointment
            counts["on_time"] += d.due_at is None or d.due_at >= end
        counts["synced"] += d.pk in synced
        counts["online"] += d.channel == "online"
        fee_due = bool(d.fee_quoted) or bool(d.obligation_amount)
        counts["fee_due"] += fee_due
        counts["paid_online"] += fee_due and d.pk in paid
    return counts


def test_every_measure_equals_a_plain_count_on_random_data(quang_ninh):
    rng = random.Random(766)
    root = unit("s.root", None, UnitKind.PEOPLES_COMMITTEE)
    desks = [unit(f"s.desk{i}", root) for i in range(2)]
    origin = at(2026, 1, 1)
    made = []
    for number in range(300):
        received = origin + dt.timedelta(hours=rng.randrange(0, 24 * 120))
        open_ = rng.random() < 0.3
        row = dossier(
            rng.choice(desks),
            received=None if rng.random() < 0.05 else received,
            due=None if rng.random() < 0.1 else received + dt.timedelta(days=rng.randrange(1, 25)),
            completed=None if open_ else received + dt.timedelta(days=rng.randrange(0, 40)),
            outcome="" if open_ else rng.choice(["early", "on_time", "late"]),
            channel=rng.choice(["online", "counter", "post"]),
        )
        row.fee_quoted = rng.choice([None, 0, 50_000])
        row.obligation_amount = rng.choice([None, None, 0, 120_000])
        row.save(update_fields=["fee_quoted", "obligation_amount"])
        event = DossierEvent.objects.create(
            dossier=row, sequence=1, action="receive", to_status="received", at=received
        )
        if rng.random() < 0.7:
            NationalSync.objects.create(
                dossier=row,
                event=event,
                status=rng.choice(["sent", "sent", "pending", "failed"]),
                next_attempt_at=received,
                created_at=received,
            )
        if rng.random() < 0.3:
            OnlinePayment.objects.create(
                txn_ref=f"R{number}",
                dossier=row,
                purpose="fee",
                amount=50_000,
                status=rng.choice(["paid", "failed"]),
                created_at=received,
                expires_at=received,
            )
        made.append(row)
    everyone = {root.pk, *(d.pk for d in desks)}
    periods = [
        period_of(PeriodKind.MONTH, 2026, month, convention=Convention.CALENDAR)
        for month in (1, 2, 3, 4)
    ]
    periods.append(period_of(PeriodKind.QUARTER, 2026, 1, convention=Convention.CALENDAR))
    for period in periods:
        counted = measure_counts(root, period, MEASURES)
        assert counted == by_hand(made, everyone, period), period
        assert counted["received"] > 0
        assert measure_counts(desks[1], period, MEASURES) == by_hand(made, {desks[1].pk}, period)
