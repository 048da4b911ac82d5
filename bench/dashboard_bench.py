"""Dashboards and public statistics (issue 15) on PostgreSQL over generated dossiers (the same
rows as bench/dossiers_bench.py: two years of receptions at every desk, six in ten resolved
early, on time or late).

1. The province's dashboard (every unit), a centre's dashboard, and the first drill-down page
   of the province's overdue dossiers: median of 5 runs each, with the number of queries.
2. The public statistics figures computed (cache miss) and the page served from the cache.
Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
os.environ.setdefault("EGOV_BENCH_DOSSIERS", "1000000")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from dossiers_bench import TOTAL, generate  # noqa: E402

from egov.org.models import Unit  # noqa: E402
from egov.reports.dashboard import (  # noqa: E402
    DashboardKind,
    DashboardScope,
    Drill,
    Figure,
    dashboard,
    drill_page,
)
from egov.reports.public import compute_public_statistics  # noqa: E402

RUNS = 5


def timed(action, runs: int = RUNS) -> tuple[float, int]:
    """Median milliseconds over ``runs`` and the queries of one run."""
    action()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as queries:
        action()
    return round(statistics.median(times), 1), len(queries)


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("the dashboard benchmark runs on PostgreSQL (set DATABASE_URL)")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    with Path(os.devnull).open("w") as devnull:
        call_command("load_demo", stdout=devnull)
    began = time.monotonic()
    generate()
    generated_in = round(time.monotonic() - began, 1)
    province = DashboardScope(DashboardKind.PROVINCE, None)
    centre = Unit.objects.get(key="qn.ttpvhcc")
    centre_scope = DashboardScope(DashboardKind.CENTRE, frozenset({centre.pk}))
    client = Client(HTTP_HOST="localhost")
    assert client.get("/thong-ke/").status_code == 200  # fills the cache
    result = {
        "dossiers": TOTAL,
        "generated_in_s": generated_in,
        "province": timed(lambda: dashboard(province)),
        "centre": timed(lambda: dashboard(centre_scope)),
        "drill": timed(lambda: drill_page(province, Drill(Figure.OVERDUE))),
        "public_compute": timed(compute_public_statistics, runs=3),
        "public_cached_page": timed(lambda: client.get("/thong-ke/"), runs=20),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
