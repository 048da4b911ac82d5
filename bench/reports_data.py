"""A fast generator of realistic dossiers for the report benchmarks (PostgreSQL only).

``generate(dossiers=1_000_000, seed=1)`` inserts the dossiers with one INSERT … SELECT over
generate_series (the server draws the random numbers: no row travels through Python), into a
migrated database that holds the demo data (``manage.py load_demo``):

- receiving units: the demo's receiving desks and service centres; handling units: the demo's
  departments and commune People's Committees, none for one dossier in ten (handled at the
  desk, never handed off); rows are written in the order they were received, as in life;
- procedure versions: every version of the demo catalog;
- received over the two years before ``until`` (default: today), uniformly; 45 % online,
  50 % at the counter, 5 % by post; 2 % are online dossiers never received (refused or
  withdrawn before reception: ``received_at`` empty, ``completed_at`` set, no outcome);
- time limit 5–20 days (the appointment ``due_at``); processing time exponential with a mean
  of 8 days; a dossier whose processing would end after ``until`` is still open;
- outcome by the rule of egov.dossiers.completion: late after the appointment, early before
  its day (Vietnam time), on time on its day.

Then VACUUM ANALYZE, so that the planner knows the table and index-only scans work.
Seeded by ``setseed``: the same seed, count and ``until`` give the same rows.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from egov.catalog.models import ProcedureVersion  # noqa: E402
from egov.dossiers.models import Dossier  # noqa: E402
from egov.org.models import RECEIVING_KINDS, Unit, UnitKind  # noqa: E402
from egov.workdays.engine import VIETNAM_TZ  # noqa: E402

# Columns the generator computes; every other column gets its model default.
COMPUTED = {
    "id",
    "code",
    "receiving_unit",
    "handling_unit",
    "procedure_version",
    "channel",
    "status",
    "applicant_kind",
    "applicant_name",
    "applicant_search",
    "received_at",
    "due_at",
    "completed_at",
    "outcome",
    "created_at",
}

SQL = """
WITH drawn AS (
    SELECT g,
           random() AS r_receiving, random() AS r_handling, random() AS r_version,
           random() AS r_channel, random() AS r_never,
           %(since)s::timestamptz + random() * %(span)s * interval '1 second' AS arrived,
           -ln(1 - random()) * 8 * 86400 AS seconds,
           5 + floor(random() * 16)::int AS limit_days
    FROM generate_series(1, %(n)s) AS g
), shaped AS (
    SELECT g, arrived,
           (%(receiving)s::int[])[1 + floor(r_receiving * %(n_receiving)s)::int] AS receiving,
           CASE WHEN r_handling < 0.1 THEN NULL
                ELSE (%(handling)s::int[])[1 + floor((r_handling - 0.1) / 0.9
                                                      * %(n_handling)s)::int] END AS handling,
           (%(versions)s::int[])[1 + floor(r_version * %(n_versions)s)::int] AS version,
           CASE WHEN r_channel < 0.45 THEN 'online' WHEN r_channel < 0.95 THEN 'counter'
                ELSE 'post' END AS channel,
           r_channel < 0.45 AND r_never < 0.045 AS never_received,
           arrived + limit_days * interval '1 day' AS due,
           arrived + seconds * interval '1 second' AS done
    FROM drawn
)
INSERT INTO dossiers_dossier ({columns})
SELECT {values}
FROM shaped
ORDER BY shaped.arrived
"""

VALUES = {
    "code": "'BENCH-' || %(seed)s || '-' || g",
    "receiving_unit_id": "receiving",
    "handling_unit_id": "CASE WHEN never_received THEN NULL ELSE handling END",
    "procedure_version_id": "version",
    "channel": "channel",
    "status": (
        "CASE WHEN never_received THEN 'refused' WHEN done <= %(until)s THEN 'returned' "
        "ELSE 'processing' END"
    ),
    "applicant_kind": "'citizen'",
    "applicant_name": "'Người nộp ' || g",
    "applicant_search": "'nguoi nop ' || g",
    "received_at": "CASE WHEN never_received THEN NULL ELSE arrived END",
    "due_at": "CASE WHEN never_received THEN NULL ELSE due END",
    "completed_at": (
        "CASE WHEN never_received THEN arrived + interval '4 hours' "
        "WHEN done <= %(until)s THEN done END"
    ),
    "outcome": (
        "CASE WHEN never_received OR done > %(until)s THEN '' WHEN done > due THEN 'late' "
        "WHEN (done AT TIME ZONE 'Asia/Ho_Chi_Minh')::date "
        "< (due AT TIME ZONE 'Asia/Ho_Chi_Minh')::date THEN 'early' ELSE 'on_time' END"
    ),
    "created_at": "arrived",
}


def _ids(queryset: object) -> list[int]:
    return list(queryset.values_list("pk", flat=True).order_by("pk"))  # type: ignore[attr-defined]


def generate(*, dossiers: int, seed: int, until: dt.date | None = None) -> None:
    """Insert ``dossiers`` generated dossiers (PostgreSQL; demo data loaded)."""
    if connection.vendor != "postgresql":
        raise SystemExit("reports_data.generate needs PostgreSQL (DATABASE_URL).")
    end_day = until or timezone.localdate()
    end = dt.datetime.combine(end_day, dt.time(0), tzinfo=VIETNAM_TZ)
    since = end - dt.timedelta(days=730)
    receiving = _ids(Unit.objects.filter(kind__in=RECEIVING_KINDS))
    handling = _ids(Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.PEOPLES_COMMITTEE]))
    versions = _ids(ProcedureVersion.objects.all())
    if not (receiving and handling and versions):
        raise SystemExit("Load the demo data first (manage.py load_demo).")
    columns, values, params = [], [], {}
    for model_field in Dossier._meta.concrete_fields:
        if model_field.name == "id":
            continue
        columns.append(model_field.column)
        if model_field.name in COMPUTED:
            values.append(VALUES[model_field.column])
        else:
            name = f"default_{model_field.column}"
            params[name] = model_field.get_db_prep_save(model_field.get_default(), connection)
            values.append(f"%({name})s")
    params.update(
        seed=seed,
        n=dossiers,
        since=since,
        span=(end - since).total_seconds(),
        until=end,
        receiving=receiving,
        n_receiving=len(receiving),
        handling=handling,
        n_handling=len(handling),
        versions=versions,
        n_versions=len(versions),
    )
    sql = SQL.format(columns=", ".join(columns), values=", ".join(values))
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
        cursor.execute(sql, params)
        cursor.execute("VACUUM ANALYZE dossiers_dossier")


if __name__ == "__main__":
    generate(dossiers=int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, seed=1)
