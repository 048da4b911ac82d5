"""Dossier benchmarks on PostgreSQL with 1,000,000 generated dossiers (issue: one-stop lifecycle).

1. Public lookup served by gunicorn (2 sync workers) under `wrk -t2 -c32 -d10s` over random
   existing codes, and in the same run a bare Django view doing one primary-key SELECT.
2. A unit's work queue (selector used by the page): median time and query count.
3. Receiving dossiers with 2 concurrent clients for 10 s: dossiers/s, no duplicate or skipped
   codes.
Prints one JSON line. Needs `wrk` (Debian package) and a PostgreSQL DATABASE_URL.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
os.environ.setdefault("EGOV_REQUIRE_STAFF_MFA", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from egov.accounts.models import User  # noqa: E402
from egov.catalog.selectors import version_by_code  # noqa: E402
from egov.dossiers.models import Dossier  # noqa: E402
from egov.dossiers.selectors import work_queue  # noqa: E402
from egov.dossiers.services.reception import Applicant, Reception, dossier_receive  # noqa: E402
from egov.org.models import Unit  # noqa: E402

TOTAL = int(os.environ.get("EGOV_BENCH_DOSSIERS", "1000000"))
PORT = 8765

GENERATE = """
WITH units AS (
    SELECT id, code, row_number() OVER (ORDER BY id) - 1 AS idx FROM org_unit
    WHERE code IS NOT NULL AND kind IN ('ttpvhcc', 'diem_tiep_nhan') AND valid_until > now()
), unit_count AS (SELECT count(*) AS c FROM units),
versions AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS idx FROM catalog_procedureversion
    WHERE status = 'published'
), version_count AS (SELECT count(*) AS c FROM versions),
rows AS (
    SELECT g, g % uc.c AS unit_idx, ((g / uc.c) % 730)::int AS day_idx, (g / uc.c) / 730 + 1 AS seq,
           g % vc.c AS version_idx
    FROM generate_series(0, {total} - 1) AS g, unit_count uc, version_count vc
)
INSERT INTO dossiers_dossier (
    code, receiving_unit_id, procedure_version_id, handling_unit_id, channel, status,
    applicant_kind, applicant_name, applicant_search, applicant_personal_id, applicant_tax_code, applicant_phone,
    applicant_email, applicant_address, representative_name, representative_personal_id, sets,
    result_delivery, fee_quoted, received_at, due_at, due_rule, apologised_at, original_due_at,
    revision, created_at, result_code, completed_at, outcome, working_days,
    digitised_components, reuses_data, counter_digitised)
SELECT u.code || '-' || to_char(date '2024-11-28' + r.day_idx, 'YYMMDD') || '-' || lpad(r.seq::text, 4, '0'),
       u.id, v.id, NULL, 'counter',
       (ARRAY['returned','returned','returned','returned','returned','returned','processing',
              'received','result_ready','supplement_requested'])[r.g % 10 + 1],
       'citizen', (ARRAY['Nguyễn Văn An','Trần Thị Bình','Lê Minh Chi','Phạm Văn Dũng',
                         'Hoàng Thị Em','Đặng Quốc Bảo','Vũ Thị Hà'])[r.g % 7 + 1] || ' ' || r.g,
       (ARRAY['nguyen van an','tran thi binh','le minh chi','pham van dung',
              'hoang thi em','dang quoc bao','vu thi ha'])[r.g % 7 + 1] || ' ' || r.g,
       '022084' || lpad((r.g % 1000000)::text, 6, '0'), '', '', '', '',
       '', '', 1, 'counter', NULL,
       ((date '2024-11-28' + r.day_idx) + time '08:00' + (r.g % 480) * interval '1 minute')
           AT TIME ZONE 'Asia/Ho_Chi_Minh',
       ((date '2024-11-28' + r.day_idx) + time '08:00' + (r.g % 480) * interval '1 minute'
           + interval '3 days') AT TIME ZONE 'Asia/Ho_Chi_Minh',
       '3 ngày làm việc', NULL, NULL, 0, now(), '',
       -- Ended dossiers carry their completion columns, as the transitions write them: done in
       -- 2, 3 or 4 of the 3 days allowed (early, on time, late).
       CASE WHEN r.g % 10 < 6 OR r.g % 10 = 8 THEN
           ((date '2024-11-28' + r.day_idx) + time '08:00' + (r.g % 480) * interval '1 minute'
               + (2 + r.g % 3) * interval '1 day') AT TIME ZONE 'Asia/Ho_Chi_Minh' END,
       CASE WHEN r.g % 10 < 6 OR r.g % 10 = 8 THEN
           (ARRAY['early','on_time','late'])[r.g % 3 + 1] ELSE '' END,
       CASE WHEN r.g % 10 < 6 OR r.g % 10 = 8 THEN 2 + r.g % 3 END,
       -- The digitisation flags start false (no components yet); digitisation_bench.py fills
       -- them with the migration's SQL once it has added components.
       false, false, false
