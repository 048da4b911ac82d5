"""Digitisation at reception (TT 01/2023/TT-VPCP Điều 8; NĐ 118/2025/NĐ-CP Điều 17 khoản 1
điểm c): every scan stored at the desk, and every file uploaded online once the desk receives
the dossier, becomes a **pending** document of the applicant's data store; the officer checks
it against the original and the "kết quả số hóa" is signed (``dossiers.digitisation_signing``)
— only then is it valid and reusable. Each check or rejection appends a ``digitise`` event to
the dossier's history. Where the dossier stands: ``dossiers.digitisation``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.catalog.document_kinds import kind_for_name
from egov.catalog.models import DocumentKind
from egov.core.models import StoredFile
from egov.core.uploads import discarded_on_failure, store_private
from egov.datastore.models import StoreDocument, StoreSource, StoreState
from egov.datastore.services import (
    Paper,
    store_document_issue,
    store_document_reject,
    store_document_revoke,
    store_document_store,
    store_document_verify,
)
from egov.dossiers.actions import DossierAction
from egov.dossiers.digitisation import applicant_owner, dossier_store_documents
from egov.dossiers.digitisation_signing import SIGNING_FAILED, sign_digitised
from egov.dossiers.eresults import result_agency
from egov.dossiers.events import record_event
from egov.dossiers.models import Dossier, DossierComponent, DossierFile, FileSource
from egov.dossiers.permissions import is_desk_of

# ValidationError.code of the refusal to anyone but the receiving desk (the API answers 403).
NOT_RECEIVING_DESK = "not_receiving_desk"
REPLACED_REASON = "Đã thay bằng bản số hóa khác."


def _next_code(dossier: Dossier) -> str:
    """``<dossier code>-SH<n>``, n counting this dossier's digitisation results (mã kết quả số
    hóa, TT 01/2023/TT-VPCP Điều 8)."""
    prefix = f"{dossier.code}-SH"
    taken = [
        code.removeprefix(prefix)
        for code in dossier_store_documents(dossier).values_list("code", flat=True)
        if code.startswith(prefix)
    ]
    numbers = [int(n) for n in taken if n.isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _paper_of(row: DossierComponent) -> Paper:
    component = row.component
    return Paper(title=component.name, kind=component.document_kind)


@transaction.atomic(savepoint=False)
def component_scan_store(
    *, actor: Actor, dossier: Dossier, row: DossierComponent, scan: StoredFile
) -> StoreDocument | None:
    """Keep the new scan of ``row`` as a pending store document of the applicant (in the
    caller's transaction) and point the component to it. The document it replaces is rejected
    (pending) or revoked (already valid), with the reason. None when the applicant has neither
    a personal ID nor a tax code (``digitisation.no_owner_reason``)."""
    previous = row.store_document
    if row.reused:
        # The desk scans the paper after all: the component is no longer taken from the store,
        # and the stored document it had reused (another dossier's) stays as it is.
        if previous is not None:
            DossierFile.objects.filter(
                dossier=dossier,
                component_id=row.component_id,
                source=FileSource.REUSED,
                file_id=previous.signed_file_id or previous.file_id,
            ).delete()
        DossierComponent.objects.filter(pk=row.pk).update(reused=False, reuse_rule="")
        row.reused, row.reuse_rule = False, ""
    elif (
        previous is not None
        and previous.source == StoreSource.SCAN
        and previous.source_dossier_id == dossier.pk
    ):
        # Only this dossier's own earlier scan is withdrawn.
        if previous.state == StoreState.PENDING:
            store_document_reject(actor=actor, document=previous, reason=REPLACED_REASON)
        elif previous.state == StoreState.VALID:
            store_document_revoke(actor=actor, document=previous, reason=REPLACED_REASON)
    owner = applicant_owner(dossier)
    document = None
    if owner is not None:
        document = store_document_store(
            actor=actor,
            code=_next_code(dossier),
            owner=owner,
            paper=_paper_of(row),
            source=StoreSource.SCAN,
            file=scan,
            unit=dossier.receiving_unit,
            dossier_code=dossier.code,
            dossier_id=dossier.pk,
        )
    if previous is not None or document is not None:
        DossierComponent.objects.filter(pk=row.pk).update(store_document=document)
        row.store_document = document
    return document


@transaction.atomic(savepoint=False)
def reception_scans_store(
    *, actor: Actor, dossier: Dossier, scans: dict[int, StoredFile]
) -> list[StoreDocument]:
    """The scans stored with a counter reception (component id → file), each kept as a
    pending store document (``component_scan_store``)."""
    rows = dossier.components.select_related("component", "store_document").filter(
        component_id__in=scans
    )
    kept = []
    for row in rows.order_by("component__order", "pk"):
        document = component_scan_store(
            actor=actor, dossier=dossier, row=row, scan=scans[row.component_id]
        )
        if document is not None:
            kept.append(document)
    return kept


def scan_in_store(scan: StoredFile) -> bool:
    """Whether a store document keeps this scan (then it is never released with its row)."""
    return StoreDocument.objects.filter(file=scan).exists()


@transaction.atomic(savepoint=False)
def online_uploads_store(*, actor: Actor, dossier: Dossier) -> list[StoreDocument]:
    """When the desk receives an online dossier: each file the applicant uploaded that is not
    in the store yet becomes a pending store document (a dossier accepted again after a
    supplement adds only its new files)."""
    owner = applicant_owner(dossier)
    if owner is None:
        return []
    kept = set(dossier_store_documents(dossier).values_list("file_id", flat=True))
    rows = {r.component_id: r for r in dossier.components.select_related("component")}
    created: list[StoreDocument] = []
    uploads = DossierFile.objects.filter(dossier=dossier, source=FileSource.UPLOAD).order_by(
        "added_at", "pk"
    )
    for upload in uploads.select_related("component"):
        if upload.file_id in kept or upload.component is None:
            continue
        document = store_document_store(
            actor=actor,
            code=_next_code(dossier),
            owner=owner,
            paper=Paper(title=upload.component.name, kind=upload.component.document_kind),
            source=StoreSource.UPLOAD,
            file=upload.file,
            unit=dossier.receiving_unit,
            dossier_code=dossier.code,
            dossier_id=dossier.pk,
        )
        kept.add(upload.file_id)
        created.append(document)
        row = rows.get(upload.component.pk)
        if row is not None and row.store_document_id is None:
            DossierComponent.objects.filter(pk=row.pk).update(store_document=document)
            row.store_document_id = document.pk
    return created


def _result_kind(dossier: Dossier) -> DocumentKind | None:
    """The kind of paper the procedure's result is, when its one named result maps to one."""
    results = dossier.procedure_version.results
    if not isinstance(results, list) or len(results) != 1:
        return None
    name = results[0].get("name", "") if isinstance(results[0], dict) else results[0]
    if not isinstance(name, str) or not name:
        return None
    return kind_for_name(name, list(DocumentKind.objects.all()))


@transaction.atomic(savepoint=False)
def result_issue_to_store(
    *, actor: Actor, dossier: Dossier, result: DossierFile
) -> StoreDocument | None:
    """A signed e-result enters the applicant's data store, valid (NĐ 45/2020/NĐ-CP Điều 16 as
    amended by NĐ 118/2025/NĐ-CP): code = the result code, its file the signed PDF. Nothing
    without an owner (no personal ID nor tax code), an unsigned file, or a code already kept
    (the same result attached again)."""
    owner = applicant_owner(dossier)
    if owner is None or not result.signature_verdict or not result.code:
        return None
    if StoreDocument.objects.filter(code=result.code).exists():
        return None
    results = dossier.procedure_version.results
    title = dossier.procedure_version.name
    if isinstance(results, list) and len(results) == 1 and isinstance(results[0], str):
        title = results[0]
    return store_document_issue(
        actor=actor,
        code=result.code,
        owner=owner,
        paper=Paper(title=title[:500], kind=_result_kind(dossier)),
        source=StoreSource.RESULT,
        file=result.file,
        unit=result_agency(dossier),
        signature_verdict=result.signature_verdict,
        signature_signer=result.signature_agency,
        dossier_code=dossier.code,
        dossier_id=dossier.pk,
    )


@dataclass(frozen=True)
class PaperDetails:
    """What the officer read on the original and confirms (``None``: keep what is stored)."""

    code: str
    kind: DocumentKind | None = None
    number: str = ""
    issuer: str = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None


def _check_desk(actor: Actor, dossier: Dossier) -> None:
    if not is_desk_of(actor, dossier):
        raise ValidationError(
            _("Chỉ bộ phận tiếp nhận hồ sơ mới được đối chiếu và ký số kết quả số hóa."),
            code=NOT_RECEIVING_DESK,
        )


def _pending(dossier: Dossier, code: str) -> StoreDocument:
    document = dossier_store_documents(dossier).filter(code=code).first()
    if document is None:
        raise ValidationError(_("Hồ sơ không có bản số hóa mã %s.") % code[:80], code="not_found")
    if document.state != StoreState.PENDING:
        raise ValidationError(
            _("Bản số hóa %s không còn chờ đối chiếu bản chính.") % document.code, code="state"
        )
    return document


def _clean_details(details: PaperDetails) -> None:
    if details.issued_on and details.expires_on and details.expires_on < details.issued_on:
        raise ValidationError(
            _("Ngày hết hạn của %s không được trước ngày cấp.") % details.code, code="invalid"
        )


def dossier_digitise_verify(
    *, actor: Actor, dossier: Dossier, papers: list[PaperDetails]
) -> list[StoreDocument]:
    """The officer checked each paper against the original: its "kết quả số hóa" is signed
    (the officer's personal signature, else the unit's — ``digitisation_signing``), stored and
    the store document becomes valid; one ``digitise`` event per document. Every document is
    checked first; signing happens outside the transaction (the time-stamping authority may be
    slow) and a signature that cannot be made leaves that document pending (ValidationError
    with ``SIGNING_FAILED``; those signed before it stay signed)."""
    _check_desk(actor, dossier)
    if not papers:
        raise ValidationError(_("Không có bản số hóa nào chờ đối chiếu bản chính."), code="empty")
    documents = []
    for details in papers:
        _clean_details(details)
        documents.append((_pending(dossier, details.code), details))
    done: list[StoreDocument] = []
    for document, details in documents:
        try:
            signed = sign_digitised(actor=actor, document=document, unit=dossier.receiving_unit)
        except ValidationError as exc:
            if not done:
                raise
            # Say what was signed before the failure: those stay signed.
            raise ValidationError(
                _("Đã ký số kết quả số hóa: %(done)s. %(error)s")
                % {"done": ", ".join(d.code for d in done), "error": " ".join(exc.messages)},
                code=SIGNING_FAILED,
            ) from None
        stored = store_private(
            ContentFile(signed.data),
            original_name=f"{document.code}.pdf",
            prefix="digitised",
            uploaded_by=person(actor),
        )
        with discarded_on_failure(stored), transaction.atomic():
            paper = Paper(
                title=document.title,
                kind=details.kind,
                number=details.number,
                issuer=details.issuer,
                issued_on=details.issued_on,
                expires_on=details.expires_on,
            )
            verified = store_document_verify(
                actor=actor,
                document=document,
                signed_file=stored,
                signature_verdict=signed.verdict,
                signature_signer=signed.signer,
                paper=paper,
            )
            _record(actor, dossier, "verify", verified, {"signer": signed.signer[:255]})
        done.append(verified)
    return done


def dossier_digitise_reject(
    *, actor: Actor, dossier: Dossier, code: str, reason: str
) -> StoreDocument:
    """ "Không khớp bản chính": the scan or upload does not match the original shown."""
    _check_desk(actor, dossier)
    document = _pending(dossier, code)
    with transaction.atomic():
        rejected = store_document_reject(actor=actor, document=document, reason=reason)
        _record(actor, dossier, "reject", rejected, {"reason": reason.strip()[:500]})
    return rejected


def _record(
    actor: Actor, dossier: Dossier, outcome: str, document: StoreDocument, extra: dict[str, str]
) -> None:
    record_event(
        dossier=dossier,
        action=DossierAction.DIGITISE,
        from_status=dossier.status,
        to_status=dossier.status,
        actor=actor,
        data={"document": document.code, "outcome": outcome, "title": document.title, **extra},
    )
