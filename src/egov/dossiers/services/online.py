"""Dossiers submitted online by a citizen account (NĐ 45/2020; NĐ 42/2022 online services).

A submitted dossier gets its code at once (the unit's daily sequence, TT 01/2018 Điều 19) and
waits for the desk, which must accept it, ask for a supplement listing every item, or refuse
it within 8 working hours. Its legal processing time starts when it is accepted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.accounts.models import User
from egov.catalog.fees import quote
from egov.catalog.models import ChannelKind, ProcedureVersion
from egov.core.models import StoredFile
from egov.dossiers.actions import DossierAction
from egov.dossiers.events import record_event
from egov.dossiers.models import (
    Dossier,
    DossierComponent,
    DossierFile,
    DossierStatus,
    FileSource,
)
from egov.dossiers.reuse import owner_of, record_reuse, resolve_reuse
from egov.dossiers.services.creation import dossier_row_create
from egov.dossiers.services.deadlines import (
    RECEPTION_WORKING_HOURS,
    appointment_problem,
    reception_deadline,
)
from egov.dossiers.services.reception import Applicant, clean_applicant
from egov.org.models import Unit


@dataclass
class OnlineSubmission:
    # None for a dossier submitted elsewhere (the national portal) and brought in by the
    # system: it has no account here.
    owner: User | None
    unit: Unit
    version: ProcedureVersion
    applicant: Applicant
    # component id → files already checked and stored (core.uploads.store_private)
    files: dict[int, list[StoredFile]] = field(default_factory=dict)
    # component id → earlier result files of this applicant reused instead of an upload
    reused: dict[int, list[DossierFile]] = field(default_factory=dict)
    # component id → code of a valid document of the applicant's data store given instead of
    # an upload (egov.dossiers.reuse; NĐ 45/2020 Điều 16). Checked again here: same kind,
    # valid today, and one the owner's account may see.
    store_documents: dict[int, str] = field(default_factory=dict)
    result_delivery: str = "online"
    # Where the files are when they were not uploaded here: a dossier submitted on the
    # national portal keeps them there and the desk checks them there during reception
    # (whether DVCQG hands the files over is unconfirmed: egov.national).
    files_held_by: str = ""
    # When it was submitted, if before now (on the national portal): the 8-hour clock runs
    # from then.
    submitted_at: dt.datetime | None = None


@transaction.atomic
def dossier_submit_online(*, actor: Actor, submission: OnlineSubmission) -> Dossier:
    """Create the dossier waiting for online reception, with its files; the caller makes the
    call idempotent (one dossier per draft)."""
    version = submission.version
    channel = version.channels.filter(kind=ChannelKind.ONLINE).first()
    if channel is None:
        raise ValidationError(_("Thủ tục này không tiếp nhận hồ sơ trực tuyến."))
    problem = appointment_problem(version, channel)
    if problem:
        raise ValidationError(problem)
    if submission.owner is None:
        # Only the system brings in a dossier submitted elsewhere, and says where its files are.
        if person(actor) is not None or not submission.files_held_by:
            raise ValidationError(_("Hồ sơ trực tuyến phải do chủ tài khoản nộp."))
    elif getattr(actor, "pk", None) != submission.owner.pk:
        raise ValidationError(_("Chỉ chủ tài khoản mới được nộp hồ sơ này."))
    clean = clean_applicant(submission.applicant)
    reuses = resolve_reuse(
        version=version,
        owner=owner_of(
            applicant_kind=submission.applicant.kind,
            personal_id=clean["personal_id"],
            tax_code=clean["tax_code"],
        ),
        codes=submission.store_documents,
        account=submission.owner,
    )
    provided = (
        {pk for pk, files in submission.files.items() if files}
        | {pk for pk, files in submission.reused.items() if files}
        | set(reuses)
    )
    required = set(version.components.filter(required=True).values_list("pk", flat=True))
    missing = set() if submission.files_held_by else required - provided
    if missing:
        names = list(version.components.filter(pk__in=missing).values_list("name", flat=True))
        raise ValidationError(
            {"files": [_("Chưa có tệp cho thành phần bắt buộc: %s.") % "; ".join(names)]}
        )
    now = timezone.now()
    if submission.submitted_at is not None:
        now = min(submission.submitted_at, now)
    due = reception_deadline(submission.unit, now)
    dossier = dossier_row_create(
        unit=submission.unit,
        version=version,
        channel=ChannelKind.ONLINE,
        status=DossierStatus.AWAITING_ONLINE_RECEPTION,
        applicant_kind=submission.applicant.kind,
        applicant=clean,
        at=now,
        due_at=due,
        due_rule=_("Trả lời hồ sơ trực tuyến trong %d giờ làm việc") % RECEPTION_WORKING_HOURS,
        fee_quoted=quote(channel.fees.all()).total,
        result_delivery=submission.result_delivery,
        owner=submission.owner,
        submitted_at=now,
        reception_due_at=due,
    )
    DossierComponent.objects.bulk_create(
        DossierComponent(dossier=dossier, component_id=pk, originals=0, copies=0)
        for pk in sorted(provided)
    )
    rows = [
        DossierFile(
            dossier=dossier,
            component_id=pk,
            source=FileSource.UPLOAD,
            added_at=now,
            file=stored,
        )
        for pk, files in submission.files.items()
        for stored in files
    ]
    rows += [
        DossierFile(
            dossier=dossier,
            component_id=pk,
            source=FileSource.REUSED,
            code=earlier.code,
            added_at=now,
            file_id=earlier.file_id,
        )
        for pk, files in submission.reused.items()
        for earlier in files
    ]
    DossierFile.objects.bulk_create(rows)
    record_event(
        dossier=dossier,
        action=DossierAction.SUBMIT_ONLINE,
        from_status="",
        to_status=DossierStatus.AWAITING_ONLINE_RECEPTION,
        actor=actor,
        at=now,
        data={
            "reception_due_at": due.isoformat(),
            "files": len(rows),
            **({"files_held_by": submission.files_held_by} if submission.files_held_by else {}),
        },
    )
    record_reuse(actor=actor, dossier=dossier, reuses=reuses, at=now)
    return dossier


def earlier_results(owner: Actor) -> list[DossierFile]:
    """E-results of this account's earlier dossiers, which may be reused as components."""
    user = person(owner)
    if user is None:
        return []
    return list(
        DossierFile.objects.filter(dossier__owner=user, source=FileSource.RESULT)
        .select_related("dossier__procedure_version")
        .order_by("-added_at")[:50]
    )