FROM rows r JOIN units u ON u.idx = r.unit_idx JOIN versions v ON v.idx = r.version_idx
"""
EVENTS = """
INSERT INTO dossiers_dossierevent (dossier_id, sequence, action, from_status, to_status, actor_id,
                                   unit_id, at, reason, data)
SELECT id, 1, 'receive', '', 'received', NULL::bigint, NULL::bigint, received_at, '', '{}'::jsonb FROM dossiers_dossier
UNION ALL
SELECT id, 2, 'hand_off', 'received', 'processing', NULL::bigint, NULL::bigint, received_at + interval '2 hours', '',
       '{}'::jsonb FROM dossiers_dossier WHERE status <> 'received'
"""

LUA = """
local ids = {}
for line in io.lines("%(file)s") do ids[#ids + 1] = line end
math.randomseed(%(seed)d)
request = function()
  return wrk.format("GET", "%(prefix)s" .. ids[math.random(#ids)] .. "%(suffix)s")
end
"""


COUNTERS = """
INSERT INTO core_numbercounter (series, scope, period, last)
SELECT 'dossier-code', 'unit/' || receiving_unit_id,
       to_char((received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 'YYYY-MM-DD'), count(*)
FROM dossiers_dossier GROUP BY 2, 3
ON CONFLICT (series, scope, period) DO UPDATE SET last = GREATEST(core_numbercounter.last, EXCLUDED.last)
"""


def generate() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        if cursor.fetchone()[0] < TOTAL:
            cursor.execute(GENERATE.replace("{total}", str(int(TOTAL))))
            cursor.execute(EVENTS)
        # The code counters agree with the generated codes, as after real receptions.
        cursor.execute(COUNTERS)
        cursor.execute("ANALYZE dossiers_dossier")
        cursor.execute("ANALYZE dossiers_dossierevent")


def wrk(url_prefix: str, values: list[str], suffix: str, workdir: Path) -> dict[str, float]:
    data = workdir / f"values-{abs(hash(url_prefix))}.txt"
    data.write_text("\n".join(values) + "\n", encoding="utf-8")
    script = workdir / f"script-{abs(hash(url_prefix))}.lua"
    script.write_text(LUA % {"file": data, "seed": 7, "prefix": url_prefix, "suffix": suffix})
    output = subprocess.run(
        ["wrk", "-t2", "-c32", "-d10s", "--latency", "-s", str(script), f"http://127.0.0.1:{PORT}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    assert p99 is not None
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * factor,
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def lookup_benchmark() -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, code FROM dossiers_dossier TABLESAMPLE SYSTEM (1) LIMIT 20000")
        sample = cursor.fetchall()
    env = dict(
        os.environ,
        PYTHONPATH=f"{ROOT / 'bench'}:{ROOT / 'src'}",
        DJANGO_SETTINGS_MODULE="bench_settings",
        EGOV_LOOKUP_RATE_PER_MINUTE="100000000",
        EGOV_LOG_LEVEL="WARNING",
    )
    server = subprocess.Popen(
        [
            shutil.which("gunicorn") or str(Path(sys.executable).parent / "gunicorn"),
            "egov.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)
        with tempfile.TemporaryDirectory() as workdir:
            path = Path(workdir)
            wrk("/api/v1/public/dossiers/", [code for _, code in sample], "", path)  # warm-up
            lookup = wrk("/api/v1/public/dossiers/", [code for _, code in sample], "", path)
            bare = wrk("/bench/bare/", [str(pk) for pk, _ in sample], "/", path)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    return {"lookup": lookup, "bare": bare, "ratio": round(lookup["rps"] / bare["rps"], 3)}


def _median_page(client: Client, params: dict[str, str]) -> tuple[float, int, str]:
    """Median time of 30 requests of the queue page, its SQL query count and its HTML."""
    client.get("/staff/ho-so/", params, HTTP_HOST="127.0.0.1")
    timings = []
    for _ in range(30):
        start = time.perf_counter()
        response = client.get("/staff/ho-so/", params, HTTP_HOST="127.0.0.1")
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/staff/ho-so/", params, HTTP_HOST="127.0.0.1").content.decode()
    return round(statistics.median(timings), 2), len(ctx.captured_queries), html


def queue_benchmark() -> dict[str, object]:
    user = User.objects.get(username="tinh.tiepnhan")
    timings = []
    work_queue(user)
    for _ in range(30):
        start = time.perf_counter()
        rows = work_queue(user)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        work_queue(user)
    client = Client()
    client.force_login(user)
    first_ms, first_queries, html = _median_page(client, {})
    # The 20th page, reached by following the "Trang sau" links (keyset: same cost as page 2).
    params: dict[str, str] = {}
    for _ in range(19):
        found = re.search(r'href="\?sau=([A-Za-z0-9_-]+)" rel="next"', html)
        assert found is not None
        params = {"sau": found.group(1)}
        html = client.get("/staff/ho-so/", params, HTTP_HOST="127.0.0.1").content.decode()
    deep_ms, deep_queries, html = _median_page(client, params)
    assert "đang hiện 951–1000" in html, "the 20th page shows rows 951-1000"
    overdue_ms, _queries, html = _median_page(client, {"han": "overdue"})
    count = re.search(r'data-testid="queue-count"><strong>([^<]+)</strong>', html)
    name_ms, name_queries, html = _median_page(client, {"q": "binh 12"})
    names = re.search(r'data-testid="queue-count"><strong>([^<]+)</strong>', html)
    code = Dossier.objects.filter(status="processing").values_list("code", flat=True).first()
    assert code is not None
    code_ms, _queries, html = _median_page(client, {"q": code[:-3]})
    return {
        "median_ms": round(statistics.median(timings), 2),
        "queries": len(ctx.captured_queries),
        "rows": len(rows),
        "page_median_ms": first_ms,
        "page_queries": first_queries,
        "page20_median_ms": deep_ms,
        "page20_queries": deep_queries,
        "overdue_median_ms": overdue_ms,
        "overdue_count": count.group(1) if count else "",
        "name_median_ms": name_ms,
        "name_queries": name_queries,
        "name_count": names.group(1) if names else "",
        "code_prefix_median_ms": code_ms,
    }


def reception_benchmark(seconds: float = 10.0) -> dict[str, object]:
    version = version_by_code("1.001612")
    assert version is not None
    unit = Unit.objects.get(key="qn.ttpvhcc")
    receptionist = User.objects.get(username="tinh.tiepnhan")
    components = {c.pk: (1, 0) for c in version.components.filter(required=True)}
    codes: list[str] = []
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        try:
            while time.monotonic() < stop:
                reception = Reception(
                    unit=unit,
                    version=version,
                    channel="counter",
                    components=components,
                    applicant=Applicant(
                        kind="citizen", name=f"Khách {index}", personal_id="022084000123"
                    ),
                )
                codes.append(dossier_receive(actor=receptionist, reception=reception).code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(2)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    sequences = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    gap_free = sequences == list(range(sequences[0], sequences[0] + len(sequences)))
    return {
        "per_second": round(len(codes) / elapsed, 1),
        "received": len(codes),
        "distinct": len(set(codes)) == len(codes),
        "consecutive": gap_free,
    }


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("the dossier benchmark runs on PostgreSQL (set DATABASE_URL)")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    call_command("migrate", verbosity=0)
    with Path(os.devnull).open("w") as devnull:
        call_command("load_demo", stdout=devnull)
    began = time.monotonic()
    generate()
    generated_in = round(time.monotonic() - began, 1)
    result = {
        "dossiers": TOTAL,
        "generated_in_s": generated_in,
        "lookup": lookup_benchmark(),
        "queue": queue_benchmark(),
        "reception": reception_benchmark(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
