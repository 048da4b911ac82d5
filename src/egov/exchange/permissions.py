"""Who may see and answer what the axis brought: the văn thư of the receiving agency
(the same people who receive and register its incoming documents, NĐ 30/2020 Điều 21-22)."""

from __future__ import annotations

from egov.accounts.actors import Actor
from egov.documents.permissions import may_register_incoming
from egov.exchange.models import ReceivedPackage


def get_received_for_actor(actor: Actor, pk: int) -> ReceivedPackage | None:
    """A received package of an agency whose clerk ``actor`` is, else None."""
    row = ReceivedPackage.objects.select_related("agency").filter(pk=pk).first()
    if row is None or row.agency is None or not may_register_incoming(actor, row.agency):
        return None
    return row
