"""Issue 9, point 3 and "keep it closed": rate limits hold across processes. Two separate
gunicorn servers (one worker each, as two hosts behind a load balancer would be) serve the
same database; requests alternate between them and the limits count them together."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from django.db import connection

from egov.accounts.models import User

ROOT = Path(__file__).resolve().parents[4]
LOOKUP_LIMIT = 6
# Seconds for a server to answer its first request: a few on an idle machine, far more when
# other suites share its cores.
START_TIMEOUT = 180


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url() -> str:
    """The test database this process uses, as a DATABASE_URL for the servers."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    user, host, port = config["USER"], config["HOST"] or "127.0.0.1", config["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{config['NAME']}"


def _launch_server(
    tmp_path: Path, cache_url: str, prefix: str
) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = _free_port()
    env = {
        **os.environ,
        "EGOV_CACHE_URL": cache_url,
        "EGOV_CACHE_KEY_PREFIX": prefix,
        "DATABASE_URL": _database_url(),
        "EGOV_VAR_DIR": str(tmp_path),
        "EGOV_ENVIRONMENT": "development",
        "EGOV_LOOKUP_RATE_PER_MINUTE": str(LOOKUP_LIMIT),
        "EGOV_REQUIRE_STAFF_MFA": "0",
        "EGOV_DB_CONN_MAX_AGE": "0",
    }
    # gunicorn restarts a worker that has not reported for --timeout seconds (30 by default),
    # also while it is still importing the app: on a busy machine that can take longer, and
    # the worker would be restarted again and again. Its log is kept for a failure message.
    command = [sys.executable, "-m", "gunicorn", "egov.wsgi", "--workers", "1", "--timeout", "300"]
    log_path = tmp_path / "gunicorn.log"
    tmp_path.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return server, f"http://127.0.0.1:{port}", log_path


def _wait_until_serving(server: subprocess.Popen[bytes], base: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and server.poll() is None:
        try:
            requests.get(f"{base}/api/v1/health", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.2)
    server.kill()
    server.wait(timeout=10)
    pytest.fail(
        f"a test server did not start within {START_TIMEOUT} s (exit code {server.returncode}):\n"
        + log_path.read_text(errors="replace")[-3000:]
    )


REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(scope="module", params=["database", REDIS_URL])
def server_pair(request, django_db_setup, tmp_path_factory):
    """Two servers per cache, shared by the tests of this module (starting one takes seconds
    of CPU). They keep no database connection between requests (EGOV_DB_CONN_MAX_AGE=0), so
    the database is emptied and refilled between tests under them."""
    # A fresh key prefix per run: nothing counted by an earlier run (or a neighbour) counts.
    prefix = f"egov-test-{secrets.token_hex(4)}"
    folder = tmp_path_factory.mktemp("servers")
    # Both start at once (each imports the whole app: seconds of CPU, one per core).
    servers = [_launch_server(folder / str(n), request.param, prefix) for n in range(2)]
    try:
        for server, base, log_path in servers:
            _wait_until_serving(server, base, log_path)
        yield request.param, prefix, [base for _server, base, _log in servers]
    finally:
        for server, _base, _log in servers:
            if server.poll() is None:
                server.terminate()
        for server, _base, _log in servers:
            server.wait(timeout=30)


@pytest.fixture
def two_servers(server_pair, transactional_db):
    """Each test starts from zero: the database cache lives in the test database (emptied
    after each transactional test); the keys under this run's prefix are removed from Redis."""
    cache, prefix, bases = server_pair
    if cache == REDIS_URL:
        client = redis.Redis.from_url(REDIS_URL)
        try:
            keys = list(client.scan_iter(match=f"{prefix}:*"))
            if keys:
                client.delete(*keys)
        finally:
            client.close()
    return bases


def _outside_last_seconds_of_minute() -> None:
    # The lookup limit counts per clock minute: keep the whole run inside one minute.
    second = time.time() % 60
    if second > 45:
        time.sleep(61 - second)


def test_the_lookup_limit_counts_requests_to_both_servers_together(two_servers):
    _outside_last_seconds_of_minute()
    answers = [
        requests.get(f"{two_servers[n % 2]}/api/v1/public/dossiers/KHONG-CO", timeout=10)
        for n in range(LOOKUP_LIMIT + 4)
    ]
    assert [a.status_code for a in answers] == [404] * LOOKUP_LIMIT + [429] * 4
    assert answers[-1].json()["error"]["code"] == "rate_limited"


def test_failed_sign_ins_count_across_servers(two_servers):
    User.objects.create_user("tinh.thu", password="Mat-khau-dung-2026!")
    browser = requests.Session()
    texts = []
    for attempt in range(7):
        base = two_servers[attempt % 2]
        form = browser.get(f"{base}/accounts/login/", timeout=10).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        password = "Mat-khau-dung-2026!" if attempt == 6 else "sai"
        answer = browser.post(
            f"{base}/accounts/login/",
            {"login": "tinh.thu", "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}/accounts/login/"},
            allow_redirects=False,
            timeout=10,
        )
        texts.append(answer.text)
    assert all("Tên đăng nhập hoặc mật khẩu không đúng." in text for text in texts[:5])
    assert "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau." in texts[5]
    assert "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau." in texts[6]
