"""The one function that tells who is calling: the audit trail, our rate limits and
django-allauth (through the account adapter) all ask it, so that behind the documented reverse
proxy every one of them sees the citizen's address and never the proxy's."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import models
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, honouring ``EGOV_TRUSTED_PROXY_COUNT`` reverse proxies.

    With N trusted proxies, each appends the address it received the request from to
    ``X-Forwarded-For``; the N-th entry from the right is therefore the one written by our
    outermost proxy, the only one a client cannot forge. With 0, ``REMOTE_ADDR`` is used and
    the header is ignored (a client could write anything there)."""
    if request is None:
        return None
    candidate: str | None = request.META.get("REMOTE_ADDR")
    proxies = settings.EGOV_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
    return normalise_ip(candidate)


def normalise_ip(value: str | None) -> str | None:
    """The canonical text of an IP address (as PostgreSQL's inet returns it), None if the
    value is not one."""
    if not value:
        return None
    try:
        ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # Django's own normalisation, so a hashed audit entry equals what the database returns.
    prepared: str | None = models.GenericIPAddressField().get_prep_value(value.strip())
    return prepared
