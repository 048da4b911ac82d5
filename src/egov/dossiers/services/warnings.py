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
from django.utils.translation import gettext_lazy as _

from egov.dossiers.models import Dossier, DossierWarning, WarningKind
from egov.dossiers.selectors import DUE_SOON, OPEN_STATUSES
from egov.workdays.engine import VIETNAM_TZ

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


# Warnings recorded with an act that passed a legal limit: the act still happens (the dossier
# must move on), the breach is kept — a ``DossierWarning`` row and the ``warning`` of the event.
LATE_ACT_MESSAGES = {
    WarningKind.SUPPLEMENT_LATE: _(
        "Yêu cầu bổ sung sau thời hạn %(limit)s (%(basis)s); đã ghi nhận cảnh báo."
    ),
    WarningKind.APPLICANT_LATE: _(
        "Người nộp bổ sung sau thời hạn %(limit)s (%(basis)s); đã ghi nhận cảnh báo. Nếu hồ sơ "
        "bổ sung không đáp ứng, cơ quan có thẩm quyền thông báo lý do và dừng giải quyết."
    ),
    WarningKind.HAND_OFF_LATE: _(
        "Hồ sơ giấy được chuyển đến cơ quan giải quyết sau thời hạn %(limit)s (%(basis)s); "
        "đã ghi nhận cảnh báo."
    ),
}


def late_act(kind: str, limit: dt.datetime, basis: str) -> dict[str, str]:
    """The ``warning`` of an event whose act was after ``limit``."""
    return {"kind": kind, "limit": limit.isoformat(), "basis": basis}


def late_act_record(dossier: Dossier, warning: dict[str, str], at: dt.datetime) -> None:
    """The warning row of an act recorded late (once per dossier, kind and limit)."""
    DossierWarning.objects.get_or_create(
        dossier=dossier,
        kind=warning["kind"],
        due_at=dt.datetime.fromisoformat(warning["limit"]),
        defaults={"raised_at": at},
    )


def late_act_message(warning: dict[str, str]) -> str:
    """The warning for the person who acted (and the timeline)."""
    template = LATE_ACT_MESSAGES.get(WarningKind(warning["kind"]))
    if template is None:
        return ""
    limit = dt.datetime.fromisoformat(warning["limit"]).astimezone(VIETNAM_TZ)
    return str(template) % {"limit": f"{limit:%H:%M %d/%m/%Y}", "basis": warning.get("basis", "")}
