"""Digitising the components of a dossier at the desk (NĐ 107/2021/NĐ-CP amending NĐ 61/2018,
Điều 1; TT 01/2023/TT-VPCP): each received component may carry one scanned file."""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.audit.services import audit_record
from egov.core.uploads import discarded_on_failure, release_stored, store_private
from egov.dossiers.digitisation_flags import refresh_digitisation_flags
from egov.dossiers.models import Dossier, DossierComponent
from egov.dossiers.permissions import is_desk_of
from egov.dossiers.services.digitisation import component_scan_store, scan_in_store

# ValidationError.code of the refusal to anyone but the desk that received the dossier.
NOT_RECEIVING_DESK = "not_receiving_desk"


def dossier_attach_scan(
    *,
    actor: Actor,
    dossier: Dossier,
    component: DossierComponent,
    upload: IO[bytes],
    original_name: str,
) -> DossierComponent:
    """Store the scan of one received component (replacing an earlier scan). Only the desk
    that received the dossier digitises it."""
    if component.dossier_id != dossier.pk:
        raise ValidationError(_("Thành phần không thuộc hồ sơ này."))
    if not is_desk_of(actor, dossier):
        # The code lets the API answer 403 (a role, not the file); the web page shows the text.
        raise ValidationError(
            _("Chỉ bộ phận tiếp nhận hồ sơ mới được số hóa thành phần hồ sơ."),
            code=NOT_RECEIVING_DESK,
        )
    stored = store_private(
        upload,
        original_name=original_name,
        prefix="dossiers",
        uploaded_by=person(actor),
        scan=True,
    )
    previous = component.scan
    # Nothing half-saved: on failure the row keeps its old scan and the new one is discarded.
    with discarded_on_failure(stored), transaction.atomic():
        DossierComponent.objects.filter(pk=component.pk).update(scan=stored)
        # The scan is also kept, pending, in the applicant's data store (TT 01/2023 Điều 8).
        component_scan_store(actor=actor, dossier=dossier, row=component, scan=stored)
        refresh_digitisation_flags(dossier)
        if previous is not None and not scan_in_store(previous):
            release_stored(previous)  # its bytes go once the new scan is committed
        audit_record(
            actor=actor,
            action="dossier.scan_attached",
            target=dossier,
            details={"component": component.component_id, "sha256": stored.sha256},
        )
    component.refresh_from_db()
    return component
