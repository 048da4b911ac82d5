"""Verifying a delivery on the receiving side — the function partners copy (docs/webhooks.md).

Standard library only, no egov import: it is the receiver's code, shipped here so that the
tests' subscriber simulator runs exactly what the documentation tells partners to run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Protocol

TOLERANCE_SECONDS = 5 * 60


class Headers(Protocol):
    """Request headers looked up case-insensitively (a dict will do if its keys are as sent)."""

    def get(self, name: str, /) -> str | None: ...


class InvalidWebhook(Exception):
    """The message must be refused (answer 400 or 401, and do not process it)."""


def verify_webhook(
    secret: str,
    headers: Headers,
    body: bytes,
    *,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> str:
    """Check the ``Webhook-Signature`` of ``body`` (the raw bytes received, never re-encoded
    JSON) and that ``Webhook-Timestamp`` is within ``tolerance`` seconds of now. Returns the
    ``Webhook-Id`` — the idempotency key: process each id once. ``headers`` must look up
    names case-insensitively (as every web framework's request headers do)."""
    msg_id = headers.get("Webhook-Id") or ""
    stamp = headers.get("Webhook-Timestamp") or ""
    signatures = headers.get("Webhook-Signature") or ""
    if not msg_id or "." in msg_id or not stamp.isdigit() or not signatures:
        raise InvalidWebhook("missing or malformed webhook headers")
    current = time.time() if now is None else now
    if abs(current - int(stamp)) > tolerance:
        raise InvalidWebhook("timestamp outside the tolerance (replayed or clock skew)")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{stamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected.encode()):
            return msg_id
    raise InvalidWebhook("no valid signature")
