"""Reads of the data store that are not about who may see what (that is ``permissions``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from egov.catalog.document_kinds import is_reusable
from egov.catalog.models import DocumentKind
from egov.datastore.models import StoreDocument, StoreState


def still_valid(on: dt.date) -> Q:
    return Q(state=StoreState.VALID) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def reusable_documents(
    *, owner_kind: str, owner_identifier: str, kind: DocumentKind | None, on: dt.date | None = None
) -> QuerySet[StoreDocument]:
    """The owner's documents that may stand for a component asking for ``kind`` on ``on``:
    same kind, valid (checked and signed, not revoked) and not past their validity — newest
    first. None for a kind that is never reused (văn bản ủy quyền) or no kind at all."""
    if not owner_identifier or not is_reusable(kind):
        return StoreDocument.objects.none()
    day = on or timezone.localdate()
    return (
        StoreDocument.objects.filter(
            still_valid(day),
            owner_kind=owner_kind,
            owner_identifier=owner_identifier,
            kind=kind,
        )
        .select_related("kind", "file", "signed_file")
        .order_by("-issued_on", "-created_at", "-id")
    )
