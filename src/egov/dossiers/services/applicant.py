"""What the applicant does to their own dossier online: send the requested supplement (with its
files), resubmit it for reception, or withdraw it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.uploads import delete_private, store_private
from egov.dossiers.models import Dossier, DossierFile, FileSource
from egov.dossiers.state import TransitionError, dossier_transition

APPLICANT_ACTIONS = ("supplemented", "resubmit_online", "withdraw")
# The actions that carry the supplement's files.
SUPPLEMENT_ACTIONS = ("supplemented", "resubmit_online")


def dossier_applicant_act(
    *,
    actor: Any,
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
        raise TransitionError(_("Thao tác không tồn tại."))
    stored: list[str] = []
    try:
        with transaction.atomic(durable=True):
            if action in SUPPLEMENT_ACTIONS:
                _add_supplement_files(dossier, files, stored)
            return dossier_transition(
                actor=actor,
                dossier=dossier,
                action=action,
                reason=reason,
                expected_revision=expected_revision,
            )
    except Exception:
        for path in stored:
            delete_private(path)
        raise


def _add_supplement_files(
    dossier: Dossier, files: Sequence[tuple[IO[bytes], str]], stored: list[str]
) -> None:
    if not files:
        raise ValidationError(_("Cần tải lên giấy tờ bổ sung."))
    for upload, name in files:
        kept = store_private(upload, original_name=name, prefix="applications")
        stored.append(kept.path)
        DossierFile.objects.create(
            dossier=dossier,
            source=FileSource.UPLOAD,
            added_at=timezone.now(),
            **kept.as_fields(),
        )
