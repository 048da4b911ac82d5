"""Start-up checks of the dossier settings (``manage.py check``, run at every deployment): a
receipt QR template (EGOV_RECEIPT_QR) that names an unknown field would otherwise fail only
when the first receipt is printed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from egov.dossiers.printing.qr import template_problem


@register("egov")
def receipt_qr_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problem = template_problem(settings.EGOV_RECEIPT_QR)
    return [Error(problem, id="dossiers.E001")] if problem else []
