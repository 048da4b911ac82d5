"""Records authentication events. Django's auth signals are the only hook Django offers
for them; the receivers only forward to the audit service."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from egov.audit.services import audit_record
from egov.core.clientip import client_ip


@receiver(user_logged_in, dispatch_uid="egov.audit.login")
def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="auth.login", target=user, ip_address=client_ip(request))


@receiver(user_logged_out, dispatch_uid="egov.audit.logout")
def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.logout", target=user, ip_address=client_ip(request))


@receiver(user_login_failed, dispatch_uid="egov.audit.login_failed")
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the identifier the person typed is kept (never the password) — a security
    # record in the database, not a log line.
    identifier = str(
        credentials.get("username") or credentials.get("email") or credentials.get("login") or ""
    )
    audit_record(
        actor=None,
        action="auth.login_failed",
        details={"identifier": identifier[:150]},
        ip_address=client_ip(request),
    )
