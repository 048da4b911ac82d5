"""Run by test_streaming_replica.py in a process of its own, configured as a deployment is:
``DATABASE_URL`` names a PostgreSQL primary and ``EGOV_REPLICA_URL`` its streaming standby.
It writes through an egov service, reads inside and outside ``report_reads()``, and prints
what it saw as one JSON object; the test checks it. ``EGOV_PROBE_STOP_STANDBY`` is the
command (a JSON list) that stops the standby, for the last step: a replica that is down."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
django.setup()

from django.core.signals import request_started  # noqa: E402 (after setup)
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from egov.catalog.models import ProcedureField  # noqa: E402
from egov.catalog.services import procedure_field_ensure  # noqa: E402
from egov.core.models import RateCounter  # noqa: E402
from egov.core.replicas import REPLICA, report_reads  # noqa: E402

WAIT_SECONDS = 20
TABLE = "catalog_procedurefield"


def one(alias: str, sql: str, params: list[Any] | None = None) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def refusal(alias: str, sql: str) -> str:
    """The first line of the error the database gives for ``sql`` ("" when it runs)."""
    try:
        one(alias, sql)
    except DatabaseError as error:
        return str(error).splitlines()[0]
    return ""


def in_recovery(alias: str) -> bool:
    return bool(one(alias, "SELECT pg_is_in_recovery()"))


def chosen() -> str:
    """The alias the router picks for a read of the model the probe writes."""
    return str(ProcedureField.objects.all().db)


def codes() -> list[str]:
    fields = ProcedureField.objects.filter(code__startswith="probe-").order_by("code")
    return list(fields.values_list("code", flat=True))


def replica_codes() -> list[str]:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT code FROM catalog_procedurefield WHERE code LIKE %s ORDER BY code", ["probe-%"]
        )
        return [row[0] for row in cursor.fetchall()]


def add_field(code: str) -> None:
    procedure_field_ensure(actor=None, code=code, name=f"Lĩnh vực {code}")


def until(condition: str, check: Any) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {condition}")
        time.sleep(0.05)


def replayed() -> bool:
    primary_lsn = one(DEFAULT_DB_ALIAS, "SELECT pg_current_wal_lsn()::text")
    return bool(one(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [primary_lsn]))


def lagging() -> bool:
    primary_lsn = one(DEFAULT_DB_ALIAS, "SELECT pg_current_wal_lsn()::text")
    return bool(one(REPLICA, "SELECT pg_last_wal_replay_lsn() < %s::pg_lsn", [primary_lsn]))


def table_queries(captured: CaptureQueriesContext, verb: str = "SELECT") -> int:
    return sum(
        query["sql"].startswith(verb) and TABLE in query["sql"]
        for query in captured.captured_queries
    )


class Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().split(":")[0])


def main() -> dict[str, Any]:
    seen: dict[str, Any] = {
        "primary_in_recovery": in_recovery(DEFAULT_DB_ALIAS),
        "replica_in_recovery": in_recovery(REPLICA),
    }

    # A row written on the primary and replayed: a report reads it from the replica.
    add_field("probe-1")
    until("replay of r-1", replayed)
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        with report_reads():
            seen["report_alias"] = chosen()
            seen["report_connection_in_recovery"] = in_recovery(chosen())
            seen["report_codes"] = codes()
        seen["outside_alias"] = chosen()
        seen["outside_codes"] = codes()
    seen["report_queries"] = {
        "primary": table_queries(primary),
        "replica": table_queries(replica),
    }

    # Replay paused: the replica lags behind, and the report shows the older state.
    one(REPLICA, "SELECT pg_wal_replay_pause()::text")
    add_field("probe-2")
    until(
        "replay paused", lambda: one(REPLICA, "SELECT pg_get_wal_replay_pause_state()") == "paused"
    )
    seen["lagging"] = lagging()
    with report_reads():
        seen["lagging_report_codes"] = codes()
    seen["lagging_primary_codes"] = codes()

    # A write inside the block goes to the primary (the replica refuses writes), and the rest
    # of the block reads its own write there.
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
        report_reads(),
    ):
        add_field("probe-3")
        seen["after_write_alias"] = chosen()
        seen["after_write_codes"] = codes()
    seen["write_inserts"] = {
        "primary": table_queries(primary, "INSERT"),
        "replica": table_queries(replica, "INSERT"),
    }
    seen["replica_codes_while_paused"] = replica_codes()
    seen["replica_write_error"] = refusal(
        REPLICA,
        "INSERT INTO catalog_procedurefield (code, name, \"order\") VALUES ('probe-x', 'x', 0)",
    )

    # A report computed inside a transaction sees that transaction's rows.
    with transaction.atomic():
        add_field("probe-4")
        with report_reads():
            seen["atomic_alias"] = chosen()
            seen["atomic_codes"] = codes()

    # Rate counters are UNLOGGED: the standby cannot read them, the block reads the primary's.
    with report_reads():
        seen["rate_counter_alias"] = str(RateCounter.objects.all().db)
        seen["rate_counters_counted"] = RateCounter.objects.count() >= 0
    seen["replica_rate_counter_error"] = refusal(REPLICA, "SELECT count(*) FROM core_ratecounter")

    # Replay resumed: the replica catches up.
    one(REPLICA, "SELECT pg_wal_replay_resume()::text")
    until("replay after resume", replayed)
    with report_reads():
        seen["caught_up_alias"] = chosen()
        seen["caught_up_codes"] = codes()

    # The standby stops; the next request's report reads from the primary.
    subprocess.run(
        json.loads(os.environ["EGOV_PROBE_STOP_STANDBY"]), capture_output=True, check=True
    )
    request_started.send(sender=None)
    warnings = Warnings()
    logging.getLogger("egov.core.replicas").addHandler(warnings)
    with report_reads():
        seen["replica_down_alias"] = chosen()
        seen["replica_down_in_recovery"] = in_recovery(chosen())
        seen["replica_down_codes"] = codes()
    seen["replica_down_warnings"] = warnings.messages
    return seen


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
