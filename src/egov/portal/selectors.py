"""Reads of the online application that are more than one line: which documents of the
applicant's data store are offered for each component, and which one stands for it."""

from __future__ import annotations

from django.utils import timezone

from egov.accounts.actors import Actor
from egov.datastore.models import StoreDocument
from egov.dossiers.reuse import StoreOwner, offers, owner_of
from egov.portal.models import ApplicationDraft


def draft_owner(draft: ApplicationDraft) -> StoreOwner | None:
    """Whose store the draft's components may come from: the applicant as typed in step 1."""
    data = draft.applicant
    return owner_of(
        applicant_kind=str(data.get("kind") or "citizen"),
        personal_id=str(data.get("personal_id") or ""),
        tax_code=str(data.get("tax_code") or ""),
    )


def draft_store_offers(actor: Actor, draft: ApplicationDraft) -> dict[int, list[StoreDocument]]:
    """Component id → the applicant's valid documents of the kind it asks for that this
    account may see (datastore.permissions), newest first."""
    return offers(
        components=list(draft.version.components.select_related("document_kind")),
        owner=draft_owner(draft),
        account=actor,
        on=timezone.localdate(),
    )


def store_choice(
    draft: ApplicationDraft, component_id: int, offered: list[StoreDocument], *, has_files: bool
) -> StoreDocument | None:
    """The store document standing for the component: the one the citizen chose, or — when
    they chose nothing and uploaded nothing — the newest offered ("đã có, không cần tải lên
    lại"). A choice no longer offered (expired, revoked) stands for nothing."""
    key = str(component_id)
    if key in draft.store_choices:
        code = draft.store_choices[key]
        return next((d for d in offered if d.code == code), None)
    if has_files or not offered:
        return None
    return offered[0]
