"""What the tests that start egov in another process share."""

from __future__ import annotations

import os


def host_environment(**settings: str) -> dict[str, str]:
    """The environment of a host that runs egov: this machine's, without the test run's own
    variables (EGOV_*, DATABASE_URL, DJANGO_* — the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE
    for Playwright, which check --deploy rightly refuses — and PYTEST_*), plus ``settings``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("EGOV_", "DATABASE_URL", "DJANGO_", "PYTEST_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="egov.settings", **settings)
    return env
