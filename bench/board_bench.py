"""Display boards of a service centre (issue 17): 50 screens poll the board's fragment every
2 s against gunicorn, as htmx does in a browser (the browser revalidates with the ETag it
holds, so an unchanged board answers 304). A receptionist calls a number every 10 s, so some
polls get new rows. Measured: the server's CPU time (master and workers, from /proc) over the
run as a share of one core — target < 5 % — and the answers' latency and status counts.

Runs on the DATABASE_URL given (migrated first), or on a fresh SQLite file.
``EGOV_BENCH_BOARD_SECONDS`` (default 60) and ``EGOV_BENCH_BOARD_SCREENS`` (default 50).
Prints one JSON line.
"""

from __future__ import annotations

import http.client
import json
import os
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
PORT = 8761
SECONDS = int(os.environ.get("EGOV_BENCH_BOARD_SECONDS", "60"))
SCREENS = int(os.environ.get("EGOV_BENCH_BOARD_SCREENS", "50"))
POLL_SECONDS = 2.0
CALL_EVERY_SECONDS = 10.0
CENTRE_KEY = "bench.ttpvhcc"
TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its children still running (/proc/<pid>/stat)."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return total


def _prepare(env: dict[str, str]) -> None:
    """Migrate and create one centre with a line and a counter."""
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
        env=env,
        check=True,
    )
    script = f"""
import django; django.setup()
import datetime as dt
from egov.org.models import Unit
from egov.centre.models import Counter, CounterService, ServiceLine
centre, _ = Unit.objects.get_or_create(key={CENTRE_KEY!r}, defaults=dict(
    name="Trung tâm thử tải", kind="ttpvhcc", valid_from=dt.date(2020, 1, 1)))
line, _ = ServiceLine.objects.get_or_create(centre=centre, code="A", defaults=dict(name="Hộ tịch"))
counter, _ = Counter.objects.get_or_create(centre=centre, number=1)
for weekday in range(7):
    CounterService.objects.get_or_create(counter=counter, line=line, weekday=weekday)
"""
    subprocess.run([sys.executable, "-c", script], env=env, check=True)


CALLER = f"""
import django, sys, time; django.setup()
from django.db import transaction
from egov.accounts.models import Role, RoleAssignment, User
from egov.centre.models import Counter, CounterSession, ServiceLine
from egov.centre.services import (counter_open, ticket_call_next, ticket_finish, ticket_issue,
    ticket_start)
from egov.org.models import Unit
centre = Unit.objects.get(key={CENTRE_KEY!r})
user, _ = User.objects.get_or_create(username="bench.tiepnhan")
RoleAssignment.objects.get_or_create(user=user, unit=centre, role=Role.RECEPTIONIST,
    defaults=dict(valid_from="2020-01-01"))
CounterSession.objects.filter(user=user, closed_at__isnull=True).delete()
session = counter_open(actor=user, counter=Counter.objects.get(centre=centre, number=1))
line = ServiceLine.objects.get(centre=centre, code="A")
for _ in range(int(sys.argv[1])):
    ticket_issue(actor=None, line=line)
    ticket = ticket_call_next(actor=user, session=session)
    ticket_start(actor=user, session=session, ticket=ticket)
    ticket_finish(actor=user, session=session, ticket=ticket)
    time.sleep({CALL_EVERY_SECONDS})
"""


def _screen(stop: threading.Event, results: list[tuple[int, float]], offset: float) -> None:
    """One TV: poll every 2 s with the ETag of the last answer (what the browser sends)."""
    path = f"/xep-hang/{CENTRE_KEY}/man-hinh/goi/"
    etag = ""
    time.sleep(offset)
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    while not stop.is_set():
        began = time.perf_counter()
        headers = {"HX-Request": "true", "Accept-Language": "vi"}
        if etag:
            headers["If-None-Match"] = etag
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
            etag = response.getheader("ETag") or etag
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        results.append((status, time.perf_counter() - began))
        stop.wait(max(0.0, POLL_SECONDS - (time.perf_counter() - began)))
    connection.close()


def main() -> dict[str, object]:
    workdir = tempfile.mkdtemp(prefix="egov-board-bench-")
    env = dict(
        os.environ,
        PYTHONPATH=f"{ROOT / 'bench'}:{ROOT / 'src'}",
        DJANGO_SETTINGS_MODULE="bench_settings",
        EGOV_VAR_DIR=workdir,
        EGOV_LOG_LEVEL="WARNING",
        EGOV_REQUIRE_STAFF_MFA="0",
    )
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir}/board.sqlite3")
    _prepare(env)
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
    caller = None
    try:
        time.sleep(4)
        stop = threading.Event()
        results: list[tuple[int, float]] = []
        screens = [
            threading.Thread(target=_screen, args=(stop, results, POLL_SECONDS * i / SCREENS))
            for i in range(SCREENS)
        ]
        for screen in screens:  # warm-up: every screen's first answer (200) and its ETag
            screen.start()
        time.sleep(POLL_SECONDS + 1)
        results.clear()
        calls = int(SECONDS // CALL_EVERY_SECONDS)
        caller = subprocess.Popen(
            [sys.executable, "-c", CALLER, str(calls)],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        cpu_before, wall_before = _cpu_seconds(server.pid), time.monotonic()
        time.sleep(SECONDS)
        cpu_after, wall_after = _cpu_seconds(server.pid), time.monotonic()
        stop.set()
        for screen in screens:
            screen.join()
    finally:
        if caller is not None:
            caller.kill()
            caller.wait()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)
    latencies = sorted(seconds for status, seconds in results if status)
    statuses: dict[str, int] = {}
    for status, _seconds in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "screens": SCREENS,
        "seconds": SECONDS,
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "requests": len(results),
        "statuses": statuses,
        "median_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2) if latencies else None,
        "server_cpu_share_of_one_core": round(
            (cpu_after - cpu_before) / (wall_after - wall_before), 4
        ),
    }


if __name__ == "__main__":
    print(json.dumps(main()))
