"""A small fixed-window rate limit on the shared cache, for public endpoints (lookups,
submissions) that must not be enumerated or flooded."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

from egov.audit.services import client_ip


def hit(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request; False when the caller is over ``limit`` in the current window."""
    window = int(time.time() // window_seconds)
    key = f"rl:{scope}:{client_ip(request) or 'unknown'}:{window}"
    added = cache.add(key, 1, timeout=window_seconds + 5)
    count = 1 if added else cache.incr(key)
    return count <= limit
