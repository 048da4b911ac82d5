"""Secrets and signatures of deliveries, after the Standard Webhooks convention
(standardwebhooks.com, spec 1.0): a secret ``whsec_<base64 of 32 random bytes>``; headers
``webhook-id`` (the CloudEvent id), ``webhook-timestamp`` (Unix seconds of this attempt) and
``webhook-signature`` = ``v1,<base64 HMAC-SHA256(secret bytes, "<id>.<timestamp>.<body>")>``.
Signing the id and the timestamp with the body lets a receiver refuse a replayed message
(old timestamp) and de-duplicate on an id no one could have changed. During a rotation's
overlap, the header carries both signatures, space-separated, so no delivery fails while the
partner switches secrets.

Secrets are stored sealed (Fernet under a key derived from SECRET_KEY with this module's own
label): a database dump alone does not let anyone forge deliveries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from cryptography.fernet import Fernet
from django.conf import settings

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"egov-webhook-secret:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(
    secrets_in_use: Iterable[str], *, msg_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The request headers of one attempt, signed with each secret in use."""
    signatures = " ".join(
        sign(s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets_in_use
    )
    return {
        "Content-Type": "application/cloudevents+json; charset=utf-8",
        "Webhook-Id": msg_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signatures,
        "User-Agent": "egov-webhooks/1",
    }
