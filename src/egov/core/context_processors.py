from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.EGOV_SITE_NAME,
        "ENVIRONMENT": settings.ENVIRONMENT,
        "SIMULATED_PHONE": settings.EGOV_SIMULATED_PHONE,
        "SIMULATED_MAILBOX": settings.EGOV_SIMULATED_MAILBOX,
    }
