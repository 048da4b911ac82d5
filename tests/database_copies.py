"""A migrated SQLite test database kept under ``var/test-databases/``, keyed by a hash of
everything the migrations run: each test worker starts from a copy of it instead of applying
every migration again (about 11 s of CPU per worker on this machine).

The key covers every migration file of every installed app (ours, Django's and third-party
apps'), the data files our migrations read (``src/egov/*/data/``), ``egov/env.py`` (the cache
table's name), this module, and the versions of Python, Django and SQLite. Any change to one
of them gives a new key: the copy is made again by the first run that needs it, and copies
with other keys are removed. A copy is written whole to a temporary file and renamed into
place, so two workers making it at the same time never leave half a file."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from pathlib import Path

_HERE = Path(__file__).resolve()
_SRC = _HERE.parents[1] / "src" / "egov"
FOLDER_NAME = "test-databases"


def migration_inputs() -> list[Path]:
    """Every file a migrated test database depends on, sorted."""
    from django.apps import apps

    files: set[Path] = {_HERE, _SRC / "env.py"}
    for app in apps.get_app_configs():
        files.update(Path(app.path, "migrations").glob("*.py"))
    files.update(path for path in _SRC.glob("*/data/**/*") if path.is_file())
    return sorted(files)


def migrations_key(files: list[Path] | None = None) -> str:
    """Hex digest of the files (by default ``migration_inputs()``: names and contents) and
    of the versions of Python, Django and SQLite."""
    import django

    digest = hashlib.sha256()
    digest.update(f"{sys.version_info[:3]}|{django.__version__}|{sqlite3.sqlite_version}".encode())
    for path in migration_inputs() if files is None else files:
        digest.update(str(path.relative_to(path.anchor)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def copy_path(var_dir: Path, key: str) -> Path:
    return var_dir / FOLDER_NAME / f"migrated-{key}.sqlite3"


def _remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _backup(source_path: Path, target_path: Path) -> None:
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def restore(copy: Path, test_database: Path) -> bool:
    """Write the kept copy over the worker's test database; False when there is none."""
    if not copy.is_file():
        return False
    _remove_database_files(test_database)
    _backup(copy, test_database)
    return True


def keep(test_database: Path, copy: Path) -> None:
    """Keep the freshly migrated test database as the copy for its key; drop older keys."""
    copy.parent.mkdir(parents=True, exist_ok=True)
    temporary = copy.with_name(f"{copy.name}.{os.getpid()}.tmp")
    _remove_database_files(temporary)
    _backup(test_database, temporary)
    temporary.replace(copy)
    for other in copy.parent.glob("migrated-*.sqlite3"):
        if other != copy:
            _remove_database_files(other)
