"""Store documents made through the services, for tests of the store's pages, the officers'
access and the API: a scan checked against the original and an issued e-result."""

from __future__ import annotations

import datetime as dt
import io

from egov.accounts.actors import Actor
from egov.accounts.models import User
from egov.catalog.models import DocumentKind
from egov.core.uploads import store_private
from egov.datastore.models import OwnerKind, StoreDocument, StoreSource
from egov.datastore.services import (
    Owner,
    Paper,
    store_document_issue,
    store_document_store,
    store_document_verify,
)


def pdf(text: str = "giay to") -> io.BytesIO:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 760, text)
    canvas.showPage()
    canvas.save()
    buffer.seek(0)
    return buffer


def owner(identifier: str, name: str, account: User | None = None) -> Owner:
    return Owner(kind=OwnerKind.PERSON, identifier=identifier, name=name, account=account)


def verified_scan(
    officer: Actor,
    *,
    code: str,
    of: Owner,
    title: str = "Giấy khai sinh",
    kind: str = "giay-khai-sinh",
    number: str = "123/2001",
    issuer: str = "UBND phường Hồng Gai",
    issued_on: dt.date | None = dt.date(2001, 5, 4),
    dossier_code: str = "",
) -> StoreDocument:
    """A scan made at the desk, checked against the original and signed (state valid)."""
    paper = Paper(
        title=title,
        kind=DocumentKind.objects.get(code=kind),
        number=number,
        issuer=issuer,
        issued_on=issued_on,
    )
    scan = store_private(pdf(title), original_name="ban-quet.pdf", prefix="store")
    document = store_document_store(
        actor=officer,
        code=code,
        owner=of,
        paper=paper,
        source=StoreSource.SCAN,
        file=scan,
        unit=None,
        dossier_code=dossier_code,
    )
    signed = store_private(pdf(title + " ky so"), original_name="ky-so.pdf", prefix="store")
    return store_document_verify(
        actor=officer,
        document=document,
        signed_file=signed,
        signature_verdict="valid",
        signature_signer="Trần Thị Bình",
        paper=paper,
    )


def pending_scan(officer: Actor, *, code: str, of: Owner, title: str) -> StoreDocument:
    scan = store_private(pdf(title), original_name="cho.pdf", prefix="store")
    return store_document_store(
        actor=officer,
        code=code,
        owner=of,
        paper=Paper(title=title),
        source=StoreSource.SCAN,
        file=scan,
        unit=None,
    )


def issued_result(
    officer: Actor,
    *,
    code: str,
    of: Owner,
    title: str = "Phiếu lý lịch tư pháp số 1",
    dossier_code: str = "",
) -> StoreDocument:
    """A signed e-result put in the store (state valid)."""
    result = store_private(pdf(title), original_name="ket-qua.pdf", prefix="store")
    return store_document_issue(
        actor=officer,
        code=code,
        owner=of,
        paper=Paper(
            title=title, number="KQ-01", issuer="Sở Tư pháp", issued_on=dt.date(2026, 3, 2)
        ),
        source=StoreSource.RESULT,
        file=result,
        unit=None,
        signature_verdict="valid",
        signature_signer="Sở Tư pháp tỉnh Quảng Ninh",
        dossier_code=dossier_code,
    )
