"""What `make run` serves holds a burst of desk receptions (issue 9, "keep it closed"): the
same gunicorn configuration (egov.gunicorn_conf, several workers with threads) on a SQLite
file in WAL mode, started here on a free loopback port in a temporary EGOV_VAR_DIR. 50 staff
API receptions sent at once all succeed, with consecutive dossier codes; an oversized body is
refused from its declared length without being received.

Bounded: every subprocess and request has a timeout, and the server is stopped at the end."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from egov.core.tests.processes import host_environment
from egov.devserver import ROOT, web_command

CLIENTS = 50
SETUP = """
import http.client
import json
from egov.accounts.services import api_client_create
from egov.catalog.selectors import version_by_code
from egov.org.models import Unit
unit = Unit.objects.get(key="qn.ttpvhcc")
_client, key = api_client_create(actor=None, name="kiosk-1", unit=unit, role="receptionist")
version = version_by_code("qn-cap-phieu-ly-lich-tu-phap")
ids = [c.pk for c in version.components.filter(required=True)]
print(json.dumps({"key": key, "components": ids}))
"""


@dataclass
class Served:
    port: int
    key: str
    components: list[int]
    database: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _manage(env: dict[str, str], *args: str, timeout: int = 180) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, demo_database_copy) -> Iterator[Served]:
    var_dir = tmp_path_factory.mktemp("make-run-var")
    env = host_environment(
        EGOV_ENVIRONMENT="demo",
        EGOV_VAR_DIR=str(var_dir),
        EGOV_DEBUG="0",
        WEB_CONCURRENCY="2",
    )
    # The database `make run` prepares (migrate, load_demo): on SQLite a copy of the test
    # database as it was right after the same demo load (the migrations and the demo load
    # take half a minute of CPU in a new process); elsewhere made as `make run` makes it.
    if not demo_database_copy(var_dir / "egov.sqlite3"):
        _manage(env, "migrate", "--no-input")
        _manage(env, "load_demo")
    setup = json.loads(_manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
    port = _free_port()
    log = (var_dir / "gunicorn.log").open("w")
    server = subprocess.Popen(
        web_command(reload=False, bind=f"127.0.0.1:{port}"),
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (var_dir / "gunicorn.log").read_text()[-2000:]
            try:
                status, _body = _request(port, "GET", "/tra-cuu-ho-so/", timeout=5)
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
                continue
            assert status == 200
            break
        yield Served(port, setup["key"], setup["components"], var_dir / "egov.sqlite3")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
        log.close()


def _request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 120,
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _receive(served: Served, start: threading.Barrier, number: int) -> tuple[int, Any]:
    body = {
        "procedure": "qn-cap-phieu-ly-lich-tu-phap",
        "applicant": {"name": f"Người nộp {number}", "personal_id": "022084000123"},
        "components": [{"component_id": pk, "originals": 1} for pk in served.components],
    }
    start.wait(timeout=60)
    status, answer = _request(
        served.port,
        "POST",
        "/api/v1/staff/dossiers",
        body=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {served.key}", "Content-Type": "application/json"},
    )
    return status, json.loads(answer)


def test_fifty_concurrent_receptions_all_succeed_with_consecutive_codes(served: Served):
    start = threading.Barrier(CLIENTS)
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(pool.map(lambda n: _receive(served, start, n), range(CLIENTS)))
    assert [status for status, _body in answers] == [201] * CLIENTS, answers
    codes = sorted(body["code"] for _status, body in answers)
    by_day: dict[str, list[int]] = {}
    for code in codes:
        match = re.fullmatch(r"(000\.00\.89\.H49-\d{6})-(\d{4})", code)
        assert match is not None, code
        by_day.setdefault(match.group(1), []).append(int(match.group(2)))
    # gap-free and unique: 1, 2, … per unit and day (a run across midnight starts again at 1)
    assert [n for numbers in by_day.values() for n in numbers] == [
        n for numbers in by_day.values() for n in range(1, len(numbers) + 1)
    ]
    with sqlite3.connect(served.database) as database:
        assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_oversized_body_is_refused_before_it_is_sent(served: Served):
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as connection:
        connection.sendall(
            b"POST /api/v1/staff/dossiers HTTP/1.1\r\n"
            + b"Host: 127.0.0.1\r\n"
            + b"Content-Type: application/json\r\n"
            + f"Content-Length: {150 * 1024 * 1024}\r\n\r\n".encode()
            + b'{"procedure": '
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
