"""Reads that may come from a PostgreSQL read replica.

Reports and dashboards read many rows and can be a few seconds behind: inside
``report_reads()`` the router sends their reads to the ``replica`` database when one is
configured (``EGOV_REPLICA_URL``), while every write, and every read outside the block, stays on
the primary. Without a replica the block changes nothing.

A replica replays the primary's write-ahead log a little later (usually well under a second,
more under load), so the block keeps to the primary whenever the replica could give a wrong
answer rather than an old one:

- inside a transaction on the primary (``transaction.atomic``, e.g. a report computed by a
  service, or any test wrapped in one): the transaction's own uncommitted rows exist only there;
- after a write made inside the block, for the rest of the block (read your own writes). Writes
  never go to the replica, which would refuse them. A block is for reading: code that wrote
  earlier in the same request must not read its own changes through ``report_reads()``;
- tables the replica does not hold: the rate counters (UNLOGGED on PostgreSQL, never sent to a
  replica) and the database cache table;
- when the replica cannot be reached as the block starts: the block reads from the primary
  (slower, but the report still answers) and a warning is logged. A replica that fails in the
  middle of a block fails that report's query (docs/operations.md, "Read replica").
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

REPLICA = "replica"
# (app label, model name or "*"): tables the replica does not have, or must not answer for.
PRIMARY_ONLY = {("core", "ratecounter"), ("django_cache", "*")}

logger = logging.getLogger(__name__)


@dataclass
class _Block:
    source: str  # where the block's reads go when nothing keeps them on the primary
    wrote: bool = False


_block: ContextVar[_Block | None] = ContextVar("egov_report_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _primary_in_transaction() -> bool:
    return bool(transaction.get_connection(DEFAULT_DB_ALIAS).in_atomic_block)


def _replica_reachable() -> bool:
    """Connect now (or keep the open, healthy connection) so a replica that is down sends the
    whole block to the primary instead of failing its first query."""
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DatabaseError as error:
        logger.warning("Read replica unreachable, reports read from the primary: %s", error)
        return False
    return True


def _source() -> str:
    if not replica_configured() or _primary_in_transaction() or not _replica_reachable():
        return DEFAULT_DB_ALIAS
    return REPLICA


@contextmanager
def report_reads() -> Iterator[None]:
    if _block.get() is not None:  # nested: the outer block has decided
        yield
        return
    token = _block.set(_Block(source=_source()))
    try:
        yield
    finally:
        _block.reset(token)


def _primary_only(model: type[Any]) -> bool:
    label = model._meta.app_label
    return (label, model._meta.model_name) in PRIMARY_ONLY or (label, "*") in PRIMARY_ONLY


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        block = _block.get()
        if (
            block is None
            or block.source != REPLICA
            or block.wrote
            or _primary_only(model)
            or _primary_in_transaction()
        ):
            return None
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        block = _block.get()
        if block is not None and not _primary_only(model):
            block.wrote = True
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Both aliases hold the same rows: an object read from the replica may be linked to
        # one on the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A streaming replica is read-only: it receives the primary's schema through WAL.
        return db != REPLICA
