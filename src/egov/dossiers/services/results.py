"""E-results (NĐ 45/2020 Điều 14 khoản 3): the approved result file, coded
``<dossier code>-KQ<n>``, downloadable by the applicant with its SHA-256 shown.

The competent agency's digital signature on the file (PAdES) belongs here: when the signing
capability lands, the stored PDF is signed before it becomes a ``DossierFile`` and the
applicant's copy verifies in any PDF reader. Until then the hash is the integrity check.
"""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.audit.services import audit_record
from egov.core.models import StoredFile
from egov.core.uploads import discarded_on_failure, store_private
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import RESULT_STATUSES, Dossier, DossierFile, FileSource
from egov.dossiers.permissions import may_attach_result
from egov.dossiers.services.transitions import dossier_transition


def dossier_attach_result(
    *, actor: Actor, dossier: Dossier, upload: IO[bytes], original_name: str
) -> DossierFile:
    _check_may_attach(actor, dossier)
    stored = _store_result(actor, upload, original_name)
    with discarded_on_failure(stored), transaction.atomic():
        return _record_result(actor, dossier, stored)


def _check_may_attach(actor: Actor, dossier: Dossier) -> None:
    if not may_attach_result(actor, dossier):
        raise ValidationError(
            _("Chỉ lãnh đạo hoặc văn thư của cơ quan giải quyết đính kèm kết quả.")
        )
    if dossier.status not in RESULT_STATUSES or not dossier.result_code:
        raise ValidationError(_("Hồ sơ chưa được phê duyệt kết quả."))


def _store_result(actor: Actor, upload: IO[bytes], original_name: str) -> StoredFile:
    return store_private(
        upload, original_name=original_name, prefix="results", uploaded_by=person(actor)
    )


def _record_result(actor: Actor, dossier: Dossier, stored: StoredFile) -> DossierFile:
    _check_may_attach(actor, dossier)
    result = DossierFile.objects.create(
        dossier=dossier,
        source=FileSource.RESULT,
        code=dossier.result_code,
        file=stored,
        added_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="dossier.result_attached",
        target=dossier,
        details={"code": dossier.result_code, "sha256": stored.sha256},
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
    """The competent leader approves the result and, when given, attaches the result file —
    both or neither (a refused file leaves the dossier unapproved). The file is read, checked
    and stored before the transaction, so the approval's locks (the dossier row, the audit
    chain) are not held while it uploads. The PAdES signing of the result goes there too."""
    stored = _store_result(actor, result, result_name) if result is not None else None
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
        if stored is not None:
            _record_result(actor, approved, stored)
    return approved
