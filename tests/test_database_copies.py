"""The migrated SQLite database kept for the test workers (tests/database_copies.py) is keyed
by everything the migrations run, so a changed migration never starts from a stale copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests import database_copies


def test_the_key_covers_every_migration_and_the_data_the_migrations_read() -> None:
    names = {path.as_posix() for path in database_copies.migration_inputs()}
    for expected in (
        "egov/documents/migrations/0001_documents_catalogues_incoming_outgoing.py",
        "egov/dossiers/migrations/0009_code_and_notice_counters_to_numbering.py",
        "egov/documents/data/document_types.json",
        "egov/env.py",
        "django/contrib/auth/migrations/0001_initial.py",
        "tests/database_copies.py",
    ):
        assert any(name.endswith("/" + expected) for name in names), expected


def test_the_key_changes_with_a_migration_and_only_then(tmp_path: Path) -> None:
    first = tmp_path / "0001_initial.py"
    second = tmp_path / "0002_more.py"
    first.write_text("operations = []\n")
    second.write_text("operations = ['a']\n")
    key = database_copies.migrations_key([first, second])
    assert database_copies.migrations_key([first, second]) == key
    second.write_text("operations = ['b']\n")
    changed = database_copies.migrations_key([first, second])
    assert changed != key
    assert database_copies.migrations_key([first]) not in {key, changed}
    renamed = tmp_path / "0002_renamed.py"
    second.rename(renamed)
    assert database_copies.migrations_key([first, renamed]) not in {key, changed}


def _rows(path: Path) -> list[tuple[int, str]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT id, name FROM t ORDER BY id").fetchall()
    finally:
        connection.close()


def test_a_kept_copy_is_restored_over_the_worker_database_and_older_keys_go(
    tmp_path: Path,
) -> None:
    migrated = tmp_path / "test_egov.sqlite3_gw0"
    connection = sqlite3.connect(migrated)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO t (name) VALUES ('đã migrate')")
    connection.commit()
    old = database_copies.copy_path(tmp_path, "old")
    old.parent.mkdir()
    old.write_bytes(b"")
    copy = database_copies.copy_path(tmp_path, "new")
    assert not database_copies.restore(copy, migrated)  # nothing kept yet
    database_copies.keep(migrated, copy)
    connection.close()
    assert not old.exists()
    assert list(copy.parent.iterdir()) == [copy]

    worker = tmp_path / "test_egov.sqlite3_gw1"
    worker.write_bytes(b"left over from an interrupted run")
    assert database_copies.restore(copy, worker)
    assert _rows(worker) == [(1, "đã migrate")]
