"""Biểu 06 over 1,000,000 dossiers on PostgreSQL (issue 15): the quarterly report for the whole
province and for one unit, timed through ``egov.reports.form06.form06_report`` (the page's and
the API's selector), median of repeated runs after one warm-up.

The dossiers come from ``reports_data.generate`` (2 years up to today). A database that already
holds them (``EGOV_BENCH_KEEP=1``) is reused. Timed: the last complete quarter (NĐ 09/2019
cut-off) and a quarter a year earlier (more dossiers completed after its start), grouped by unit,
field and procedure; one department (Sở Tư pháp, whatever its share of the rows) and one commune.
Every timed report is also checked: column 3 = column 7 + column 11 on every row, and the
province's total equals a plain COUNT over the raw rows.
Prints one JSON line. Needs a PostgreSQL DATABASE_URL.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import reports_data  # noqa: E402  (sets up Django)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from egov.dossiers.models import Dossier  # noqa: E402
from egov.org.models import Unit  # noqa: E402
from egov.reports.form06 import Grouping, form06_report  # noqa: E402
from egov.reports.periods import Convention, PeriodKind, period_containing, period_of  # noqa: E402

TOTAL = int(os.environ.get("EGOV_BENCH_REPORT_DOSSIERS", "1000000"))
RUNS = int(os.environ.get("EGOV_BENCH_REPORT_RUNS", "9"))


def prepare() -> bool:
    """Migrate, load the demo and generate the dossiers unless they are there; True if made."""
    call_command("migrate", verbosity=0)
    if Dossier.objects.filter(code__startswith="BENCH-").count() >= TOTAL:
        return False
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("load_demo")
    reports_data.generate(dossiers=TOTAL, seed=1)
    return True


def timed(**kwargs: object) -> dict[str, object]:
    form06_report(**kwargs)  # type: ignore[arg-type]
    samples = []
    for _ in range(RUNS):
        began = time.perf_counter()
        report = form06_report(**kwargs)  # type: ignore[arg-type]
        samples.append((time.perf_counter() - began) * 1000)
    for row in report.rows:
        row.counts.check()
    return {
        "median_ms": round(statistics.median(samples), 1),
        "max_ms": round(max(samples), 1),
        "rows": len(report.rows),
        "received_total": report.total.received_total,
        "total": report.total,
    }


def raw_total(period: object) -> int:
    start, end = period.bounds()  # type: ignore[attr-defined]
    return (
        Dossier.objects.filter(received_at__lt=end)
        .filter(Q(completed_at__isnull=True) | Q(completed_at__gte=start))
        .count()
    )


def main() -> None:
    began = time.perf_counter()
    generated = prepare()
    generate_s = round(time.perf_counter() - began, 1) if generated else None
    today = timezone.localdate()
    current = period_containing(today, PeriodKind.QUARTER, convention=Convention.CUTOFF)
    year, quarter = current.last_day.year, (current.last_day.month - 1) // 3 + 1
    last_year, last_quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    recent = period_of(PeriodKind.QUARTER, last_year, last_quarter, convention=Convention.CUTOFF)
    older = period_of(PeriodKind.QUARTER, last_year - 1, last_quarter, convention=Convention.CUTOFF)
    department = Unit.objects.get(key="qn.so-tu-phap")
    commune = Unit.objects.filter(kind="ubnd", key__startswith="qn.x.").order_by("key").first()
    assert commune is not None
    cases = []
    for label, period in (("last quarter", recent), ("a year earlier", older)):
        raw = raw_total(period)
        for grouping in (Grouping.UNIT, Grouping.FIELD, Grouping.PROCEDURE, Grouping.UNIT_FIELD):
            result = timed(period=period, unit=None, grouping=grouping)
            result["equals_raw_count"] = result.pop("received_total") == raw
            result.pop("total")
            cases.append({"scope": "province", "period": label, "group": grouping, **result})
        for unit in (department, commune):
            result = timed(period=period, unit=unit, grouping=Grouping.UNIT)
            result.pop("total")
            result.pop("received_total")
            cases.append({"scope": unit.name, "period": label, "group": "unit", **result})
    print(
        json.dumps(
            {
                "dossiers": Dossier.objects.count(),
                "generate_s": generate_s,
                "runs": RUNS,
                "server": connection.cursor().connection.info.server_version,
                "cases": cases,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
