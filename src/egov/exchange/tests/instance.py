"""A second egov instance for the exchange tests: its own database (a SQLite file, or its own
PostgreSQL database when the tests run on PostgreSQL) and var directory, migrated, its agency
and people loaded, served by gunicorn on loopback and connected to the same axis simulator.
The tests drive it through its staff API and its management commands, as an operator would."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.db import connection
from tests import database_copies

ROOT = Path(__file__).resolve().parents[4]

SETUP = """
import json
from egov.accounts.models import Role, RoleAssignment, User
from egov.accounts.services import api_client_create
from egov.documents.catalogue import AgencySettings
from egov.org.models import Unit, UnitKind
agency = Unit.objects.create(key="b.vpcp", code="{code}", name="Văn phòng Chính phủ",
                             kind=UnitKind.OTHER)
division = Unit.objects.create(key="b.vpcp.th", name="Vụ Tổng hợp", kind=UnitKind.DIVISION,
                               parent=agency)
AgencySettings.objects.create(agency=agency, abbreviation="VPCP", place_name="Hà Nội")
clerk = User.objects.create_user(username="b.hoa", full_name="Vũ Thị Hoa")
RoleAssignment.objects.create(user=clerk, unit=agency, role=Role.CLERK)
keys = {{}}
for name, unit, role in (("b-clerk", agency, Role.CLERK),
                         ("b-leader", agency, Role.DEPARTMENT_LEADER),
                         ("b-handler", division, Role.SPECIALIST)):
    client, key = api_client_create(actor=None, name=name, unit=unit, role=role)
    keys[name] = key
    keys[name + ":user"] = client.user.username
print("KEYS " + json.dumps(keys))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Instance:
    def __init__(
        self, *, directory: Path, code: str, axis_url: str, secret: str, database_url: str
    ) -> None:
        self.directory = directory
        self.database_url = database_url
        self.code = code
        self.port = free_port()
        self.keys: dict[str, str] = {}
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "egov.settings",
            "EGOV_VAR_DIR": str(directory / "var"),
            "DATABASE_URL": database_url,
            "EGOV_AXIS_URL": axis_url,
            "EGOV_AXIS_ORGAN_ID": code,
            "EGOV_AXIS_SECRET": secret,
            "EGOV_SIGNING_TRUST_ROOTS": ",".join(settings.EGOV_SIGNING_TRUST_ROOTS),
            "EGOV_SIGNING_INTERMEDIATES": ",".join(settings.EGOV_SIGNING_INTERMEDIATES),
            "EGOV_SIGNING_FETCH_REVOCATION": "0",
            # B signs its status packages with the development PKI's agency certificate.
            "EGOV_PKI_DIR": str(settings.EGOV_PKI_DIR),
            "EGOV_SIGNING_PKCS12_PASSPHRASE": settings.EGOV_SIGNING_PKCS12_PASSPHRASE,
            "EGOV_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "1",
            "EGOV_WEB_THREADS": "2",
        }
        self.env.pop("PYTEST_XDIST_WORKER", None)
        (directory / "var").mkdir(parents=True, exist_ok=True)
        self.server: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str) -> str:
        run = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=self.directory,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert run.returncode == 0, f"manage.py {' '.join(args)}:\n{run.stdout}\n{run.stderr}"
        return run.stdout

    def set_up(self) -> None:
        # On SQLite, start from the migrated copy the test run keeps (tests/database_copies).
        copy = database_copies.copy_path(Path(settings.VAR_DIR), database_copies.migrations_key())
        path = Path(self.database_url.removeprefix("sqlite:///"))
        if not (self.database_url.startswith("sqlite") and database_copies.restore(copy, path)):
            self.manage("migrate", "--noinput", "-v", "0")
        out = self.manage("shell", "-c", SETUP.format(code=self.code))
        line = next(x for x in out.splitlines() if x.startswith("KEYS "))
        self.keys = json.loads(line.removeprefix("KEYS "))

    def serve(self) -> None:
        self.server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-c",
                "python:egov.gunicorn_conf",
                "--graceful-timeout",
                "5",
                "egov.wsgi",
            ],
            env=self.env,
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(self.base_url + "/api/v1/openapi.json", timeout=20)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("instance B did not start")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(timeout=15)
            self.server = None

    def api(self, method: str, path: str, who: str, **kwargs: Any) -> Any:
        response = requests.request(
            method,
            f"{self.base_url}/api/v1/staff{path}",
            headers={"Authorization": f"Bearer {self.keys[who]}"},
            timeout=30,
            **kwargs,
        )
        assert response.status_code in (200, 201), (response.status_code, response.text)
        return response.json()


@contextmanager
def second_database(directory: Path) -> Iterator[str]:
    """A database URL for instance B: a SQLite file, or a PostgreSQL database of its own
    next to the test database (created now, dropped after)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{directory / 'instance-b.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_b"[:60]
    host, port = params.get("HOST") or "127.0.0.1", params.get("PORT") or "5432"
    user, password = params.get("USER") or "postgres", params.get("PASSWORD") or ""
    admin = f"host={host} port={port} user={user} dbname=postgres" + (
        f" password={password}" if password else ""
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    auth = f"{user}:{password}@" if password else f"{user}@"
    try:
        yield f"postgres://{auth}{host}:{port}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
