"""One-time codes in the outbox, sealed.

The outbox keeps what was sent so staff can answer "what did we send?", but a live sign-in
or verification code must not be readable by anyone with access to the outbox (staff pages,
the admin, a database dump). A message carrying such a code is stored with the code masked;
the real text travels beside it encrypted (Fernet: AES-128-CBC + HMAC-SHA256) under a key
derived from SECRET_KEY, is opened only by the worker at the moment of delivery, and is
erased once the message is sent or given up."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

MASK = "******"
SEALED_KEY = "sealed"


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"egov-outbox-seal:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def unseal(token: str) -> str | None:
    """The sealed text, or None when it cannot be opened (SECRET_KEY changed since)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None
