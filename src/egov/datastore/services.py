"""Writes to the data store. Every function takes an explicit actor, runs in one transaction
and moves the document through ``state.move`` (which appends the event row); an audit entry
records who did it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.accounts.models import User
from egov.audit.services import audit_record
from egov.catalog.document_kinds import valid_until
from egov.catalog.models import DocumentKind
from egov.core.models import StoredFile
from egov.core.text import fold
from egov.datastore.models import OwnerKind, StoreDocument, StoreSource, StoreState
from egov.datastore.state import StoreAction, allowed, move
from egov.org.models import Unit


@dataclass(frozen=True)
class Owner:
    """Whose store: a person by personal ID or an organisation by tax code."""

    kind: str
    identifier: str
    name: str
    account: User | None = None

    def clean(self) -> Owner:
        identifier = self.identifier.strip()
        if self.kind == OwnerKind.PERSON and not (identifier.isdigit() and len(identifier) == 12):
            raise ValidationError(_("Số định danh cá nhân phải gồm 12 chữ số."))
        if self.kind == OwnerKind.ORGANISATION and not (
            identifier.replace("-", "").isdigit() and len(identifier) in (10, 14)
        ):
            raise ValidationError(_("Mã số thuế phải gồm 10 chữ số (hoặc 10 chữ số, dấu -, 3 số)."))
        if self.kind not in OwnerKind.values:
            raise ValidationError(_("Chủ sở hữu phải là cá nhân hoặc tổ chức."))
        return Owner(self.kind, identifier, self.name.strip()[:255], self.account)


@dataclass(frozen=True)
class Paper:
    """What is known about the paper itself."""

    title: str
    kind: DocumentKind | None = None
    number: str = ""
    issuer: str = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None


def search_text_of(document: StoreDocument) -> str:
    return fold(" ".join([document.title, document.number, document.issuer, document.ocr_text]))


def _create(
    *,
    actor: Actor,
    code: str,
    owner: Owner,
    paper: Paper,
    source: str,
    file: StoredFile,
    unit: Unit | None,
    dossier_code: str,
    dossier_id: int | None,
    action: StoreAction,
    state: str,
    signed_file: StoredFile | None = None,
    signature_verdict: str = "",
    signature_signer: str = "",
    pages: int | None = None,
) -> StoreDocument:
    owner = owner.clean()
    if not paper.title.strip():
        raise ValidationError(_("Giấy tờ phải có tên."))
    if StoreDocument.objects.filter(code=code).exists():
        raise ValidationError(_("Mã kết quả số hóa %s đã có trong kho.") % code)
    now = timezone.now()
    document = StoreDocument(
        code=code,
        owner_kind=owner.kind,
        owner_identifier=owner.identifier,
        owner_name=owner.name,
        owner_account=owner.account,
        kind=paper.kind,
        title=paper.title.strip()[:500],
        number=paper.number.strip()[:100],
        issuer=paper.issuer.strip()[:255],
        issued_on=paper.issued_on,
        expires_on=paper.expires_on,
        valid_until=valid_until(paper.kind, issued_on=paper.issued_on, expires_on=paper.expires_on),
        source=source,
        source_dossier_code=dossier_code,
        source_dossier_id=dossier_id,
        unit=unit,
        file=file,
        signed_file=signed_file,
        pages=pages,
        state=state,
        digitised_by=person(actor) if state == StoreState.VALID else None,
        digitised_at=now if state == StoreState.VALID else None,
        signature_verdict=signature_verdict,
        signature_signer=signature_signer[:255],
        created_at=now,
    )
    document.search_text = search_text_of(document)
    document.save()
    move(document, action, to_state=state, actor=actor, created=True, data={"source": source})
    audit_record(
        actor=actor,
        action=f"datastore.{action}",
        target=document,
        details={"source": source, "dossier": dossier_code, "sha256": file.sha256},
    )
    return document


@transaction.atomic
def store_document_store(
    *,
    actor: Actor,
    code: str,
    owner: Owner,
    paper: Paper,
    source: str,
    file: StoredFile,
    unit: Unit | None,
    dossier_code: str = "",
    dossier_id: int | None = None,
) -> StoreDocument:
    """Keep a scan or an upload, waiting for the officer to check it against the original."""
    if source not in (StoreSource.SCAN, StoreSource.UPLOAD):
        raise ValidationError(_("Chỉ bản quét hoặc tệp tải lên mới chờ đối chiếu bản chính."))
    return _create(
        actor=actor,
        code=code,
        owner=owner,
        paper=paper,
        source=source,
        file=file,
        unit=unit,
        dossier_code=dossier_code,
        dossier_id=dossier_id,
        action=StoreAction.STORE,
        state=StoreState.PENDING,
    )


@transaction.atomic
def store_document_issue(
    *,
    actor: Actor,
    code: str,
    owner: Owner,
    paper: Paper,
    source: str,
    file: StoredFile,
    unit: Unit | None,
    signature_verdict: str,
    signature_signer: str,
    dossier_code: str = "",
    dossier_id: int | None = None,
    pages: int | None = None,
) -> StoreDocument:
    """Put a signed e-result or electronic certified copy in its owner's store, valid."""
    if source not in (StoreSource.RESULT, StoreSource.CERTIFIED_COPY):
        raise ValidationError(_("Chỉ kết quả điện tử hoặc bản sao chứng thực được cấp vào kho."))
    return _create(
        actor=actor,
        code=code,
        owner=owner,
        paper=paper,
        source=source,
        file=file,
        unit=unit,
        dossier_code=dossier_code,
        dossier_id=dossier_id,
        action=StoreAction.ISSUE,
        state=StoreState.VALID,
        signed_file=file,
        signature_verdict=signature_verdict,
        signature_signer=signature_signer,
        pages=pages,
    )


