"""Browsers an account has already signed in from ("device cookies").

The slower per-account back-off stops a guessing attack spread over many addresses, but on
its own anyone could trigger it on purpose and lock the owner out. A browser where the
account signed in before carries a signed cookie naming the account (as hashes of the names
it signs in with); such a browser is not held back by the per-account back-off — only by the
per-address limits — so the owner keeps signing in while an attack runs elsewhere. (The idea
is OWASP's "device cookies" against online guessing.)"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE = "egov_known_device"
SALT = "egov.accounts.known-device"
MAX_AGE = 365 * 24 * 3600
MAX_ACCOUNTS = 5  # a shared family computer remembers a few accounts, not a crowd


def _digest(subject: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{subject}".encode()).hexdigest()[:24]


def _remembered(request: HttpRequest) -> list[str]:
    raw = request.COOKIES.get(COOKIE, "")
    if not raw:
        return []
    try:
        value = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    return [str(item) for item in value] if isinstance(value, list) else []


def is_known(request: HttpRequest, subject: str) -> bool:
    return _digest(subject) in _remembered(request)


def subjects_of(user: Any) -> list[str]:
    """The names ``user`` signs in with, as ``login_subject`` writes them."""
    names = [str(user.get_username()).lower()]
    if user.email:
        names.append(str(user.email).lower())
    from egov.accounts.models import CitizenProfile

    phone = (
        CitizenProfile.objects.filter(user=user.pk, phone_verified_at__isnull=False)
        .exclude(phone="")
        .values_list("phone", flat=True)
        .first()
    )
    return [*names, phone] if phone else names


def remember(request: HttpRequest, response: HttpResponse, user: Any) -> None:
    digests = [_digest(name) for name in subjects_of(user)]
    kept = [d for d in _remembered(request) if d not in digests]
    value = signing.dumps((digests + kept)[: MAX_ACCOUNTS * 3], salt=SALT)
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
