"""Runs the benchmarks of bench/ and writes their results into docs/performance.md."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
PG_ADMIN_URL = os.environ.get("EGOV_BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def bench_working_calendar() -> str:
    """Pure engine: 10,000 deadline computations of 1-30 working days."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    import django

    django.setup()
    from egov.core.validity import OPEN_END, OPEN_START
    from egov.workdays.engine import (
        STANDARD_WEEK,
        VIETNAM_TZ,
        ScheduleVersion,
        WorkCalendar,
        YearRules,
    )
    from egov.workdays.rules import statutory_holidays, with_compensatory_days

    def year_rules(year: int) -> YearRules:
        days = {h.date: h.name for h in with_compensatory_days(statutory_holidays(year))}
        return YearRules(days_off=days)

    calendar = WorkCalendar(
        schedules=[ScheduleVersion(OPEN_START, OPEN_END, STANDARD_WEEK)], year_rules=year_rules
    )
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=VIETNAM_TZ)
    calendar.add_working_days(start, 1)
    began = time.perf_counter()
    n = 10_000
    for i in range(n):
        calendar.add_working_days(start + dt.timedelta(minutes=37 * i), 1 + i % 30)
    elapsed = time.perf_counter() - began
    return f"| working calendar: add 1-30 working days | {n} | {elapsed / n * 1e6:.1f} µs/op | — |"


