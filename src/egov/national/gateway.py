"""The configured DVCQG client (settings EGOV_NATIONAL_*; secrets only from the environment)."""

from __future__ import annotations

from django.conf import settings

from egov.contrib.dvcqg.client import DvcqgClient, DvcqgConfig


def sync_enabled() -> bool:
    return bool(settings.EGOV_NATIONAL_SYNC_ENABLED)


def national_client() -> DvcqgClient:
    return DvcqgClient(
        DvcqgConfig(
            url=settings.EGOV_NATIONAL_PORTAL_URL,
            username=settings.EGOV_NATIONAL_CLIENT_ID,
            password=settings.EGOV_NATIONAL_CLIENT_SECRET,
            unit_code=settings.EGOV_NATIONAL_UNIT_CODE,
            timeout=settings.EGOV_NATIONAL_TIMEOUT_SECONDS,
        )
    )
