"""Fixed-window rate limits that hold across every worker and host.

Each window of each subject is a row of ``core.RateCounter`` in the project's database,
counted by one atomic ``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` (SQLite ≥ 3.35 and
PostgreSQL both have it): one statement per request, exact under concurrency, and nothing per
process — with per-process counters N workers would allow N times a limit. (allauth keeps its
own sign-in limits in Django's cache, which is shared too: ``EGOV_CACHE_URL``.)

Callers count per client address (``hit``) or per anything else they can name, such as an
account or a phone number (``hit_key``); the address comes from ``egov.core.clientip``, the
one place that honours the trusted-proxy setting. Subjects are hashed: no phone number or
e-mail address is stored in clear."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
import time
from dataclasses import dataclass

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from egov.core.clientip import client_ip
from egov.core.models import RateCounter

_TABLE = RateCounter._meta.db_table
_UPSERT = (
    f"INSERT INTO {_TABLE} (key, hits, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
    f"ON CONFLICT (key) DO UPDATE SET hits = {_TABLE}.hits + 1 RETURNING hits"
)
# About one count in this many also deletes the windows that have ended.
SWEEP_EVERY = 500


def _key(scope: str, subject: str, window_seconds: int) -> tuple[str, dt.datetime]:
    window = int(time.time() // window_seconds)
    digest = hashlib.sha256(subject.encode()).hexdigest()[:40]
    ends = dt.datetime.fromtimestamp((window + 1) * window_seconds, tz=dt.UTC)
    return f"{scope[:40]}:{digest}:{window}", ends


@dataclass(frozen=True)
class Window:
    """One counted request's place in its window, for the RateLimit and Retry-After headers
    (RFC 9110 §10.2.3; the IETF "RateLimit header fields for HTTP" draft)."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int  # until the window ends: a refused client may retry then

    def headers(self) -> dict[str, str]:
        fields = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
        }
        if not self.allowed:
            fields["Retry-After"] = str(self.reset_seconds)
        return fields


def _count_with_end(scope: str, subject: str, *, window_seconds: int) -> tuple[int, dt.datetime]:
    key, ends = _key(scope, subject, window_seconds)
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [key, ends])
        (hits,) = cursor.fetchone()
    if secrets.randbelow(SWEEP_EVERY) == 0:
        RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return int(hits), ends


def _count(scope: str, subject: str, *, window_seconds: int) -> int:
    return _count_with_end(scope, subject, window_seconds=window_seconds)[0]


def take(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> Window:
    """Count one request of this client and say where it stands in the window."""
    return take_key(
        scope, client_ip(request) or "unknown", limit=limit, window_seconds=window_seconds
    )


def take_key(scope: str, subject: str, *, limit: int, window_seconds: int) -> Window:
    """Count one request of ``subject`` (an API client, an account) and say where it stands."""
    hits, ends = _count_with_end(scope, subject, window_seconds=window_seconds)
    left = max(1, math.ceil(ends.timestamp() - time.time()))
    return Window(
        allowed=hits <= limit,
        limit=limit,
        remaining=max(0, limit - hits),
        reset_seconds=left,
    )


def hit(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request of this client; False when it is over ``limit`` in the window."""
    return take(request, scope, limit=limit, window_seconds=window_seconds).allowed


def hit_key(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event for ``key`` (an account, a number); False when over ``limit``."""
    return _count(scope, key, window_seconds=window_seconds) <= limit


def record(scope: str, key: str, *, window_seconds: int) -> int:
    """Count one event for ``key`` without refusing anything (see ``over_limit``)."""
    return _count(scope, key, window_seconds=window_seconds)


def over_limit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Whether ``key`` already reached ``limit`` events in the window (counts nothing)."""
    counter_key, _ends = _key(scope, key, window_seconds)
    hits = RateCounter.objects.filter(key=counter_key).values_list("hits", flat=True).first()
    return (hits or 0) >= limit
