"""Writes to the audit trail. Call ``audit_record`` inside the transaction of the change it
records, so the entry commits or rolls back together with that change."""

from __future__ import annotations

import json
from typing import Any, Protocol

from django.db import models, transaction
from django.utils import timezone

from egov.audit.hashing import entry_digest
from egov.audit.models import AuditChainHead, AuditEntry
from egov.core.clientip import client_ip, normalise_ip

__all__ = ["AuditActor", "audit_record", "client_ip"]


class AuditActor(Protocol):
    """Whoever a change is recorded against: a signed-in user is recorded by id and name; an
    anonymous visitor or the system itself (``accounts.actors``) as nobody. The audit trail
    sits below the accounts, so it knows only this shape."""

    @property
    def pk(self) -> int | None: ...

    @property
    def is_authenticated(self) -> bool: ...

    def get_username(self) -> str: ...


def _actor_fields(actor: AuditActor | None) -> tuple[int | None, str]:
    if actor is None or not actor.is_authenticated or actor.pk is None:
        return None, ""
    return int(actor.pk), actor.get_username()[:150]


def audit_record(
    *,
    actor: AuditActor | None,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    ip_address: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain (serialised by locking the chain head row)."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        object_repr = object_repr or str(target)
    # Round-trip through JSON so that what is hashed is exactly what the database returns.
    clean_details: dict[str, Any] = json.loads(json.dumps(details or {}, default=str))
    actor_id, actor_label = _actor_fields(actor)
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        sequence = head.last_sequence + 1
        moment = timezone.now()
        fields: dict[str, Any] = {
            "sequence": sequence,
            "moment": moment,
            "actor_id": actor_id,
            "actor_label": actor_label,
            "action": action[:64],
            "object_type": object_type[:100],
            "object_id": object_id[:64],
            "object_repr": object_repr[:255],
            "ip_address": normalise_ip(ip_address),
            "details": clean_details,
            "previous_hash": head.last_hash,
        }
        digest = entry_digest(**fields)
        entry = AuditEntry.objects.create(entry_hash=digest, **fields)
        head.last_sequence = sequence
        head.last_hash = digest
        head.save(update_fields=["last_sequence", "last_hash"])
    return entry
