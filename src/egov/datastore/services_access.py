"""The owner's looks at their own store (kept apart from ``services`` so that the writes of
the lifecycle stay in one module): each opened document and each download appends an audit
entry, so the owner can be told later who saw what — the owner included."""

from __future__ import annotations

from egov.accounts.actors import Actor, person
from egov.audit.services import audit_record
from egov.datastore.models import StoreDocument

OWNER_LOOKS = {"view": "datastore.opened", "download": "datastore.downloaded"}


def store_document_record_access(
    *, actor: Actor, document: StoreDocument, kind: str, ip_address: str | None = None
) -> None:
    """Audit the owner's view or download of ``document`` (loaded through
    ``datastore.permissions``). The entry names the document's code, never the owner's
    personal ID or tax code."""
    if kind not in OWNER_LOOKS:
        raise ValueError("kind is 'view' or 'download'")
    audit_record(
        actor=person(actor),
        action=OWNER_LOOKS[kind],
        object_type="datastore.storedocument",
        object_id=str(document.pk),
        object_repr=document.code,
        ip_address=ip_address,
        details={"document": document.code, "channel": "portal"},
    )
