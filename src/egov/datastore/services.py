"""Writes to the data store. Every function takes an explicit actor, runs in one transaction
and moves the document through ``state.move`` (which appends the event row); an audit entry
records who did it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
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
from egov.datastore.models import OcrStatus, OwnerKind, StoreDocument, StoreSource, StoreState
from egov.datastore.state import StoreAction, allowed, move
from egov.datastore.suggestions import CARD_KIND, PERSONAL_ID_DIGITS
from egov.datastore.tasks import recognise_store_document_task
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
    recognised = source in (StoreSource.SCAN, StoreSource.UPLOAD)
    if recognised:
        # Scans and uploads are recognised in the background as soon as they are kept.
        document.ocr_status = OcrStatus.QUEUED
    document.save()
    move(document, action, to_state=state, actor=actor, created=True, data={"source": source})
    if recognised:
        _enqueue_recognition(document)
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


def _end_with_reason(
    *,
    actor: Actor,
    document: StoreDocument,
    reason: str,
    action: StoreAction,
    to_state: str,
    no_reason: str,
    not_allowed: str,
) -> StoreDocument:
    locked = StoreDocument.objects.select_for_update().get(pk=document.pk)
    if not reason.strip():
        raise ValidationError(no_reason)
    if not allowed(locked, action):
        raise ValidationError(not_allowed)
    move(locked, action, to_state=to_state, actor=actor, data={"reason": reason.strip()[:500]})
    audit_record(actor=actor, action=f"datastore.{action}", target=locked)
    return locked


@transaction.atomic
def store_document_reject(*, actor: Actor, document: StoreDocument, reason: str) -> StoreDocument:
    """The officer found the scan or upload does not match the original."""
    return _end_with_reason(
        actor=actor,
        document=document,
        reason=reason,
        action=StoreAction.REJECT,
        to_state=StoreState.REJECTED,
        no_reason=_("Nêu lý do giấy tờ không khớp bản chính."),
        not_allowed=_("Giấy tờ này không còn chờ đối chiếu bản chính."),
    )


@transaction.atomic
def store_document_revoke(*, actor: Actor, document: StoreDocument, reason: str) -> StoreDocument:
    """Withdraw a valid document (wrong owner, replaced, annulled result)."""
    return _end_with_reason(
        actor=actor,
        document=document,
        reason=reason,
        action=StoreAction.REVOKE,
        to_state=StoreState.REVOKED,
        no_reason=_("Nêu lý do thu hồi giấy tờ."),
        not_allowed=_("Chỉ thu hồi được giấy tờ đang có giá trị sử dụng."),
    )


def _enqueue_recognition(document: StoreDocument) -> None:
    document_id = document.pk
    transaction.on_commit(lambda: recognise_store_document_task.enqueue(document_id))


def _run_abandoned(document: StoreDocument) -> bool:
    """A run is over by the OCR time limit (core.ocr stops it there); still "running" a minute
    later, its worker died and the document may be queued again."""
    started = document.ocr_started_at
    limit = dt.timedelta(seconds=settings.EGOV_OCR_TIMEOUT_SECONDS + 60)
    return started is None or timezone.now() - started > limit


@transaction.atomic
def store_document_recognise(*, actor: Actor, document: StoreDocument) -> StoreDocument:
    """Queue the document's file for OCR (again: after a failure, or to read it anew). The
    task runs once the transaction commits; ``recognition`` explains what it does."""
    locked = StoreDocument.objects.select_for_update().get(pk=document.pk)
    if locked.ocr_status == OcrStatus.QUEUED or (
        locked.ocr_status == OcrStatus.RUNNING and not _run_abandoned(locked)
    ):
        raise ValidationError(_("Giấy tờ này đang chờ hoặc đang được nhận dạng chữ."))
    if not allowed(locked, StoreAction.RECOGNISE):
        raise ValidationError(
            _("Chỉ nhận dạng chữ giấy tờ đang chờ đối chiếu hoặc đang có giá trị sử dụng.")
        )
    locked.ocr_status = OcrStatus.QUEUED
    locked.ocr_progress = 0
    locked.ocr_error = ""
    locked.save(update_fields=["ocr_status", "ocr_progress", "ocr_error"])
    _enqueue_recognition(locked)
    audit_record(actor=actor, action="datastore.recognise", target=locked)
    return locked


# The fields an officer confirms (from the suggestions or typed), and the suggestion each one
# may come from.
CONFIRMABLE_FIELDS = {"number": "number", "issued_on": "", "expires_on": "valid_until"}


@transaction.atomic
def store_document_confirm_fields(
    *,
    actor: Actor,
    document: StoreDocument,
    fields: Mapping[str, str | dt.date | None],
) -> StoreDocument:
    """Apply the values the officer confirmed (``number``, ``issued_on``, ``expires_on``; a
    field left out stays as it is). Suggested fields reach the document only this way; the
    event records what was set and which values were the suggestion unchanged."""
    unknown = sorted(set(fields) - set(CONFIRMABLE_FIELDS))
    if unknown:
        raise ValidationError(
            _("Không xác nhận được trường: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    locked = (
        StoreDocument.objects.select_for_update(of=("self",))
        .select_related("kind")
        .get(pk=document.pk)
    )
    if not allowed(locked, StoreAction.CONFIRM_FIELDS):
        raise ValidationError(_("Giấy tờ này không còn sửa được thông tin."))
    values = {name: _confirmed_value(locked, name, value) for name, value in fields.items()}
    issued_on = values.get("issued_on", locked.issued_on)
    expires_on = values.get("expires_on", locked.expires_on)
    dated = isinstance(issued_on, dt.date) and isinstance(expires_on, dt.date)
    if dated and expires_on < issued_on:  # type: ignore[operator]
        raise ValidationError(_("Ngày hết hạn không được trước ngày cấp."))
    for name, value in values.items():
        setattr(locked, name, value)
    locked.valid_until = valid_until(
        locked.kind, issued_on=locked.issued_on, expires_on=locked.expires_on
    )
    locked.search_text = search_text_of(locked)
    shown = {name: _as_text(value) for name, value in values.items()}
    from_suggestion = sorted(
        name
        for name, value in shown.items()
        if CONFIRMABLE_FIELDS[name]
        and locked.suggested_fields.get(CONFIRMABLE_FIELDS[name]) == value
    )
    move(
        locked,
        StoreAction.CONFIRM_FIELDS,
        actor=actor,
        data={"fields": shown, "from_suggestion": from_suggestion},
        fields=(*values, "valid_until", "search_text"),
    )
    audit_record(actor=actor, action="datastore.confirm_fields", target=locked, details=shown)
    return locked


def _confirmed_value(
    document: StoreDocument, name: str, value: str | dt.date | None
) -> str | dt.date | None:
    if name == "number":
        if not isinstance(value, str):
            raise ValidationError(_("Số, ký hiệu của giấy tờ phải là chữ."))
        number = value.strip()
        card = document.kind is not None and document.kind.code == CARD_KIND
        if card and number and not (number.isdigit() and len(number) == PERSONAL_ID_DIGITS):
            raise ValidationError(_("Số thẻ căn cước phải gồm 12 chữ số."))
        if len(number) > 100:
            raise ValidationError(_("Số, ký hiệu của giấy tờ dài quá 100 ký tự."))
        return number
    if value is not None and not isinstance(value, dt.date):
        raise ValidationError(_("Ngày cấp và ngày hết hạn phải là ngày hợp lệ."))
    return value


def _as_text(value: str | dt.date | None) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value or ""
