"""Due-soon and overdue warnings (run periodically: `python manage.py dossier_warnings`, or
the background task). Idempotent: a warning is raised once per dossier, kind and due moment —
a new date after an apology raises new warnings.

One set-based statement per run, whatever the number of open dossiers: an
``INSERT … SELECT`` of the open dossiers due before the horizon that have no warning of that
kind for that due moment yet, ``ON CONFLICT DO NOTHING`` on the unique (dossier, kind, due_at)
for a run that overlaps another, ``RETURNING`` the kinds written so the counts are exact
(SQLite ≥ 3.35 and PostgreSQL both have the three clauses)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from egov.dossiers.models import Dossier, DossierWarning, WarningKind
from egov.dossiers.selectors import DUE_SOON, OPEN_STATUSES

_DOSSIERS = Dossier._meta.db_table
_WARNINGS = DossierWarning._meta.db_table


def _insert_sql(statuses: int) -> str:
    marks = ", ".join(["%s"] * statuses)
    return (
        f"INSERT INTO {_WARNINGS} (dossier_id, kind, due_at, raised_at) "  # noqa: S608
        f"SELECT d.id, CASE WHEN d.due_at < %s THEN %s ELSE %s END, d.due_at, %s "
        f"FROM {_DOSSIERS} d "
        f"WHERE d.status IN ({marks}) AND d.due_at IS NOT NULL AND d.due_at <= %s "
        f"AND NOT EXISTS (SELECT 1 FROM {_WARNINGS} w WHERE w.dossier_id = d.id "
        f"AND w.due_at = d.due_at "
        f"AND w.kind = CASE WHEN d.due_at < %s THEN %s ELSE %s END) "
        f"ON CONFLICT (dossier_id, kind, due_at) DO NOTHING RETURNING kind"
    )


@dataclass(frozen=True)
class WarningRun:
    due_soon: int
    overdue: int


@transaction.atomic
def raise_due_warnings(*, now: dt.datetime | None = None) -> WarningRun:
    moment = now or timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    at, horizon = adapt(moment), adapt(moment + DUE_SOON)
    kind = [at, WarningKind.OVERDUE.value, WarningKind.DUE_SOON.value]
    params = [*kind, at, *[str(s) for s in OPEN_STATUSES], horizon, *kind]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(len(OPEN_STATUSES)), params)
        written = Counter(row[0] for row in cursor.fetchall())
    return WarningRun(
        due_soon=written[WarningKind.DUE_SOON.value], overdue=written[WarningKind.OVERDUE.value]
    )
