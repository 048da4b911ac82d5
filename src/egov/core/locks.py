"""A lock on a name for the rest of the current transaction, for checks that span rows no
single row lock covers (e.g. "at most N upcoming appointments per phone number" across lines).

PostgreSQL: a transaction-level advisory lock, released at commit or rollback. SQLite: nothing
to do — egov opens every SQLite transaction IMMEDIATE (``egov.env.database_settings``), so
writers are already serialised for the whole transaction."""

from __future__ import annotations

import hashlib

from django.db import transaction


def lock_name(name: str) -> None:
    """Hold ``name`` until the current transaction ends; a second transaction asking for the
    same name waits. Call it inside ``transaction.atomic()``, after any row locks the caller
    takes, so that every caller takes the locks in the same order."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("lock_name() holds a lock for a transaction: call it inside atomic()")
    if connection.vendor != "postgresql":
        return
    # Advisory locks are keyed by a signed 64-bit number: the first 8 bytes of the name's hash.
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
