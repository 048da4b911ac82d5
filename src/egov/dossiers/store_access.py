"""Officers' access to an applicant's data store (kho quản lý dữ liệu điện tử của tổ chức, cá
nhân; NĐ 45/2020/NĐ-CP Điều 16 as amended by NĐ 118/2025/NĐ-CP Điều 40 khoản 8): the one place
that answers "may this officer look at this person's store documents now".

An officer sees the documents of a dossier's applicant — a person by personal ID, an
organisation by tax code — only while handling that dossier, all three together:

- the officer may see the dossier (``permissions.get_dossier_for_actor``: one of its units);
- the dossier is being handled (``STORE_ACCESS_STATUSES``);
- the officer has a handling role for it: the receiving desk (receptionist at the receiving
  unit), the assigned specialist, or a specialist/leader of the handling or competent unit —
  once a dossier is assigned, other specialists no longer (as for ``assignee_bound`` actions).

Every look (the list, a download, an API call) appends an audit entry
``datastore.viewed`` / ``datastore.downloaded`` naming the dossier code and how many documents
were shown — never the personal ID or tax code, which the audit trail does not need.
"""

from __future__ import annotations

from django.db.models import QuerySet

from egov.accounts.actors import Actor, person
from egov.accounts.models import Role
from egov.audit.services import audit_record
from egov.core.identity import ApplicantKind
from egov.datastore.models import OwnerKind, StoreDocument
from egov.datastore.permissions import OWNER_VISIBLE_STATES
from egov.dossiers.models import IN_PROCESSING_STATUSES, Dossier, DossierStatus
from egov.dossiers.permissions import actor_roles, is_desk_of, visible_dossiers

# From the online submission waiting at the desk until the result is approved: the time the
# applicant's papers serve the work (checking the submission, reusing a paper, deciding).
# Not after: with a result ready, in transit or returned the decision is made, and a refused,
# withdrawn or stopped dossier is closed — looking at the person's papers then would serve no
# purpose of the dossier (purpose limitation and minimisation of personal data: principles
# of NĐ 13/2023/NĐ-CP Điều 3 and Luật Bảo vệ dữ liệu cá nhân 2025 — khoản/article "chưa xác
# nhận").
STORE_ACCESS_STATUSES = frozenset(
    {DossierStatus.AWAITING_ONLINE_RECEPTION, *IN_PROCESSING_STATUSES}
)
# Roles that handle a dossier in its units (the desk is checked at the receiving unit itself).
HANDLING_ROLES = frozenset({Role.SPECIALIST, Role.DEPARTMENT_LEADER})


def applicant_owner(dossier: Dossier) -> tuple[str, str] | None:
    """(owner kind, identifier) of the dossier's applicant in the store; None without one."""
    if dossier.applicant_kind == ApplicantKind.ORGANISATION:
        tax_code = dossier.applicant_tax_code
        return (OwnerKind.ORGANISATION, tax_code) if tax_code else None
    if dossier.applicant_personal_id:
        return OwnerKind.PERSON, dossier.applicant_personal_id
    return None


def handles(actor: Actor, dossier: Dossier) -> bool:
    """Whether ``actor`` has a handling role for ``dossier`` (see the module's docstring)."""
    user = person(actor)
    if user is None:
        return False
    if dossier.assignee_id is not None and dossier.assignee_id == user.pk:
        return True
    if is_desk_of(actor, dossier):
        return True
    roles = actor_roles(actor, dossier) & HANDLING_ROLES
    if dossier.assignee_id is not None and roles <= {Role.SPECIALIST}:
        return False  # assigned to another specialist: only a leader keeps access
    return bool(roles)


def may_look_at_store(actor: Actor, dossier: Dossier) -> bool:
    """All three conditions, without recording anything (to decide whether to offer it)."""
    return (
        dossier.status in STORE_ACCESS_STATUSES
        and applicant_owner(dossier) is not None
        and visible_dossiers(actor).filter(pk=dossier.pk).exists()
        and handles(actor, dossier)
    )


def _documents(dossier: Dossier) -> QuerySet[StoreDocument]:
    owner = applicant_owner(dossier)
    if owner is None:
        return StoreDocument.objects.none()
    kind, identifier = owner
    return (
        StoreDocument.objects.filter(
            owner_kind=kind, owner_identifier=identifier, state__in=OWNER_VISIBLE_STATES
        )
        .select_related("kind", "file", "signed_file", "unit", "digitised_by")
        .order_by("-id")
    )


def _audit(
    actor: Actor,
    dossier: Dossier,
    action: str,
    details: dict[str, object],
    ip_address: str | None,
) -> None:
    audit_record(
        actor=person(actor),
        action=action,
        object_type="dossiers.dossier",
        object_id=str(dossier.pk),
        object_repr=dossier.code,
        ip_address=ip_address,
        details={"dossier": dossier.code, **details},
    )


def store_documents_for_dossier(
    actor: Actor,
    dossier: Dossier,
    *,
    ip_address: str | None = None,
    channel: str = "web",
    before_id: int | None = None,
    limit: int | None = None,
) -> list[StoreDocument] | None:
    """The applicant's store documents (in force or withdrawn, newest first) if ``actor`` may
    look at them now — recorded as ``datastore.viewed`` with the number shown; None (nothing
    recorded) otherwise. A page: those below ``before_id``, ``limit`` of them plus one more
    when there are more (the caller's sign of a next page; not counted as shown)."""
    if not may_look_at_store(actor, dossier):
        return None
    rows = _documents(dossier)
    if before_id is not None:
        rows = rows.filter(id__lt=before_id)
    documents = list(rows[: limit + 1] if limit is not None else rows)
    shown = min(len(documents), limit) if limit is not None else len(documents)
    _audit(
        actor,
        dossier,
        "datastore.viewed",
        {"documents": shown, "channel": channel},
        ip_address,
    )
    return documents


def get_store_document_for_dossier(
    actor: Actor, dossier: Dossier, code: str, *, ip_address: str | None = None
) -> StoreDocument | None:
    """One of the applicant's store documents by its code, under the same rule — recorded as
    ``datastore.downloaded``; None (callers answer 404) otherwise."""
    if not code or len(code) > 80 or not may_look_at_store(actor, dossier):
        return None
    document = _documents(dossier).filter(code=code).first()
    if document is not None:
        _audit(actor, dossier, "datastore.downloaded", {"document": document.code}, ip_address)
    return document
