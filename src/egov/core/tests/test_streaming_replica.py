"""Reports read from a real PostgreSQL streaming replica; writes stay on the primary.

Two clusters of our own on loopback (the shared server at 5432 accepts no replication
connections): a primary made with ``initdb`` and loaded with the test database, and a standby
cloned from it with ``pg_basebackup -R`` and streaming from it. egov then runs in its own
process with ``DATABASE_URL`` on the primary and ``EGOV_REPLICA_URL`` on the standby, as a
deployment would (replica_probe.py), and reports what each read and write touched.

PostgreSQL only (the replica is PostgreSQL streaming replication); it also needs the server
programs (initdb, pg_ctl, pg_basebackup) on this machine. The CI's PostgreSQL job sets
EGOV_REQUIRE_REPLICA_TEST=1, which turns a skip for want of them into a failure."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
from django.db import connection

from egov.env import env_bool

SRC = Path(__file__).resolve().parents[3]
TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "pg_dump", "psql")
WAIT_SECONDS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_programs() -> Path | None:
    """The newest PostgreSQL program folder with every tool (Debian keeps them out of PATH)."""
    folders = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
        reverse=True,
    )
    on_path = shutil.which("initdb")
    if on_path:
        folders.append(Path(on_path).parent)
    for folder in folders:
        if all((folder / tool).is_file() for tool in TOOLS):
            return folder
    return None


@dataclass
class Clusters:
    directory: Path
    programs: Path
    as_owner: list[str]  # PostgreSQL refuses to run as root: run its programs as "postgres"
    primary_port: int
    standby_port: int

    def command(self, tool: str, *args: str) -> list[str]:
        return [*self.as_owner, str(self.programs / tool), *args]

    def run(self, tool: str, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        command = self.command(tool, *args)
        done = subprocess.run(command, capture_output=True, timeout=60, check=False, **kwargs)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(args)}: {done.stderr.decode()}{self.logs()}")
        return done

    def logs(self) -> str:
        return "".join(
            f"\n--- {log.name}\n{log.read_text(errors='replace')[-2000:]}"
            for log in sorted(self.directory.glob("*.log"))
        )

    def start(self, name: str, port: int) -> None:
        settings = [
            f"-p {port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.directory}",
            # test clusters: nothing to keep after a crash
            "-c fsync=off",
            "-c full_page_writes=off",
            "-c shared_buffers=16MB",
            "-c max_connections=20",
        ]
        self.run("pg_ctl", *self.pg_ctl_options(name), "-o", " ".join(settings), "start")

    def pg_ctl_options(self, name: str) -> list[str]:
        log = str(self.directory / f"{name}.log")
        return ["-D", str(self.directory / name), "-l", log, "-w", "-t", str(WAIT_SECONDS)]

    def stop_command(self, name: str, mode: str = "fast") -> list[str]:
        return self.command("pg_ctl", *self.pg_ctl_options(name), "-m", mode, "stop")

    def sql(self, port: int, statement: str, database: str = "postgres") -> str:
        done = self.run(
            "psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database,
            "-v", "ON_ERROR_STOP=1", "-Atc", statement,
        )  # fmt: skip
        return done.stdout.decode().strip()

    def wait_until_streaming(self) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        query = "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
        while self.sql(self.primary_port, query) != "1":
            if time.monotonic() > deadline:
                raise RuntimeError(f"the standby is not streaming{self.logs()}")
            time.sleep(0.1)

    def stop(self) -> None:
        for name in ("standby", "primary"):
            if (self.directory / name / "postmaster.pid").exists():
                command = self.stop_command(name, "immediate")
                subprocess.run(command, capture_output=True, timeout=60, check=False)


def _cannot_run(reason: str) -> NoReturn:
    if env_bool("EGOV_REQUIRE_REPLICA_TEST", False):
        pytest.fail(f"{reason} (EGOV_REQUIRE_REPLICA_TEST=1 requires this test)")
    pytest.skip(reason)


def _owner() -> tuple[list[str], int, int]:
    if os.geteuid() != 0:
        return [], os.geteuid(), os.getegid()
    try:
        postgres = pwd.getpwnam("postgres")
    except KeyError:
        _cannot_run("running as root and there is no postgres user to run test clusters as")
    return ["runuser", "-u", "postgres", "--"], postgres.pw_uid, postgres.pw_gid


def _load_test_database(clusters: Clusters) -> None:
    """The primary gets the test database (migrated schema and reference rows) under the name
    egov: faster than migrating again."""
    test_database = connection.settings_dict
    clusters.sql(clusters.primary_port, "CREATE DATABASE egov")
    dump = subprocess.run(
        [
            str(clusters.programs / "pg_dump"),
            "--no-owner",
            "--no-privileges",
            "-h",
            test_database["HOST"] or "127.0.0.1",
            "-p",
            str(test_database["PORT"] or 5432),
            "-U",
            test_database["USER"] or "postgres",
            test_database["NAME"],
        ],
        env={**os.environ, "PGPASSWORD": test_database["PASSWORD"] or ""},
        capture_output=True,
        timeout=60,
        check=True,
    )
    clusters.run(
        "psql", "-q", "-h", "127.0.0.1", "-p", str(clusters.primary_port), "-U", "postgres",
        "-d", "egov", "-v", "ON_ERROR_STOP=1", input=dump.stdout,
    )  # fmt: skip


@pytest.fixture
def clusters(django_db_setup: None) -> Iterator[Clusters]:
    if connection.vendor != "postgresql":
        pytest.skip("a read replica is PostgreSQL streaming replication: PostgreSQL runs only")
    programs = server_programs()
    if programs is None:
        _cannot_run(f"PostgreSQL server programs ({', '.join(TOOLS)}) not found")
    as_owner, uid, gid = _owner()
    directory = Path(tempfile.mkdtemp(prefix="egov-replica-"))
    os.chown(directory, uid, gid)
    pair = Clusters(directory, programs, as_owner, free_port(), free_port())
    try:
        pair.run(
            "initdb", "-D", str(directory / "primary"), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        pair.start("primary", pair.primary_port)
        _load_test_database(pair)
        pair.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(pair.primary_port), "-U", "postgres",
            "-D", str(directory / "standby"), "-R", "-X", "stream", "-c", "fast", "--no-sync",
        )  # fmt: skip
        pair.start("standby", pair.standby_port)
        pair.wait_until_streaming()
        yield pair
    finally:
        pair.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.mark.django_db  # the test database is set up: the primary starts as a copy of it
def test_reports_read_from_the_streaming_replica_and_writes_go_to_the_primary(
    clusters: Clusters,
) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "egov.settings",
        "EGOV_VAR_DIR": str(clusters.directory / "var"),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{clusters.primary_port}/egov",
        "EGOV_REPLICA_URL": (
            f"postgres://postgres@127.0.0.1:{clusters.standby_port}/egov?connect_timeout=5"
        ),
        "EGOV_PROBE_STOP_STANDBY": json.dumps(clusters.stop_command("standby")),
    }
    env.pop("EGOV_DB_CONN_MAX_AGE", None)  # persistent connections, as deployed
    probe = subprocess.run(
        [sys.executable, "-m", "egov.core.tests.replica_probe"],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr.decode() + clusters.logs()
    seen = json.loads(probe.stdout)
    written = ["probe-1", "probe-2", "probe-3", "probe-4"]
    assert seen == {
        "primary_in_recovery": False,
        "replica_in_recovery": True,
        # replayed on the standby, the row is read there by the report, on the primary outside
        "report_alias": "replica",
        "report_connection_in_recovery": True,
        "report_codes": ["probe-1"],
        "outside_alias": "default",
        "outside_codes": ["probe-1"],
        "report_queries": {"primary": 1, "replica": 1},
        # replay paused: the report shows the replica's older state
        "lagging": True,
        "lagging_report_codes": ["probe-1"],
        "lagging_primary_codes": ["probe-1", "probe-2"],
        # a write in the block went to the primary; the block then read its own write there
        "after_write_alias": "default",
        "after_write_codes": ["probe-1", "probe-2", "probe-3"],
        "write_inserts": {"primary": 1, "replica": 0},
        "replica_codes_while_paused": ["probe-1"],
        "replica_write_error": "cannot execute INSERT in a read-only transaction",
        # inside a transaction the report sees its uncommitted row
        "atomic_alias": "default",
        "atomic_codes": written,
        # UNLOGGED rate counters exist on the primary only
        "rate_counter_alias": "default",
        "rate_counters_counted": True,
        "replica_rate_counter_error": (
            "cannot access temporary or unlogged relations during recovery"
        ),
        # replay resumed: the replica caught up
        "caught_up_alias": "replica",
        "caught_up_codes": written,
        # the standby stopped: the next report reads from the primary, with a warning
        "replica_down_alias": "default",
        "replica_down_in_recovery": False,
        "replica_down_codes": written,
        "replica_down_warnings": ["Read replica unreachable, reports read from the primary"],
    }
