"""Fixed-window rate limits on the shared cache (``CACHES["default"]``: the database cache on
one host, Redis for several — never a per-process cache, or each worker would count on its
own and N workers would allow N times the limit).

Callers count per client address (``hit``) or per anything else they can name, such as an
account or a phone number (``hit_key``); both take the client address from
``egov.core.clientip``, the one place that honours the trusted-proxy setting."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest

from egov.core.clientip import client_ip


def _key(scope: str, subject: str, window_seconds: int) -> str:
    window = int(time.time() // window_seconds)
    # Hash the subject: cache keys must be short and printable, and a phone number or an
    # e-mail address should not sit in the cache in clear.
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{window}"


def _count(scope: str, subject: str, *, window_seconds: int) -> int:
    key = _key(scope, subject, window_seconds)
    if cache.add(key, 1, timeout=window_seconds + 5):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.add(key, 1, timeout=window_seconds + 5)
        return 1


def hit(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request of this client; False when it is over ``limit`` in the window."""
    subject = client_ip(request) or "unknown"
    return _count(scope, subject, window_seconds=window_seconds) <= limit


def hit_key(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event for ``key`` (an account, a number); False when over ``limit``."""
    return _count(scope, key, window_seconds=window_seconds) <= limit


def record(scope: str, key: str, *, window_seconds: int) -> int:
    """Count one event for ``key`` without refusing anything (see ``over_limit``)."""
    return _count(scope, key, window_seconds=window_seconds)


def over_limit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Whether ``key`` already reached ``limit`` events in the window (counts nothing)."""
    return int(cache.get(_key(scope, key, window_seconds), 0)) >= limit
