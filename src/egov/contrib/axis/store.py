"""The axis simulator's own store: a SQLite file (or memory) of registered agencies, sent
messages and each recipient's inbox. It is not egov's database: the axis is another system.

A message is stored once per send and delivered once per recipient; the inbox row leaves the
recipient's pending list when the recipient acknowledges it ("done"). A document message sent
again with the same sender, DocumentId, BussinessDocType and recipients — or a status message
with the same bytes — is the same message (the sender retried after a lost answer)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from egov.contrib.axis.headers import EDOC, RoutingHeader

SCHEMA = """
CREATE TABLE IF NOT EXISTS agency (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    via TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active'
);
CREATE TABLE IF NOT EXISTS message (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    message_type TEXT NOT NULL,
    from_organ TEXT NOT NULL,
    document_id TEXT NOT NULL,
    business_type TEXT NOT NULL,
    body BLOB NOT NULL,
    sent_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS delivery (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES message(id),
    to_organ TEXT NOT NULL,
    created_at TEXT NOT NULL,
    acknowledged_at TEXT,
    UNIQUE (message_id, to_organ)
);
CREATE INDEX IF NOT EXISTS delivery_pending ON delivery (to_organ, acknowledged_at);
"""

ACTIVE = "active"


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    via: str
    status: str


@dataclass(frozen=True)
class Delivery:
    id: str
    message_id: str
    message_type: str
    from_organ: str
    to_organ: str
    document_id: str
    business_type: str
    created_at: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> str:
    # The simulator is not a Django process: the wall clock, in UTC.
    return dt.datetime.fromtimestamp(time.time(), dt.UTC).isoformat(timespec="seconds")


class UnknownRecipient(LookupError):
    pass


class AxisStore:
    def __init__(self, path: str = ":memory:") -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    # --- agencies --------------------------------------------------------------------------

    def register(
        self, *, code: str, name: str, secret: str, via: str = "", status: str = ACTIVE
    ) -> None:
        """Add or update an agency; ``via`` names the system (another agency's code) that
        connects on its behalf, as a provincial LGSP does for the province's agencies."""
        with self._lock:
            self._db.execute(
                "INSERT INTO agency (code, name, secret_sha256, via, status) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name=excluded.name, "
                "secret_sha256=excluded.secret_sha256, via=excluded.via, status=excluded.status",
                (code, name, _digest(secret), via, status),
            )

    def authenticate(self, code: str, secret: str) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT secret_sha256, status FROM agency WHERE code = ?", (code,)
            ).fetchone()
        return (
            row is not None
            and row["status"] == ACTIVE
            and hmac.compare_digest(row["secret_sha256"], _digest(secret))
        )

    def agencies(self) -> list[Agency]:
        with self._lock:
            rows = self._db.execute(
                "SELECT code, name, via, status FROM agency ORDER BY code"
            ).fetchall()
        return [Agency(r["code"], r["name"], r["via"], r["status"]) for r in rows]

    def served_by(self, system: str) -> set[str]:
        """The organ codes a connected system speaks for: itself and the agencies it hosts."""
        with self._lock:
            rows = self._db.execute(
                "SELECT code FROM agency WHERE code = ? OR via = ?", (system, system)
            ).fetchall()
        return {r["code"] for r in rows}

    # --- messages --------------------------------------------------------------------------

    def store(self, header: RoutingHeader, body: bytes, *, sent_by: str) -> tuple[str, bool]:
        """Keep a message and deliver it to each recipient; (message id, already known)."""
        if header.message_type == EDOC:
            # One package per recipient or one for several: each set of recipients is its own.
            recipients = ",".join(sorted(set(header.to_organs)))
            key = "|".join(
                (EDOC, header.from_organ, header.document_id, header.business_type, recipients)
            )
        else:
            key = "status|" + hashlib.sha256(body).hexdigest()
        with self._lock:
            known = self._db.execute(
                "SELECT id FROM message WHERE idempotency_key = ?", (key,)
            ).fetchone()
            if known is not None:
                return str(known["id"]), True
            codes = {
                r["code"]
                for r in self._db.execute(
                    "SELECT code FROM agency WHERE status = ?", (ACTIVE,)
                ).fetchall()
            }
            unknown = [code for code in header.to_organs if code not in codes]
            if unknown:
                raise UnknownRecipient(", ".join(unknown))
            message_id = uuid.uuid4().hex
            now = _now()
            self._db.execute("BEGIN")
            try:
                self._db.execute(
                    "INSERT INTO message (id, idempotency_key, message_type, from_organ, "
                    "document_id, business_type, body, sent_by, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        message_id,
                        key,
                        header.message_type,
                        header.from_organ,
                        header.document_id,
                        header.business_type,
                        body,
                        sent_by,
                        now,
                    ),
                )
                for code in dict.fromkeys(header.to_organs):
                    self._db.execute(
                        "INSERT INTO delivery (id, message_id, to_organ, created_at) "
                        "VALUES (?, ?, ?, ?)",
                        (uuid.uuid4().hex, message_id, code, now),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return message_id, False

    _DELIVERY = (
        "SELECT d.id, d.message_id, m.message_type, m.from_organ, d.to_organ, m.document_id, "
        "m.business_type, d.created_at FROM delivery d JOIN message m ON m.id = d.message_id "
    )

    def pending(self, organs: set[str], message_type: str | None = None) -> list[Delivery]:
        marks = ",".join("?" for _ in organs)
        query = self._DELIVERY + f"WHERE d.acknowledged_at IS NULL AND d.to_organ IN ({marks})"
        params: list[Any] = sorted(organs)
        if message_type:
            query += " AND m.message_type = ?"
            params.append(message_type)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY d.created_at, d.rowid", params).fetchall()
        return [Delivery(**dict(r)) for r in rows]

    def sent(self, organs: set[str]) -> list[Delivery]:
        marks = ",".join("?" for _ in organs)
        with self._lock:
            rows = self._db.execute(
                self._DELIVERY + f"WHERE m.from_organ IN ({marks}) ORDER BY d.created_at, d.rowid",
                sorted(organs),
            ).fetchall()
        return [Delivery(**dict(r)) for r in rows]

    def fetch(self, delivery_id: str, organs: set[str]) -> tuple[Delivery, bytes] | None:
        """A delivery addressed to one of ``organs`` and its bytes (acknowledged or not)."""
        with self._lock:
            row = self._db.execute(
                self._DELIVERY.replace("SELECT ", "SELECT m.body, ", 1) + "WHERE d.id = ?",
                (delivery_id,),
            ).fetchone()
        if row is None or row["to_organ"] not in organs:
            return None
        values = dict(row)
        body = bytes(values.pop("body"))
        return Delivery(**values), body

    def acknowledge(self, delivery_id: str, organs: set[str]) -> bool:
        """Mark a delivery done; True also when it already was (a repeated acknowledgement)."""
        found = self.fetch(delivery_id, organs)
        if found is None:
            return False
        with self._lock:
            self._db.execute(
                "UPDATE delivery SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL",
                (_now(), delivery_id),
            )
        return True
