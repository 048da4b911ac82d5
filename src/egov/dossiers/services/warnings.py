"""Due-soon and overdue warnings (run periodically: `python manage.py dossier_warnings`, or
the background task). Idempotent: a warning is raised once per dossier, kind and due moment —
a new date after an apology raises new warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from egov.dossiers.models import Dossier, DossierWarning, WarningKind
from egov.dossiers.selectors import DUE_SOON, OPEN_STATUSES


@dataclass(frozen=True)
class WarningRun:
    due_soon: int
    overdue: int


@transaction.atomic
def raise_due_warnings(*, now: dt.datetime | None = None) -> WarningRun:
    moment = now or timezone.now()
    open_dossiers = Dossier.objects.filter(status__in=OPEN_STATUSES).exclude(due_at=None)
    counts = {}
    for kind, dossiers in (
        (WarningKind.OVERDUE, open_dossiers.filter(due_at__lt=moment)),
        (
            WarningKind.DUE_SOON,
            open_dossiers.filter(due_at__gte=moment, due_at__lte=moment + DUE_SOON),
        ),
    ):
        rows = [
            DossierWarning(dossier_id=pk, kind=kind, due_at=due, raised_at=moment)
            for pk, due in dossiers.values_list("pk", "due_at")
            if due is not None
        ]
        before = DossierWarning.objects.filter(kind=kind).count()
        DossierWarning.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        counts[kind] = DossierWarning.objects.filter(kind=kind).count() - before
    return WarningRun(due_soon=counts[WarningKind.DUE_SOON], overdue=counts[WarningKind.OVERDUE])
