"""Shared fixtures: the Quảng Ninh data, named personas, and a TOTP helper."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import sqlite3
import struct
import time
from pathlib import Path

import hypothesis
import pytest
from pytest_django import DjangoDbBlocker
from tests import database_copies
from tests.browser_skips import pytest_terminal_summary as pytest_terminal_summary

pytest_plugins = ["pytester", "egov.signing.tests.fixtures"]

# Property tests check answers, never speed: on a busy machine (parallel workers, other suites)
# neither a slow example nor slow input generation is a failure.
hypothesis.settings.register_profile(
    "egov",
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
    parent=hypothesis.settings.default,
)
hypothesis.settings.load_profile("egov")

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The slowest test modules (durations measured 2026-12-01, slowest first) run first. `make test`
# hands whole modules to the two workers in collection order (--dist loadfile
# --no-loadscope-reorder): started last, a module of two minutes kept one worker busy long
# after the other had finished. Only the order changes; a module missing from this list runs
# after these, in the usual order; an entry ending in "/" stands for the modules of a folder.
# Re-measure with `pytest --durations=0 -n 2`.
SLOWEST_MODULES = (
    "src/egov/api/tests/test_schemathesis_positive.py",
    "src/egov/api/tests/test_schemathesis_negative.py",
    "tests/test_authorization_matrix.py",
    "tests/test_vietnamese_everywhere.py",
    "src/egov/core/tests/test_limits_across_processes.py",
    "src/egov/core/tests/test_no_server_error.py",
    "tests/browser/",  # the browser modules together: one browser per worker, launched once
    "src/egov/exchange/tests/test_two_instances.py",  # ≈ 85 s: a second egov under gunicorn
    "src/egov/dossiers/tests/test_migrations_counters_and_files.py",
    "src/egov/accounts/tests/test_national_sso.py",
    "src/egov/core/tests/test_served_like_make_run.py",
    "src/egov/dossiers/tests/test_migrations.py",
    "src/egov/accounts/tests/test_national_sso_certified.py",
    "src/egov/demo/tests/test_demo_dossiers.py",
    "src/egov/demo/tests/test_demo_documents.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        module = item.nodeid.split("::", 1)[0]
        for position, entry in enumerate(SLOWEST_MODULES):
            if module == entry or (entry.endswith("/") and module.startswith(entry)):
                return position
        return len(SLOWEST_MODULES)

    items.sort(key=rank)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Rate-limit counters live in the shared cache (a database table, as in production);
    each test that uses the database starts from zero."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_db:
        from django.core.cache import cache

        request.getfixturevalue("_django_db_helper")
        cache.clear()


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Each test stores applicants' files in its own folder (never under var/)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    return tmp_path / "private"


# The Quảng Ninh demo data (org structure, calendar decisions, office hours, the catalog and the
# demo accounts) takes about two seconds to load: it is loaded once into each test database, and
# every test sees it and rolls its own changes back. A transactional test empties the tables when
# it ends (Django's flush); the demo data is then put back, committed, before the next test: on
# SQLite by copying back the pages of the database as it was right after the first load (SQLite's
# backup API, a few milliseconds), elsewhere by loading it again.
_BLOCKER = pytest.StashKey[DjangoDbBlocker]()
_SNAPSHOT = pytest.StashKey["sqlite3.Connection | None"]()
_DEMO_ACCOUNT = "tinh.tiepnhan"


def _load_demo_data() -> None:
    from django.test import override_settings

    from egov.demo.services import load_demo

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        load_demo(stdout=io.StringIO())


def _sqlite_snapshot() -> sqlite3.Connection | None:
    """An in-memory copy of the whole test database (schema, rows, sequences), or None when
    the database is not SQLite."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    connection.ensure_connection()
    snapshot = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(snapshot)
    return snapshot


def _put_demo_data_back(snapshot: sqlite3.Connection | None) -> None:
    if snapshot is None:
        _load_demo_data()
        return
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    connection.ensure_connection()
    snapshot.backup(connection.connection)
    # The flush's post_migrate handlers created content types anew, and cached their ids.
    ContentType.objects.clear_cache()


def _sqlite_test_database() -> Path | None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return None
    name = database.get("TEST", {}).get("NAME")
    return Path(name) if name and name != ":memory:" else None


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: DjangoDbBlocker,
    django_db_modify_db_settings: None,
    pytestconfig: pytest.Config,
):
    """pytest-django's test database set-up, except that on SQLite each worker starts from a
    copy of a migrated database kept in var/ (tests/database_copies.py) when one exists for
    the current migrations, and keeps one after migrating when none does. --reuse-db,
    --create-db and --nomigrations take pytest-django's own path."""
    from django.conf import settings
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    option = pytestconfig.option
    test_database = _sqlite_test_database()
    if option.reuse_db or option.create_db or option.nomigrations:
        test_database = None
    if option.nomigrations:
        _disable_migrations()
    copy = None
    restored = False
    with django_db_blocker.unblock():
        if test_database is not None:
            copy = database_copies.copy_path(
                Path(settings.VAR_DIR), database_copies.migrations_key()
            )
            restored = database_copies.restore(copy, test_database)
        aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
        db_cfg = setup_databases(
            verbosity=option.verbose,
            interactive=False,
            aliases=dict.fromkeys(aliases),  # only "alias in aliases" is asked
            serialized_aliases=serialized_aliases,
            keepdb=restored or bool(option.reuse_db and not option.create_db),
        )
        if test_database is not None and copy is not None and not restored:
            database_copies.keep(test_database, copy)
        _load_demo_data()
        pytestconfig.stash[_SNAPSHOT] = _sqlite_snapshot()
    pytestconfig.stash[_BLOCKER] = django_db_blocker
    yield
    if not option.reuse_db:
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=option.verbose)


@pytest.fixture(scope="session")
def demo_database_copy(django_db_setup, pytestconfig):
    """``copy(path)`` writes the test database as it was right after the demo load (migrated,
    demo data committed) to a new SQLite file and returns True; on another database it writes
    nothing and returns False. For tests that serve egov from another process on SQLite."""
    snapshot = pytestconfig.stash[_SNAPSHOT]

    def copy(path) -> bool:
        if snapshot is None:
            return False
        target = sqlite3.connect(path)
        try:
            snapshot.backup(target)
        finally:
            target.close()
        return True

    return copy


def _demo_data_present() -> bool:
    from egov.accounts.models import User

    return User.objects.filter(username=_DEMO_ACCOUNT).exists()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    result = yield
    blocker = item.config.stash.get(_BLOCKER, None)
    if nextitem is not None and blocker is not None:
        with blocker.unblock():
            if not _demo_data_present():
                _put_demo_data_back(item.config.stash[_SNAPSHOT])
    return result


@pytest.fixture
def quang_ninh(db):
    """Names a test's dependency on the demo data (already in the test database)."""
    assert _demo_data_present()


@pytest.fixture
def empty_database(db):
    """For the few tests about a first load or a whole table: every table emptied inside the
    test's transaction (rolled back with it), as right after the migrations."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def receptionist_binh(quang_ninh):
    from egov.accounts.models import User

    return User.objects.get(username="tinh.tiepnhan")


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 30 s, 6 digits) computed independently of allauth.

    allauth accepts only the current 30-second window (no tolerance), so a code computed in the
    last moments of a window can expire before the request that carries it is checked. For the
    current time, wait for the next window when less than three seconds are left."""
    if at is None:
        left = 30 - time.time() % 30
        if left < 3:
            time.sleep(left + 0.05)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"
