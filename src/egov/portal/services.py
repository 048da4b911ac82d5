"""Writing, resuming and submitting online applications (drafts)."""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.models import CitizenProfile, User
from egov.catalog.models import ChannelKind, ProcedureVersion
from egov.core.models import StoredFile
from egov.core.uploads import discarded_on_failure, release_stored, store_private
from egov.dossiers.models import Dossier, DossierFile, FileSource, ResultDelivery
from egov.dossiers.services.online import OnlineSubmission, dossier_submit_online
from egov.dossiers.services.reception import Applicant
from egov.org.models import Unit
from egov.portal.models import ApplicationDraft, DraftFile
from egov.portal.selectors import draft_store_offers, store_choice

APPLICANT_FIELDS = (
    "kind",
    "name",
    "personal_id",
    "birth_date",
    "tax_code",
    "phone",
    "email",
    "address",
    "representative_name",
    "representative_personal_id",
)


def offered_online(version: ProcedureVersion) -> bool:
    return version.channels.filter(kind=ChannelKind.ONLINE).exists()


@transaction.atomic
def draft_start(*, actor: User, version: ProcedureVersion) -> ApplicationDraft:
    """Resume this account's unfinished draft of the procedure, or start one prefilled from
    the profile (NĐ 45/2020: what is known is not asked again)."""
    if not offered_online(version):
        raise ValidationError(_("Thủ tục này chưa được cung cấp trực tuyến."))
    existing = ApplicationDraft.objects.filter(
        owner=actor, version=version, dossier__isnull=True
    ).first()
    if existing is not None:
        return existing
    profile = CitizenProfile.objects.filter(user=actor).first()
    applicant: dict[str, Any] = {"name": actor.full_name, "email": actor.email}
    if profile is not None:
        organisation = profile.kind == "organisation"
        applicant.update(
            kind=profile.kind,
            name=profile.organisation_name if organisation else actor.full_name,
            personal_id="" if organisation else profile.personal_id,
            birth_date=profile.birth_date.isoformat() if profile.birth_date else "",
            tax_code=profile.tax_code,
            phone=profile.phone,
            address=profile.address,
            representative_name=actor.full_name if organisation else "",
            representative_personal_id=profile.personal_id if organisation else "",
        )
    return ApplicationDraft.objects.create(owner=actor, version=version, applicant=applicant)


def draft_save_applicant(
    *,
    actor: User,
    draft: ApplicationDraft,
    values: dict[str, str],
    unit: Unit | None,
    delivery: str,
) -> ApplicationDraft:
    """Keep what was typed even when it is not valid yet; validity is checked at submission
    (and shown on each step)."""
    _own_open(actor, draft)
    draft.applicant = {k: str(values.get(k, ""))[:255] for k in APPLICANT_FIELDS}
    draft.receiving_unit = unit
    draft.result_delivery = delivery if delivery in ResultDelivery.values else "online"
    draft.save()
    return draft


def _own_open(actor: User, draft: ApplicationDraft) -> None:
    if draft.owner_id != actor.pk:
        raise ValidationError(_("Hồ sơ nháp không thuộc tài khoản này."))
    if draft.dossier_id is not None:
        raise ValidationError(_("Hồ sơ này đã được nộp."))


def draft_add_file(
    *, actor: User, draft: ApplicationDraft, component_id: int, upload: IO[bytes], name: str
) -> DraftFile:
    _own_open(actor, draft)
    component = draft.version.components.filter(pk=component_id).first()
    if component is None:
        raise ValidationError(_("Thành phần hồ sơ không thuộc thủ tục này."))
    limit = settings.EGOV_UPLOAD_MAX_FILES_PER_COMPONENT
    if draft.files.filter(component=component).count() >= limit:
        raise ValidationError(
            _("Mỗi thành phần tối đa %(n)d tệp; hãy gộp các trang vào một tệp PDF.") % {"n": limit}
        )
    stored = store_private(
        upload, original_name=name, prefix="applications", uploaded_by=actor, scan=True
    )
    with discarded_on_failure(stored):
        added = DraftFile.objects.create(draft=draft, component=component, file=stored)
    key = str(component.pk)
    if draft.store_choices.get(key):
        # A new upload is given instead of the stored document chosen before.
        draft.store_choices = {**draft.store_choices, key: ""}
        draft.save(update_fields=["store_choices", "updated_at"])
    return added


