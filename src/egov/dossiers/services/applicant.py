"""What the applicant does to their own dossier online: send the requested supplement (with its
files), resubmit it for reception, or withdraw it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.core.models import StoredFile
from egov.core.uploads import discarded_on_failure, store_private
from egov.dossiers.actions import DossierAction
from egov.dossiers.errors import TransitionRefused
from egov.dossiers.models import Dossier, DossierFile, FileSource
from egov.dossiers.services.transitions import dossier_transition

APPLICANT_ACTIONS = (
    DossierAction.SUPPLEMENTED,
    DossierAction.RESUBMIT_ONLINE,
    DossierAction.WITHDRAW,
)
# The actions that carry the supplement's files.
SUPPLEMENT_ACTIONS = (DossierAction.SUPPLEMENTED, DossierAction.RESUBMIT_ONLINE)


def dossier_applicant_act(
    *,
    actor: Actor,
    dossier: Dossier,
    action: str,
    reason: str = "",
    expected_revision: int | None = None,
    files: Sequence[tuple[IO[bytes], str]] = (),
) -> Dossier:
    """Apply the applicant's ``action``; ``files`` (upload, original name) are added to the
    dossier with a supplement, and nothing is half-saved: a refused action takes its stored
    files with it. TransitionError or ValidationError (messages for the applicant)."""
    if action not in APPLICANT_ACTIONS:
        raise TransitionRefused(_("Thao tác không tồn tại."))
    with discarded_on_failure() as stored, transaction.atomic(durable=True):
        if action in SUPPLEMENT_ACTIONS:
            _add_supplement_files(actor, dossier, files, stored)
        return dossier_transition(
            actor=actor,
            dossier=dossier,
            action=action,
            reason=reason,
            expected_revision=expected_revision,
        )


def _add_supplement_files(
    actor: Actor,
    dossier: Dossier,
    files: Sequence[tuple[IO[bytes], str]],
    stored: list[StoredFile],
) -> None:
    if not files:
        raise ValidationError(_("Cần tải lên giấy tờ bổ sung."))
    for upload, name in files:
        kept = store_private(
            upload, original_name=name, prefix="applications", uploaded_by=person(actor)
        )
        stored.append(kept)
        DossierFile.objects.create(
            dossier=dossier, source=FileSource.UPLOAD, added_at=kept.uploaded_at, file=kept
        )
