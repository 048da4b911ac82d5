"""Which database reports read from: the router's rules, with a second connection to the test
database standing for the replica (the real streaming replica is in test_streaming_replica.py).

A second connection shows where a query went (each connection records its own queries) and
does not see what the primary's open transaction has not committed — as a replica would not."""

from __future__ import annotations

import logging
import runpy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings as SettingsWrapper

from egov import settings as settings_module
from egov.catalog.models import ProcedureField
from egov.catalog.services import procedure_field_ensure
from egov.core.checks import replica_problems
from egov.core.models import RateCounter
from egov.core.replicas import REPLICA, ReplicaRouter, report_reads

POSTGRESQL = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def replica_alias(settings: SettingsWrapper, **changes: Any) -> Iterator[None]:
    """A "replica" alias next to the default one: the same test database through its own
    connection, or (with ``changes``) a database that cannot be reached. The connection is
    made here, as the test runner makes its own, so the test case lets it connect."""
    database = {**connections[DEFAULT_DB_ALIAS].settings_dict, **changes}
    settings.DATABASES = {**settings.DATABASES, REPLICA: database}
    connections[REPLICA] = load_backend(database["ENGINE"]).DatabaseWrapper(database, REPLICA)
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]


@pytest.fixture
def replica(settings: SettingsWrapper) -> Iterator[None]:
    with replica_alias(settings):
        yield


@contextmanager
def queries() -> Iterator[dict[str, CaptureQueriesContext]]:
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as copy,
    ):
        yield {"primary": primary, "replica": copy}


def field_codes() -> list[str]:
    return list(ProcedureField.objects.order_by("code").values_list("code", flat=True))


def ran(captured: CaptureQueriesContext, table: str = "catalog_procedurefield") -> int:
    return sum(table in query["sql"] for query in captured.captured_queries)