def draft_remove_file(*, actor: User, draft: ApplicationDraft, file_id: int) -> None:
    _own_open(actor, draft)
    item = draft.files.select_related("file").filter(pk=file_id).first()
    if item is not None:
        item.delete()
        release_stored(item.file)


def draft_set_reused(
    *, actor: User, draft: ApplicationDraft, component_id: int, file_ids: list[int]
) -> None:
    _own_open(actor, draft)
    allowed = set(
        DossierFile.objects.filter(
            dossier__owner=actor, source=FileSource.RESULT, pk__in=file_ids
        ).values_list("pk", flat=True)
    )
    reused = dict(draft.reused)
    reused[str(component_id)] = sorted(allowed)
    draft.reused = {k: v for k, v in reused.items() if v}
    draft.save(update_fields=["reused", "updated_at"])


def draft_set_store_choice(
    *, actor: User, draft: ApplicationDraft, component_id: int, code: str
) -> None:
    """Give the component a document of the applicant's store (``code``), or none (""): the
    citizen uploads a new one. Only a document offered for that component may be chosen."""
    _own_open(actor, draft)
    if code:
        offered = draft_store_offers(actor, draft).get(component_id, [])
        if not any(d.code == code for d in offered):
            raise ValidationError(
                _("Giấy tờ này không có trong kho dữ liệu của người nộp hoặc đã hết giá trị.")
            )
    draft.store_choices = {**draft.store_choices, str(component_id): code}
    draft.save(update_fields=["store_choices", "updated_at"])


def draft_store_documents(actor: User, draft: ApplicationDraft) -> dict[int, str]:
    """Component id → code of the store document standing for it at submission."""
    offered = draft_store_offers(actor, draft)
    with_files = set(draft.files.values_list("component_id", flat=True))
    chosen: dict[int, str] = {}
    for pk, documents in offered.items():
        document = store_choice(draft, pk, documents, has_files=pk in with_files)
        if document is not None:
            chosen[pk] = document.code
    return chosen


def draft_submit(*, actor: User, draft_id: int) -> Dossier:
    """Submit once: a double click or a retried request gets the same dossier back."""
    with transaction.atomic():
        draft = (
            ApplicationDraft.objects.select_for_update(of=("self",))
            .select_related("version", "receiving_unit")
            .get(pk=draft_id, owner=actor)
        )
        if draft.dossier_id is not None:
            return Dossier.objects.get(pk=draft.dossier_id)
        if draft.receiving_unit is None:
            raise ValidationError({"receiving_unit": [_("Cần chọn nơi nhận hồ sơ.")]})
        data = draft.applicant
        birth = data.get("birth_date") or None
        applicant = Applicant(
            kind=data.get("kind") or "citizen",
            name=data.get("name", ""),
            personal_id=data.get("personal_id", ""),
            tax_code=data.get("tax_code", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            address=data.get("address", ""),
            representative_name=data.get("representative_name", ""),
            representative_personal_id=data.get("representative_personal_id", ""),
            birth_date=_date(birth),
        )
        files: dict[int, list[StoredFile]] = {}
        for item in draft.files.select_related("file"):
            files.setdefault(item.component_id, []).append(item.file)
        reused: dict[int, list[DossierFile]] = {}
        for key, ids in draft.reused.items():
            reused[int(key)] = list(
                DossierFile.objects.filter(
                    pk__in=ids, dossier__owner=actor, source=FileSource.RESULT
                )
            )
        dossier = dossier_submit_online(
            actor=actor,
            submission=OnlineSubmission(
                owner=actor,
                unit=draft.receiving_unit,
                version=draft.version,
                applicant=applicant,
                files=files,
                reused=reused,
                store_documents=draft_store_documents(actor, draft),
                result_delivery=draft.result_delivery,
            ),
        )
        draft.dossier = dossier
        draft.save(update_fields=["dossier", "updated_at"])
        return dossier


def _date(value: str | None) -> Any:
    import datetime as dt

    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"birth_date": [_("Ngày sinh không hợp lệ.")]}) from None
