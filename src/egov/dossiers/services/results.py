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

from egov.accounts.models import Role
from egov.audit.services import audit_record
from egov.core.uploads import discard_stored, store_private
from egov.dossiers.models import Dossier, DossierFile, DossierStatus, FileSource
from egov.dossiers.state import actor_roles

RESULT_STATUSES = (
    DossierStatus.RESULT_READY,
    DossierStatus.RESULT_IN_TRANSIT,
    DossierStatus.RETURNED,
)


def dossier_attach_result(
    *, actor: Any, dossier: Dossier, upload: IO[bytes], original_name: str
) -> DossierFile:
    if not actor_roles(actor, dossier) & {Role.DEPARTMENT_LEADER, Role.CLERK}:
        raise ValidationError(
            _("Chỉ lãnh đạo hoặc văn thư của cơ quan giải quyết đính kèm kết quả.")
        )
    if dossier.status not in RESULT_STATUSES or not dossier.result_code:
        raise ValidationError(_("Hồ sơ chưa được phê duyệt kết quả."))
    stored = store_private(upload, original_name=original_name, prefix="results", uploaded_by=actor)
    try:
        with transaction.atomic():
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
    except Exception:
        discard_stored(stored)
        raise
    return result
