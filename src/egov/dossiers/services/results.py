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
from egov.core.uploads import discarded_on_failure, store_private
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import RESULT_STATUSES, Dossier, DossierFile, FileSource
from egov.dossiers.permissions import may_attach_result
from egov.dossiers.services.transitions import dossier_transition


def dossier_attach_result(
    *, actor: Actor, dossier: Dossier, upload: IO[bytes], original_name: str
) -> DossierFile:
    if not may_attach_result(actor, dossier):
        raise ValidationError(
            _("Chỉ lãnh đạo hoặc văn thư của cơ quan giải quyết đính kèm kết quả.")
        )
    if dossier.status not in RESULT_STATUSES or not dossier.result_code:
        raise ValidationError(_("Hồ sơ chưa được phê duyệt kết quả."))
    stored = store_private(
        upload, original_name=original_name, prefix="results", uploaded_by=person(actor)
    )
    with discarded_on_failure(stored), transaction.atomic():
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
    both or neither (a refused file leaves the dossier unapproved). The PAdES signing of the
    result goes here, before the file is attached."""
    with transaction.atomic(durable=True):
        approved = dossier_transition(
            actor=actor,
            dossier=dossier,
            action=DossierAction.APPROVE,
            reason=reason,
            data=data,
            expected_revision=expected_revision,
        )
        if result is not None:
            dossier_attach_result(
                actor=actor, dossier=approved, upload=result, original_name=result_name
            )
    return approved
