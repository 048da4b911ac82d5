"""Typed readers for settings taken from the environment.

Every helper fails loudly (``ImproperlyConfigured``) on a value it cannot parse, so a
typo in a deployment stops the process at start-up instead of running with a default.
Secrets can also be read from a file named by ``<NAME>_FILE`` (container/secret stores).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be ≥ {minimum}, got {number}")
    return number


def env_date(name: str) -> dt.date | None:
    """An ISO day (YYYY-MM-DD), or None when unset or empty."""
    value = _raw(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a day YYYY-MM-DD, got {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name} must be one of {allowed}, got {value!r}")
    return value


def env_secret(name: str, default: str | None = None) -> str:
    """Read a secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    file_name = _raw(f"{name}_FILE")
    if file_name:
        path = Path(file_name)
        try:
            secret = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {exc}") from None
        if not secret:
            raise ImproperlyConfigured(f"{name}_FILE points to an empty file")
        return secret
    value = _raw(name)
    if value:
        return value
    if default is None:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set")
    return default


def database_settings(url: str, conn_max_age: int) -> dict[str, Any]:
    """One ``DATABASES`` entry from a database URL, with the options egov runs with: the same
    for the primary (``DATABASE_URL``) and a read replica (``EGOV_REPLICA_URL``)."""
    database: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions take the write lock up front, so concurrent writers queue
        # instead of failing with "database is locked" half-way; WAL lets readers continue.
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    if database["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: it starts for any plan priced above jit_above_cost and takes
        # 100-200 ms, which short queries never win back; the document search's time windows
        # (documents.search_postgres) are priced as if every window ran and would pay it.
        database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return database


CACHE_TABLE = "egov_cache"


def cache_settings(url: str, key_prefix: str = "egov") -> dict[str, dict[str, object]]:
    """``CACHES`` from ``EGOV_CACHE_URL``: "database" (the project's database, table
    ``egov_cache``) or ``redis://``/``rediss://`` URLs (Django's Redis backend). A per-process
    cache is refused on purpose: limits kept in it would not hold across workers."""
    if url == "database":
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": CACHE_TABLE,
                # allauth's sign-in windows and JWKS are short-lived. Django counts the table
                # on every write and culls past MAX_ENTRIES: large enough that a flood of
                # made-up names cannot cull live sign-in counters, small enough to count fast
                # (our own limits are not here: core.ratelimit).
                "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 4},
            }
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": key_prefix,
            }
        }
    raise ImproperlyConfigured(
        f'EGOV_CACHE_URL must be "database" or a redis:// URL, got {url!r} '
        "(a per-process cache would let every worker count rate limits on its own)"
    )