def bench_official_documents() -> list[str]:
    """Composing NĐ 30 documents (1-page quyết định, 2-page báo cáo); DOCX drafts to PDF."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    import django

    django.setup()
    from egov.core.printing.official import docx_to_pdf, render
    from egov.core.printing.official.convert import soffice_path
    from egov.core.tests.official_samples import samples

    rows = []
    documents = samples()
    for name, label in (("quyet_dinh", "1 page"), ("bao_cao", "2 pages")):
        render(documents[name])
        n = 50
        began = time.perf_counter()
        for _ in range(n):
            render(documents[name])
        elapsed = time.perf_counter() - began
        rows.append(
            f"| official document render ({label}) | {n} | {elapsed / n * 1e3:.1f} ms/op | — |"
        )
    if soffice_path() is not None:
        import io

        import docx

        draft = docx.Document()
        draft.add_paragraph("Ủy ban nhân dân xã Đoàn Kết đề nghị rà soát hộ kinh doanh.")
        buffer = io.BytesIO()
        draft.save(buffer)
        n = 3
        began = time.perf_counter()
        for _ in range(n):
            docx_to_pdf(buffer.getvalue())
        elapsed = time.perf_counter() - began
        rows.append(
            f"| DOCX to PDF (LibreOffice, cold profile) | {n} | {elapsed / n:.2f} s/op | — |"
        )
    return rows


def _run_catalog(database_url: str, var_dir: str) -> dict[str, object]:
    env = dict(
        os.environ, DATABASE_URL=database_url, EGOV_VAR_DIR=var_dir, EGOV_ENVIRONMENT="development"
    )
    output = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "catalog_search.py")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def bench_catalog() -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as var_dir:
        results = [_run_catalog(f"sqlite:///{var_dir}/bench.sqlite3", var_dir)]
        name = "egov_bench_catalog"
        subprocess.run(
            ["psql", PG_ADMIN_URL + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"],
            check=True,
        )
        subprocess.run(
            ["psql", PG_ADMIN_URL + "/postgres", "-qc", f"CREATE DATABASE {name}"], check=True
        )
        try:
            results.append(_run_catalog(f"{PG_ADMIN_URL}/{name}", var_dir))
        finally:
            subprocess.run(
                ["psql", PG_ADMIN_URL + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"],
                check=True,
            )
    for r in results:
        ok = (
            "✓"
            if float(str(r["p95_ms"])) < 20 and int(str(r["detail_page_max_queries"])) <= 10
            else "✗"
        )
        rows.append(
            f"| catalog search, {r['vendor']}, {r['procedures']} procedures "
            f"| {r['queries']} queries "
            f"| p50 {r['p50_ms']} ms · p95 {r['p95_ms']} ms · p99 {r['p99_ms']} ms; "
            f"detail page ≤ {r['detail_page_max_queries']} SQL queries "
            f"| p95 < 20 ms, ≤ 10 queries {ok} |"
        )
    return rows


def _run_on_fresh_postgres(name: str, script: str, *, keep: bool = False) -> str:
    """Run bench/<script> against a new PostgreSQL database (dropped afterwards); its output.
    With ``keep`` the database is reused when it exists and kept afterwards."""
    admin = ["psql", PG_ADMIN_URL + "/postgres", "-qc"]
    if not keep:
        subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name}"], check=True)
    exists = subprocess.run(
        [
            "psql",
            PG_ADMIN_URL + "/postgres",
            "-Atc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",  # noqa: S608 — our own names
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run([*admin, f"CREATE DATABASE {name}"], check=True)
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            env = dict(
                os.environ,
                DATABASE_URL=f"{PG_ADMIN_URL}/{name}",
                EGOV_VAR_DIR=var_dir,
                EGOV_ENVIRONMENT="development",
            )
            run = subprocess.run(
                [sys.executable, str(ROOT / "bench" / script)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if run.returncode:
                print(run.stdout[-3000:], run.stderr[-6000:], file=sys.stderr)
                raise SystemExit(f"{script} failed with status {run.returncode}")
            return run.stdout
    finally:
        if not keep:
            subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name}"], check=True)


def _run_on_sqlite(script: str, *args: str) -> dict[str, Any]:
    """Run bench/<script> in a fresh var folder on the embedded SQLite database (whatever
    DATABASE_URL says) and return the JSON of its last line."""
    with tempfile.TemporaryDirectory() as var_dir:
        env = dict(os.environ, EGOV_VAR_DIR=var_dir, EGOV_ENVIRONMENT="development")
        env.pop("DATABASE_URL", None)
        output = subprocess.run(
            [sys.executable, str(ROOT / "bench" / script), *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def bench_dossiers() -> list[str]:
    """1,000,000 generated dossiers on PostgreSQL (bench/dossiers_bench.py)."""
    output = _run_on_fresh_postgres("egov_bench_dossiers", "dossiers_bench.py")
    r = json.loads(output.strip().splitlines()[-1])
    lookup, bare = r["lookup"]["lookup"], r["lookup"]["bare"]
    ratio = r["lookup"]["ratio"]
    met = "✓" if ratio >= 0.5 and lookup["p99_ms"] < 50 else "✗"
    queue_met = "✓" if r["queue"]["page_median_ms"] <= 15 else "✗"
    deep_met = "✓" if r["queue"]["page20_median_ms"] <= 15 else "✗"
    codes_ok = "✓" if r["reception"]["distinct"] and r["reception"]["consecutive"] else "✗"
    return [
        f"| public dossier lookup, PostgreSQL, {r['dossiers']:,} dossiers, gunicorn 2 workers, "
        f"wrk -t2 -c32 -d10s | {lookup['rps']:.0f} req/s, p99 {lookup['p99_ms']:.1f} ms; "
        f"bare PK view {bare['rps']:.0f} req/s, p99 {bare['p99_ms']:.1f} ms "
        f"| ratio {ratio:.2f} | ≥ 0.50 and p99 < 50 ms {met} |",
        f"| unit work queue page /staff/ho-so/ (first 50, earliest due), {r['dossiers']:,} "
        f"dossiers | 30 runs | page median {r['queue']['page_median_ms']} ms with "
        f"{r['queue']['page_queries']} SQL queries (selector {r['queue']['median_ms']} ms, "
        f"{r['queue']['queries']} queries) "
        f"| median ≤ 15 ms, constant queries {queue_met} |",
        f"| work queue, 20th page by the 'Trang sau' cursor; overdue filter; name search "
        f"'binh 12'; code prefix, {r['dossiers']:,} dossiers | 30 runs each "
        f"| page 20 median {r['queue']['page20_median_ms']} ms "
        f"({r['queue']['page20_queries']} queries); overdue {r['queue']['overdue_median_ms']} ms "
        f"({r['queue']['overdue_count']}); name {r['queue']['name_median_ms']} ms "
        f"({r['queue']['name_count']}); code prefix {r['queue']['code_prefix_median_ms']} ms "
        f"| page 20 as page 1 {deep_met} |",
        f"| counter reception, 2 concurrent clients, 10 s | {r['reception']['received']} dossiers "
        f"| {r['reception']['per_second']} dossiers/s | distinct, consecutive codes {codes_ok} |",
    ]


def bench_service_index() -> list[str]:
    """The QĐ 766 service index of one unit and month over 1,000,000 dossiers on PostgreSQL
    (bench/service_index_bench.py)."""
    output = _run_on_fresh_postgres("egov_bench_service_index", "service_index_bench.py")
    r = json.loads(output.strip().splitlines()[-1])
    met = "✓" if r["unit_median_ms"] < 200 else "✗"
    return [
        f"| service index (QĐ 766) of one unit, month {r['period']}, {r['dossiers']:,} dossiers "
        f"({r['unit_month_dossiers']:,} received by the unit that month) | 30 runs "
        f"| median {r['unit_median_ms']} ms, {r['unit_queries']} queries; province root "
        f"{r['province_median_ms']} ms; first page of late dossiers {r['late_page_median_ms']} ms "
        f"| < 200 ms {met} |",
    ]


def bench_digitisation() -> list[str]:
    """Digitisation figures and the service index with 4.2 over 1,000,000 dossiers with
    components on PostgreSQL (bench/digitisation_bench.py)."""
    output = _run_on_fresh_postgres("egov_bench_digitisation", "digitisation_bench.py")
    r = json.loads(output.strip().splitlines()[-1])
    met = "✓" if r["service_index_median_ms"] < 200 else "✗"
    return [
        f"| digitisation figures (issue 16 §7) of one unit, month {r['period']}, "
        f"{r['dossiers']:,} dossiers, {r['components']:,} components "
        f"({r['unit_month_dossiers']:,} received by the unit) | 30 runs "
        f"| service index {r['service_index_median_ms']} ms; report {r['unit_median_ms']} ms, "
        f"province {r['province_median_ms']} ms; first missing page "
        f"{r['missing_page_median_ms']} ms | service index < 200 ms {met} |",
    ]


def bench_dashboards() -> list[str]:
    """Dashboards and public statistics over 1,000,000 generated dossiers on PostgreSQL
    (bench/dashboard_bench.py)."""
    output = _run_on_fresh_postgres("egov_bench_dashboards", "dashboard_bench.py")
    r = json.loads(output.strip().splitlines()[-1])
    cached_met = "✓" if r["public_cached_page"][0] <= 50 else "✗"
    return [
        f"| leaders' dashboard (issue 15), {r['dossiers']:,} dossiers | 5 runs "
        f"| province {r['province'][0]} ms ({r['province'][1]} queries); centre "
        f"{r['centre'][0]} ms; overdue drill-down page {r['drill'][0]} ms | — |",
        f"| public statistics /thong-ke/, {r['dossiers']:,} dossiers | computed "
        f"{r['public_compute'][0]} ms; page from the cache {r['public_cached_page'][0]} ms "
        f"({r['public_cached_page'][1]} query, none on dossiers) | cached page ≤ 50 ms {cached_met} |",
    ]


def bench_boards() -> list[str]:
    """50 display boards polling a centre every 2 s against gunicorn (bench/board_bench.py)."""
    output = _run_on_fresh_postgres("egov_bench_boards", "board_bench.py")
    r = json.loads(output.strip().splitlines()[-1])
    share = r["server_cpu_share_of_one_core"]
    met = "✓" if share < 0.05 else "✗"
    return [
        f"| queue display boards (issue 17), {r['screens']} screens polling every 2 s "
        f"| {r['requests']} requests in {r['seconds']} s ({r['statuses']}) | server CPU "
        f"{share * 100:.1f} % of one core, median {r['median_ms']} ms | < 5 % of one core {met} |"
    ]


def bench_appointments() -> list[str]:
    """A centre booked to capacity for 14 days, then a counter closed (bench/appointments_bench.py)."""
    output = _run_on_fresh_postgres("egov_bench_appointments", "appointments_bench.py")
    r = json.loads(output.strip().splitlines()[-1])
    met = "✓" if r["leader_page_ms"] < 200 else "✗"
    return [
        f"| online appointments (issue 17 §3), {r['appointments']:,} booked over 14 days, "
        f"{r['appointments_beyond_plan']} beyond a changed plan | 30 runs | leader's page median "
        f"{r['leader_page_ms']} ms ({r['leader_page_queries']} SQL; beyond-plan check "
        f"{r['beyond_plan_ms']} ms, {r['beyond_plan_queries']} SQL); bookable days "
        f"{r['bookable_days_ms']} ms; booking the last place {r['book_last_place_ms']} ms "
        f"| leader's page < 200 ms {met} |"
    ]


def bench_online() -> list[str]:
    """Online submission, IPN and outbox on PostgreSQL (bench/online_bench.py)."""
    output = _run_on_fresh_postgres("egov_bench_online", "online_bench.py")
    r = json.loads(output.strip().splitlines()[-1])
    s, i, o = r["submission"], r["ipn"], r["outbox"]
    return [
        f"| online submission, 3 uploads of 1 MB + submit, PostgreSQL, server time | {s['runs']} "
        f"runs | median {s['median_ms']} ms, p95 {s['p95_ms']} ms (submit alone "
        f"{s['submit_median_ms']} ms) | recorded (no target set) |",
        f"| VNPAY IPN handling (verify, lock, record, dossier transition), one process "
        f"| {i['ipn']} IPN | {i['per_second']} IPN/s | recorded (no target set) |",
        f"| notification outbox drain, console e-mail + outbox SMS, one worker "
        f"| {o['messages']} messages | {o['per_second']} messages/s | recorded (no target set) |",
    ]


def bench_ratelimit() -> list[str]:
    """Counting one request against a rate limit on PostgreSQL (bench/ratelimit_bench.py)."""
    output = _run_on_fresh_postgres("egov_bench_ratelimit", "ratelimit_bench.py")
    r = json.loads(output.strip().splitlines()[-1])
    met = "✓" if r["upsert_ms"] < 0.5 else "✗"
    return [
        f"| rate limit: count one request (same subject), PostgreSQL, one process | {r['runs']} "
        f"| counter upsert {r['upsert_ms']} ms; Django database cache add/incr "
        f"{r['database_cache_ms']} ms | < 0.5 ms per request {met} |"
    ]


def bench_signing() -> list[str]:
    """PAdES B-LT signing and verification of a 1-page PDF (bench/signing_bench.py)."""
    r = _run_on_sqlite("signing_bench.py")
    sign_ok = "✓" if r["sign_ms"] < 60 else "✗"
    verify_ok = "✓" if r["verify_ms"] < 50 else "✗"
    load = "–".join(str(x) for x in r["load"])
    return [
        f"| sign a 1-page PDF, PAdES B-LT, kept PKCS#12 key, loopback TSA + OCSP/CRL | {r['runs']} "
        f"| median {r['sign_ms']} ms, CPU {r['sign_cpu_ms']} ms ({r['bytes']} bytes; load "
        f"{load}) | < 60 ms {sign_ok} |",
        f"| verify that PDF (integrity, chain, embedded revocation data, timestamp, changes) "
        f"| {r['runs']} | median {r['verify_ms']} ms, CPU {r['verify_cpu_ms']} ms | < 50 ms "
        f"{verify_ok} |",
    ]


def bench_documents() -> list[str]:
    """Concurrent outgoing numbering and document search over 1,000,000 generated documents
    on PostgreSQL (bench/documents_bench.py). ``EGOV_BENCH_KEEP=1`` keeps the generated
    database (``EGOV_BENCH_DOCUMENTS_DB``, egov_bench_docs by default) for the next run, which
    then times only the search."""
    keep = os.environ.get("EGOV_BENCH_KEEP") == "1"
    name = os.environ.get("EGOV_BENCH_DOCUMENTS_DB", "egov_bench_docs")
    output = _run_on_fresh_postgres(name, "documents_bench.py", keep=keep)
    r = json.loads(output.strip().splitlines()[-1])
    rows = []
    n = r["numbering"]  # None when the kept database was reused (see documents_bench.py)
    if n is not None:
        numbered = "✓" if n["numbers_consecutive"] and not n["errors"] else "✗"
        rows.append(
            f"| outgoing numbering, {n['documents']} concurrent registrations (threads, one "
            f"connection each), PostgreSQL | {n['documents']} | wall {n['wall_ms']} ms "
            f"| numbers 1..{n['documents']}, consecutive {numbered} |"
        )
    for s in r["search"]:
        met = "✓" if s["p95_ms"] < 30 else "✗"
        cpu = (
            f"; CPU p50 {s['cpu_p50_ms']} ms · p95 {s['cpu_p95_ms']} ms"
            if s.get("cpu_p50_ms") is not None
            else ""
        )
        rows.append(
            f"| document search, PostgreSQL, {r['documents']:,} documents, {s['actor']} "
            f"| {s['queries']} queries | p50 {s['p50_ms']} ms · p95 {s['p95_ms']} ms · max "
            f"{s['max_ms']} ms ({s['sql_per_search']} SQL per search{cpu}; load "
            f"{s['load_average']}) | p95 < 30 ms {met} |"
        )
    return rows


def bench_exchange() -> list[str]:
    """edXML build + sign and parse + verify, small and 1 MB attachment (bench/exchange_bench.py)."""
    r = _run_on_sqlite("exchange_bench.py")
    load = "–".join(str(x) for x in r["load"])
    rows = []
    for label, what in (("small", "20 KB PDF"), ("1mb", "1 MB PDF")):
        m = r[label]
        rows.append(
            f"| edXML package with a {what}: build + XML-DSig sign, then parse + verify "
            f"(signature, chain) | {r['runs']} | build+sign median {m['build_sign_ms']} ms "
            f"(CPU {m['build_sign_cpu_ms']}), parse+verify {m['parse_verify_ms']} ms (CPU "
            f"{m['parse_verify_cpu_ms']}); {m['package_bytes']:,} bytes; load {load} | — |"
        )
    return rows


def bench_exchange_axis() -> list[str]:
    """The axis transport on loopback: 500 packages of 100 KB sent through HttpAxis to the
    axis simulator, then listed, fetched and acknowledged (bench/exchange_axis_bench.py)."""
    r = _run_on_sqlite("exchange_axis_bench.py", "500", "100")
    load = "–".join(str(x) for x in r["load"])
    return [
        f"| document axis on loopback (HttpAxis → axis simulator, SQLite store), {r['kb']} KB "
        f"packages | {r['packages']} | send {r['send_ms']} ms/package; list + fetch + "
        f"acknowledge {r['receive_ms']} ms/package; load {load} | — |"
    ]


def bench_national() -> list[str]:
    """Draining a national-portal push backlog of 100,000 status changes to the DVCQG
    simulator on loopback, SQLite (bench/national_bench.py)."""
    r = _run_on_sqlite("national_bench.py")
    ordered = "✓" if r["in_order_sample"] and r["left"] == 0 else "✗"
    return [
        f"| national portal push: drain {r['changes']:,} status changes of {r['dossiers']:,} "
        f"dossiers to the DVCQG simulator (loopback, same process), {r['database']} "
        f"| {r['requests']} requests | {r['per_second']} changes/s ({r['seconds']} s) "
        f"| all sent, in order per dossier {ordered} |"
    ]


def bench_webhooks() -> list[str]:
    """Webhook fan-out of 10,000 events to 5 subscribers on loopback (bench/webhooks_bench.py)."""
    output = _run_on_fresh_postgres("egov_bench_webhooks", "webhooks_bench.py")
    r = json.loads(output.strip().splitlines()[-1])
    complete = "✓" if r["lost"] == 0 and r["duplicates"] == 0 and r["refused"] == 0 else "✗"
    return [
        f"| webhook fan-out, PostgreSQL, {r['events']:,} events × {r['subscribers']} "
        f"subscribers on loopback, one delivery worker | {r['deliveries']:,} deliveries "
        f"| fan-out {r['fanout_events_per_s']} events/s; end to end {r['end_to_end_events_per_s']}"
        f" events/s ({r['deliveries_per_s']} deliveries/s); latency p50 {r['latency_p50_ms']} ms,"
        f" p95 {r['latency_p95_ms']} ms | none lost, none twice {complete} |"
    ]


def bench_reports() -> list[str]:
    """Biểu 06 (TT 01/2020/TT-VPCP) over 1,000,000 generated dossiers on PostgreSQL
    (bench/reports_bench.py, data from bench/reports_data.py). ``EGOV_BENCH_KEEP=1`` keeps the
    database (``EGOV_BENCH_REPORTS_DB``, egov_bench_reports by default) for the next run."""
    keep = os.environ.get("EGOV_BENCH_KEEP") == "1"
    name = os.environ.get("EGOV_BENCH_REPORTS_DB", "egov_bench_reports")
    output = _run_on_fresh_postgres(name, "reports_bench.py", keep=keep)
    r = json.loads(output.strip().splitlines()[-1])
    rows = []
    for case in r["cases"]:
        province = case["scope"] == "province"
        target = 1000 if province else 100
        met = "✓" if case["median_ms"] < target else "✗"
        checked = "; total = raw COUNT ✓" if case.get("equals_raw_count") else ""
        rows.append(
            f"| Biểu 06, {case['period']}, {case['scope']}, by {case['group']}, PostgreSQL, "
            f"{r['dossiers']:,} dossiers | {r['runs']} runs | median {case['median_ms']} ms, "
            f"max {case['max_ms']} ms, {case['rows']} rows{checked} "
            f"| median < {target} ms {met} |"
        )
    return rows


def bench_ocr() -> list[str]:
    """OCR of generated Vietnamese scans, one worker (bench/ocr_bench.py): character accuracy
    and pages per minute, clean 300 dpi, clean 200 dpi, noisy (turned 3°, 1 % noise)."""
    r = _run_on_sqlite("ocr_bench.py")
    rows = []
    for case in r["conditions"]:
        target = "≥ 95 % " + ("✓" if case["mean_accuracy"] >= 0.95 else "✗")
        if not case["condition"].startswith("clean 300"):
            target = "—"
        rows.append(
            f"| OCR (Tesseract vie), {case['condition']}, PNG → PDF with text layer, 1 worker "
            f"| {case['pages']} pages | character accuracy mean {case['mean_accuracy']:.1%}, "
            f"min {case['min_accuracy']:.1%}; {case['pages_per_minute']} pages/min "
            f"(load {r['load_average']:.1f}) | {target} |"
        )
    return rows


def bench_ocr_papers() -> list[str]:
    """OCR of identity papers as the data store's task does it (bench/ocr_accuracy.py):
    character accuracy, fields suggested exactly, pages per minute for one worker."""
    r = _run_on_sqlite("ocr_accuracy.py")
    rows = []
    for case in r["papers"]:
        target = "—"
        if case["condition"].startswith("clean 300"):
            target = "≥ 95 % " + ("✓" if case["mean_accuracy"] >= 0.95 else "✗")
        rows.append(
            f"| OCR of a {case['paper']}, {case['condition']}, text and suggested fields, "
            f"1 worker | {case['pages']} pages | character accuracy mean "
            f"{case['mean_accuracy']:.1%}, min {case['min_accuracy']:.1%}; fields exact "
            f"{case['fields_exact']}; {case['pages_per_minute']} pages/min "
            f"(load {r['load_average']:.1f}) | {target} |"
        )
    return rows


def main() -> int:
    rows = [
        bench_working_calendar(),
        *bench_official_documents(),
        *bench_catalog(),
        *bench_dossiers(),
        *bench_service_index(),
        *bench_digitisation(),
        *bench_dashboards(),
        *bench_boards(),
        *bench_appointments(),
        *bench_online(),
        *bench_ratelimit(),
        *bench_signing(),
        *bench_documents(),
        *bench_exchange(),
        *bench_exchange_axis(),
        *bench_national(),
        *bench_webhooks(),
        *bench_reports(),
        *bench_ocr(),
        *bench_ocr_papers(),
    ]
    out = ROOT / "docs" / "performance.md"
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    marker = "<!-- bench:results -->"
    table = "\n".join(["| benchmark | n | result | target |", "|---|---|---|---|", *rows])
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = f"{marker}\nLast run: {stamp} (2 cores, 24 GiB)\n\n{table}\n"
    text = text[: text.index(marker)] + block if marker in text else text + "\n" + block
    out.write_text(text, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
