"""Reading electronic copies, always within what the reader may see
(``permissions.visible_copies``)."""

from __future__ import annotations

from django.db.models import QuerySet

from egov.accounts.actors import Actor
from egov.documents.models import ElectronicCopy, IncomingDocument, OutgoingDocument
from egov.documents.permissions import visible_copies

MAX_LISTED = 200


def _listing(queryset: QuerySet[ElectronicCopy]) -> QuerySet[ElectronicCopy]:
    return queryset.select_related(
        "agency", "document_type", "file", "made_by", "incoming", "outgoing"
    ).order_by("-made_at", "-id")


def copies_of(
    actor: Actor,
    *,
    incoming: IncomingDocument | None = None,
    outgoing: OutgoingDocument | None = None,
    copy: ElectronicCopy | None = None,
) -> list[ElectronicCopy]:
    """The copies ``actor`` may see of one document (copies of its copies included) or of one
    copy, newest first."""
    queryset = visible_copies(actor)
    if incoming is not None:
        queryset = queryset.filter(incoming=incoming)
    elif outgoing is not None:
        queryset = queryset.filter(outgoing=outgoing)
    elif copy is not None:
        queryset = queryset.filter(source_copy=copy)
    else:
        return []
    return list(_listing(queryset)[:MAX_LISTED])


def recent_copies(actor: Actor, *, limit: int = 100) -> list[ElectronicCopy]:
    """The newest copies ``actor`` may see."""
    return list(_listing(visible_copies(actor))[: min(limit, MAX_LISTED)])
