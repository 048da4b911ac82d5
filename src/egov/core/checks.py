"""Start-up checks of the database settings (``manage.py check``, run at every deployment).

A read replica (``EGOV_REPLICA_URL``) is a PostgreSQL streaming standby of the primary: beside
SQLite, or with another engine, it cannot hold the primary's rows, and reports read from it
would answer from another database without any error to show it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from egov.core.replicas import REPLICA

POSTGRESQL = "django.db.backends.postgresql"


def replica_problems(databases: dict[str, dict[str, Any]]) -> list[CheckMessage]:
    if REPLICA not in databases:
        return []
    primary = databases["default"]["ENGINE"]
    replica = databases[REPLICA]["ENGINE"]
    if primary != POSTGRESQL:
        return [
            Error(
                f"EGOV_REPLICA_URL is set but the primary database (DATABASE_URL) is {primary}: "
                "a read replica needs PostgreSQL streaming replication.",
                hint="Unset EGOV_REPLICA_URL, or move the primary to PostgreSQL.",
                id="core.E001",
            )
        ]
    if replica != primary:
        return [
            Error(
                f"EGOV_REPLICA_URL names a {replica} database; the primary is {primary}.",
                hint="Point EGOV_REPLICA_URL at a PostgreSQL standby of the primary.",
                id="core.E002",
            )
        ]
    return []


@register("egov")
def replica_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return replica_problems(settings.DATABASES)