def add_field(code: str) -> ProcedureField:
    return procedure_field_ensure(actor=None, code=code, name=f"Lĩnh vực {code}")


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def autocommit(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The test database without a test transaction around the test: the primary is in
    autocommit, as in a request, and the replica's connection sees what is committed (the demo
    data). These tests commit nothing: their writes are rolled back."""
    with django_db_blocker.unblock():
        assert not transaction.get_connection().in_atomic_block
        yield


# The tests add a "replica" to DATABASES, as EGOV_REPLICA_URL would.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
DEMO_FIELD = "ho-tich"  # a catalog field of the demo data, which every test database has


@pytest.mark.django_db
def test_without_a_replica_the_block_changes_nothing() -> None:
    add_field("r-ht")
    with report_reads():
        assert ProcedureField.objects.all().db == DEFAULT_DB_ALIAS
        assert "r-ht" in field_codes()


def test_report_reads_go_to_the_replica_and_other_reads_to_the_primary(
    autocommit: None, replica: None
) -> None:
    with queries() as seen:
        with report_reads():
            in_report = field_codes()
        outside = field_codes()
    assert DEMO_FIELD in in_report
    assert in_report == outside
    assert ran(seen["replica"]) == 1
    assert ran(seen["primary"]) == 1


def test_a_report_inside_a_transaction_sees_that_transaction(
    autocommit: None, replica: None
) -> None:
    with rolled_back():
        add_field("r-ht")  # not committed: the replica's connection cannot see it
        with queries() as seen, report_reads():
            assert "r-ht" in field_codes()
    assert ran(seen["primary"]) == 1
    assert ran(seen["replica"]) == 0


def test_a_transaction_opened_inside_the_block_reads_from_the_primary(
    autocommit: None, replica: None
) -> None:
    with report_reads():
        assert ProcedureField.objects.all().db == REPLICA
        with transaction.atomic():
            assert ProcedureField.objects.all().db == DEFAULT_DB_ALIAS
        assert ProcedureField.objects.all().db == REPLICA


def test_after_a_write_in_the_block_its_reads_stay_on_the_primary(
    autocommit: None, replica: None
) -> None:
    with queries() as seen, report_reads():
        assert DEMO_FIELD in field_codes()
        with rolled_back():
            add_field("r-ht")
        assert ProcedureField.objects.all().db == DEFAULT_DB_ALIAS
        field_codes()
    inserts = [q["sql"] for q in seen["primary"].captured_queries if q["sql"].startswith("INSERT")]
    assert any("catalog_procedurefield" in sql for sql in inserts)
    assert not any(q["sql"].startswith("INSERT") for q in seen["replica"].captured_queries)
    assert ran(seen["replica"]) == 1  # the read before the write
    with report_reads():  # a new block starts on the replica again
        assert ProcedureField.objects.all().db == REPLICA


def test_nested_blocks_follow_the_outer_one(autocommit: None, replica: None) -> None:
    with report_reads():
        with report_reads():
            assert ProcedureField.objects.all().db == REPLICA
            with rolled_back():
                add_field("r-ht")
        assert ProcedureField.objects.all().db == DEFAULT_DB_ALIAS


def test_tables_the_replica_does_not_hold_stay_on_the_primary(
    autocommit: None, replica: None
) -> None:
    router = ReplicaRouter()
    with report_reads():
        # Rate counters are UNLOGGED on PostgreSQL: a standby refuses to read them.
        assert RateCounter.objects.all().db == DEFAULT_DB_ALIAS
        cache_model = getattr(caches["default"], "cache_model_class", None)
        if cache_model is not None:
            assert router.db_for_read(cache_model) is None
            router.db_for_write(cache_model)  # a cache write is not a report's write
        assert ProcedureField.objects.all().db == REPLICA


def test_an_unreachable_replica_sends_the_block_to_the_primary(
    autocommit: None, settings: SettingsWrapper, tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    engine = connections[DEFAULT_DB_ALIAS].settings_dict["ENGINE"]
    unreachable: dict[str, Any] = (
        {"PORT": free_port(), "OPTIONS": {"connect_timeout": 2}}
        if engine == POSTGRESQL
        else {"NAME": str(tmp_path / "absent" / "replica.sqlite3")}
    )
    with (
        replica_alias(settings, **unreachable),
        caplog.at_level(logging.WARNING, "egov.core.replicas"),
        report_reads(),
    ):
        assert ProcedureField.objects.all().db == DEFAULT_DB_ALIAS
        assert DEMO_FIELD in field_codes()
    assert [record.getMessage().split(":")[0] for record in caplog.records] == [
        "Read replica unreachable, reports read from the primary"
    ]


def test_outside_a_block_reads_and_writes_use_the_primary() -> None:
    router = ReplicaRouter()
    assert router.db_for_read(ProcedureField) is None
    assert router.db_for_write(ProcedureField) is None
    assert router.allow_migrate(REPLICA, "catalog") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "catalog") is True


def _database(engine: str, port: int = 5432) -> dict[str, Any]:
    return {"ENGINE": engine, "NAME": "egov", "HOST": "127.0.0.1", "PORT": port}


def test_the_replica_must_be_postgresql_beside_postgresql() -> None:
    assert replica_problems({"default": _database(POSTGRESQL)}) == []
    assert replica_problems({"default": _database(SQLITE)}) == []
    both = {"default": _database(POSTGRESQL), REPLICA: _database(POSTGRESQL, 5433)}
    assert replica_problems(both) == []
    on_sqlite = {"default": _database(SQLITE), REPLICA: _database(POSTGRESQL, 5433)}
    assert [problem.id for problem in replica_problems(on_sqlite)] == ["core.E001"]
    other_engine = {"default": _database(POSTGRESQL), REPLICA: _database(SQLITE)}
    assert [problem.id for problem in replica_problems(other_engine)] == ["core.E002"]


def _settings_databases(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    databases: dict[str, Any] = runpy.run_path(settings_module.__file__)["DATABASES"]
    return databases


def test_egov_replica_url_adds_a_replica_configured_like_the_primary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EGOV_REPLICA_URL", raising=False)
    monkeypatch.setenv("EGOV_DB_CONN_MAX_AGE", "300")
    primary_url = "postgres://egov@db1.example:5432/egov"
    assert set(_settings_databases(monkeypatch, DATABASE_URL=primary_url)) == {"default"}
    databases = _settings_databases(
        monkeypatch,
        DATABASE_URL=primary_url,
        EGOV_REPLICA_URL="postgres://egov_read@db2.example:5433/egov?connect_timeout=3",
    )
    replica = databases[REPLICA]
    assert replica == {
        "ENGINE": POSTGRESQL,
        "NAME": "egov",
        "USER": "egov_read",
        "PASSWORD": "",
        "HOST": "db2.example",
        "PORT": 5433,
        "CONN_MAX_AGE": 300,
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": False,
        "OPTIONS": {"connect_timeout": 3, "options": "-c jit=off"},
        "TEST": {"MIRROR": "default"},
    }
    assert databases["default"]["OPTIONS"] == {"options": "-c jit=off"}
    assert databases["default"]["CONN_MAX_AGE"] == 300
