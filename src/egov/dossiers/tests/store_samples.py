"""Documents in a person's data store for the reuse tests (made as the desk makes them: stored,
then checked against the original and signed)."""

from __future__ import annotations

import datetime as dt
import io

from egov.catalog.models import DocumentKind
from egov.core.uploads import store_private
from egov.datastore.models import OwnerKind, StoreDocument, StoreSource
from egov.datastore.services import Owner, Paper, store_document_store, store_document_verify

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored_document(
    actor,
    *,
    code: str,
    personal_id: str = "022084000123",
    name: str = "Nguyễn Văn An",
    kind: str = "the-can-cuoc",
    expires_on: dt.date | None = dt.date(2030, 5, 1),
    issued_on: dt.date | None = dt.date(2024, 5, 1),
    account=None,
    title: str = "Thẻ căn cước",
    number: str = "022084000123",
    issuer: str = "Bộ Công an",
) -> StoreDocument:
    """A valid document of ``kind`` in the person's store."""
    scan = store_private(
        io.BytesIO(PDF), original_name=f"{code}.pdf", prefix="store", uploaded_by=actor
    )
    document_kind = DocumentKind.objects.get(code=kind)
    paper = Paper(
        title=title,
        kind=document_kind,
        number=number,
        issuer=issuer,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    document = store_document_store(
        actor=actor,
        code=code,
        owner=Owner(kind=OwnerKind.PERSON, identifier=personal_id, name=name, account=account),
        paper=paper,
        source=StoreSource.SCAN,
        file=scan,
        unit=None,
    )
    signed = store_private(
        io.BytesIO(PDF + b"%signed\n"),
        original_name=f"{code}-ky-so.pdf",
        prefix="store",
        uploaded_by=actor,
    )
    return store_document_verify(
        actor=actor,
        document=document,
        signed_file=signed,
        signature_verdict="valid",
        signature_signer="Lê Thị Bình",
        paper=paper,
    )
