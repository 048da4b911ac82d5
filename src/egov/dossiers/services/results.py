"""E-results (NĐ 45/2020 Điều 14 khoản 3): the approved result file, coded
``<dossier code>-KQ<n>``, signed with the competent agency's certificate (PAdES B-LT,
``dossiers.eresults``) and downloadable by the applicant with its SHA-256 shown.

The file is signed and stored before the transaction, so the approval's locks (the dossier
row, the audit chain) are not held while it uploads or while the time-stamping authority
answers; if anything then fails, the stored file is discarded (nothing half-saved).
"""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.audit.services import audit_record
from egov.core.models import StoredFile
from egov.core.uploads import discarded_on_failure, store_private
from egov.dossiers.action_inputs import next_result_code
from egov.dossiers.actions import DossierAction
from egov.dossiers.eresults import SignedResult, sign_result
from egov.dossiers.models import RESULT_STATUSES, Dossier, DossierFile, FileSource
from egov.dossiers.permissions import may_attach_result, refusal
from egov.dossiers.services.digitisation import result_issue_to_store
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.state import TRANSITIONS


def dossier_attach_result(
    *, actor: Actor, dossier: Dossier, upload: IO[bytes], original_name: str
) -> DossierFile:
    _check_may_attach(actor, dossier)
    stored, signed = _store_result(actor, dossier, upload, original_name, dossier.result_code)
    with discarded_on_failure(stored), transaction.atomic():
        return _record_result(actor, dossier, stored, signed)


def _check_may_attach(actor: Actor, dossier: Dossier) -> None:
    if not may_attach_result(actor, dossier):
        raise ValidationError(
            _("Chỉ lãnh đạo hoặc văn thư của cơ quan giải quyết mới được đính kèm kết quả.")
        )
    if dossier.status not in RESULT_STATUSES or not dossier.result_code:
        raise ValidationError(_("Hồ sơ chưa được phê duyệt kết quả."))


def _store_result(
    actor: Actor, dossier: Dossier, upload: IO[bytes], original_name: str, code: str
) -> tuple[StoredFile, SignedResult]:
    """Sign the result with the competent agency's certificate, then store the signed PDF."""
    signed = sign_result(dossier=dossier, upload=upload, original_name=original_name, code=code)
    stored = store_private(
        ContentFile(signed.data),
        original_name=signed.name,
        prefix="results",
        uploaded_by=person(actor),
    )
    return stored, signed


def _record_result(
    actor: Actor, dossier: Dossier, stored: StoredFile, signed: SignedResult
) -> DossierFile:
    _check_may_attach(actor, dossier)
    result = DossierFile.objects.create(
        dossier=dossier,
        source=FileSource.RESULT,
        code=dossier.result_code,
        file=stored,
        added_at=timezone.now(),
        signature_verdict=signed.verdict,
        signature_agency=signed.agency[:255],
    )
    # The signed e-result is kept in the applicant's data store, valid.
    result_issue_to_store(actor=actor, dossier=dossier, result=result)
    audit_record(
        actor=actor,
        action="dossier.result_attached",
        target=dossier,
        details={
            "code": dossier.result_code,
            "sha256": stored.sha256,
            "signature": signed.verdict,
        },
    )
    return result


def dossier_approve(
    *,
    actor: Actor,
    dossier: Dossier,
    reason: str = "",
    data: dict[str, Any] | None = None,
    expected_revision: int | None = None,
    result: IO[bytes] | None = None,
    result_name: str = "",
) -> Dossier:
    """The competent leader approves the result and, when given, attaches the result file
    signed by the competent agency — both or neither: a refused file or a signature that
    cannot be made (ValidationError, in Vietnamese) leaves the dossier unapproved and nothing
    stored. The file is signed and stored before the transaction (module docstring), under
    the code the approval gives; if another approval took that code meanwhile, this one fails
    as stale."""
    stored, signed, code = None, None, ""
    approvable = dossier.status in TRANSITIONS[DossierAction.APPROVE].sources
    # An actor who may not approve gets the transition's own refusal, without a signature.
    if result is not None and approvable and refusal(actor, dossier, DossierAction.APPROVE) is None:
        code = next_result_code(dossier)
        stored, signed = _store_result(actor, dossier, result, result_name, code)
    files = [stored] if stored is not None else []
    with discarded_on_failure(*files), transaction.atomic(durable=True):
        approved = dossier_transition(
            actor=actor,
            dossier=dossier,
            action=DossierAction.APPROVE,
            reason=reason,
            data=data,
            expected_revision=expected_revision,
        )
        if stored is not None and signed is not None:
            if approved.result_code != code:
                raise ValidationError(
                    _("Hồ sơ %s vừa được người khác xử lý. Vui lòng tải lại trang và thử lại.")
                    % dossier.code
                )
            _record_result(actor, approved, stored, signed)
    return approved
