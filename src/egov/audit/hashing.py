"""Canonical serialisation and hash of one audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any


def canonical_moment(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_digest(
    *,
    sequence: int,
    moment: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    ip_address: str | None,
    details: dict[str, Any],
    previous_hash: str,
) -> str:
    payload = [
        sequence,
        canonical_moment(moment),
        actor_id,
        actor_label,
        action,
        object_type,
        object_id,
        object_repr,
        ip_address,
        details,
        previous_hash,
    ]
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