@transaction.atomic
def store_document_verify(
    *,
    actor: Actor,
    document: StoreDocument,
    signed_file: StoredFile,
    signature_verdict: str,
    signature_signer: str,
    paper: Paper | None = None,
) -> StoreDocument:
    """The officer checked the paper against the original and the "kết quả số hóa" was signed
    (the caller signs it through egov.signing and stores the signed PDF first)."""
    locked = StoreDocument.objects.select_for_update().get(pk=document.pk)
    if not allowed(locked, StoreAction.VERIFY):
        raise ValidationError(_("Giấy tờ này không còn chờ đối chiếu bản chính."))
    fields: list[str] = [
        "signed_file",
        "signature_verdict",
        "signature_signer",
        "digitised_by",
        "digitised_at",
    ]
    if paper is not None:
        locked.kind = paper.kind
        locked.title = paper.title.strip()[:500] or locked.title
        locked.number = paper.number.strip()[:100]
        locked.issuer = paper.issuer.strip()[:255]
        locked.issued_on = paper.issued_on
        locked.expires_on = paper.expires_on
        locked.valid_until = valid_until(
            paper.kind, issued_on=paper.issued_on, expires_on=paper.expires_on
        )
        locked.search_text = search_text_of(locked)
        fields += [
            "kind",
            "title",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "valid_until",
            "search_text",
        ]
    locked.signed_file = signed_file
    locked.signature_verdict = signature_verdict
    locked.signature_signer = signature_signer[:255]
    locked.digitised_by = person(actor)
    locked.digitised_at = timezone.now()
    move(locked, StoreAction.VERIFY, to_state=StoreState.VALID, actor=actor, fields=tuple(fields))
    audit_record(actor=actor, action="datastore.verify", target=locked)
    return locked


@transaction.atomic
def store_document_reject(*, actor: Actor, document: StoreDocument, reason: str) -> StoreDocument:
    locked = StoreDocument.objects.select_for_update().get(pk=document.pk)
    if not reason.strip():
        raise ValidationError(_("Nêu lý do giấy tờ không khớp bản chính."))
    if not allowed(locked, StoreAction.REJECT):
        raise ValidationError(_("Giấy tờ này không còn chờ đối chiếu bản chính."))
    move(
        locked,
        StoreAction.REJECT,
        to_state=StoreState.REJECTED,
        actor=actor,
        data={"reason": reason.strip()[:500]},
    )
    audit_record(actor=actor, action="datastore.reject", target=locked)
    return locked


@transaction.atomic
def store_document_revoke(*, actor: Actor, document: StoreDocument, reason: str) -> StoreDocument:
    locked = StoreDocument.objects.select_for_update().get(pk=document.pk)
    if not reason.strip():
        raise ValidationError(_("Nêu lý do thu hồi giấy tờ."))
    if not allowed(locked, StoreAction.REVOKE):
        raise ValidationError(_("Chỉ thu hồi được giấy tờ đang có giá trị sử dụng."))
    move(
        locked,
        StoreAction.REVOKE,
        to_state=StoreState.REVOKED,
        actor=actor,
        data={"reason": reason.strip()[:500]},
    )
    audit_record(actor=actor, action="datastore.revoke", target=locked)
    return locked
