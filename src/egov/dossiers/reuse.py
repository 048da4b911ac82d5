"""Not asking again for a paper the state already holds (NĐ 45/2020/NĐ-CP Điều 16, as amended
by NĐ 118/2025/NĐ-CP Điều 40 khoản 8; index 766 indicator 4.3 "hồ sơ khai thác, sử dụng lại
dữ liệu số hóa").

A component of a new dossier that asks for a kind of paper (``catalog.Component.document_kind``)
may be given by a document of the applicant's data store instead of an upload, an original or a
copy: same kind, valid on the day (checked and signed, not revoked, not past its validity:
``datastore.selectors.reusable_documents``) and — online — one the submitting account may see
(``datastore.permissions.own_store_documents``). Kinds that are never reused (văn bản ủy quyền)
are never offered.

``offers`` lists what may stand for each component; ``resolve_reuse`` checks the codes a form or
the API sent against the same rule (nothing is trusted from the client); ``record_reuse`` writes
the component's link to the store, a file the desk can open, the dossier event
``reuse_store_document`` and an audit entry on the store document, inside the caller's
transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor
from egov.audit.services import audit_record
from egov.catalog.document_kinds import is_reusable
from egov.catalog.models import Component, ProcedureVersion
from egov.core.identity import ApplicantKind
from egov.datastore.models import OwnerKind, StoreDocument
from egov.datastore.permissions import own_store_documents
from egov.datastore.selectors import reusable_documents
from egov.dossiers.actions import DossierAction
from egov.dossiers.events import record_event
from egov.dossiers.models import Dossier, DossierComponent, DossierFile, FileSource
from egov.dossiers.permissions import can_receive_at
from egov.org.models import Unit

# The legal basis named in every rule text (stored with the component as it was applied).
REUSE_BASIS = "NĐ 45/2020 Điều 16"


@dataclass(frozen=True)
class StoreOwner:
    """Whose store a dossier's components may come from: the applicant's."""

    kind: str
    identifier: str


def owner_of(*, applicant_kind: str, personal_id: str, tax_code: str) -> StoreOwner | None:
    """The store of an applicant: an organisation's by tax code, a person's by personal ID
    (spaces and dots, as typed at the counter, taken out). None without the number."""
    if applicant_kind == ApplicantKind.ORGANISATION:
        identifier, kind = tax_code, OwnerKind.ORGANISATION
    else:
        identifier, kind = personal_id, OwnerKind.PERSON
    compact = "".join(ch for ch in (identifier or "") if ch not in " .")
    return StoreOwner(kind, compact) if compact else None


@dataclass(frozen=True)
class Reuse:
    component: Component
    document: StoreDocument
    rule: str


def reuse_rule(document: StoreDocument) -> str:
    """Why ``document`` may stand for a component asking for its kind, in words."""
    kind = document.kind.name if document.kind is not None else document.title
    if document.valid_until is not None:
        validity = _("còn giá trị đến %s") % date_format(document.valid_until, "d/m/Y")
    else:
        validity = _("có giá trị không thời hạn")
    text = _("Cùng loại giấy tờ “%(kind)s”, %(validity)s (%(basis)s)") % {
        "kind": kind,
        "validity": validity,
        "basis": REUSE_BASIS,
    }
    return text[:300]


def offers(
    *,
    components: list[Component],
    owner: StoreOwner | None,
    account: Actor | None = None,
    on: dt.date | None = None,
) -> dict[int, list[StoreDocument]]:
    """Component id → the owner's documents that may stand for it on ``on``, newest first
    (only components asking for a reusable kind appear). With ``account``: only documents that
    account may see (an online applicant is offered nothing of another person's store)."""
    if owner is None:
        return {}
    day = on or timezone.localdate()
    by_kind: dict[int, list[StoreDocument]] = {}
    found: dict[int, list[StoreDocument]] = {}
    for component in components:
        kind = component.document_kind
        if kind is None or not is_reusable(kind):
            continue
        if kind.pk not in by_kind:
            documents = reusable_documents(
                owner_kind=owner.kind, owner_identifier=owner.identifier, kind=kind, on=day
            )
            if account is not None:
                documents = documents.filter(pk__in=own_store_documents(account).values("pk"))
            by_kind[kind.pk] = list(documents)
        if by_kind[kind.pk]:
            found[component.pk] = by_kind[kind.pk]
    return found


def resolve_reuse(
    *,
    version: ProcedureVersion,
    owner: StoreOwner | None,
    codes: dict[int, str],
    account: Actor | None = None,
    on: dt.date | None = None,
) -> dict[int, Reuse]:
    """The documents named by ``codes`` (component id → store document code), each checked
    against ``offers``; ValidationError under ``store_documents`` listing every one that may
    not stand for its component. Empty codes are ignored."""
    wanted = {pk: code.strip() for pk, code in codes.items() if code and code.strip()}
    if not wanted:
        return {}
    components = {
        c.pk: c
        for c in version.components.select_related("document_kind").filter(pk__in=list(wanted))
    }
    offered = offers(components=list(components.values()), owner=owner, account=account, on=on)
    errors: list[str] = []
    found: dict[int, Reuse] = {}
    for pk, code in sorted(wanted.items()):
        component = components.get(pk)
        if component is None:
            errors.append(_("Thành phần hồ sơ %s không thuộc thủ tục này.") % pk)
            continue
        document = next((d for d in offered.get(pk, []) if d.code == code), None)
        if document is None:
            errors.append(
                _(
                    "Giấy tờ “%(code)s” trong kho dữ liệu không dùng được cho thành phần "
                    "“%(name)s”: không cùng loại, đã hết giá trị, đã bị thu hồi hoặc không "
                    "thuộc người nộp."
                )
                % {"code": code[:80], "name": component.name}
            )
            continue
        found[pk] = Reuse(component=component, document=document, rule=reuse_rule(document))
    if errors:
        raise ValidationError({"store_documents": errors})
    return found


@transaction.atomic(savepoint=False)
def record_reuse(
    *, actor: Actor, dossier: Dossier, reuses: dict[int, Reuse], at: dt.datetime
) -> None:
    """Mark each component taken from the store, give the dossier the document's signed file
    (the desk and the handling unit open it like an upload) and record the event and the
    audit entry. Called by the service that creates the dossier, after its first event."""
    taken = set(
        dossier.files.filter(source=FileSource.REUSED).values_list("component_id", "file_id")
    )
    for pk, reuse in sorted(reuses.items()):
        document = reuse.document
        DossierComponent.objects.update_or_create(
            dossier=dossier,
            component_id=pk,
            defaults={"store_document": document, "reused": True, "reuse_rule": reuse.rule},
        )
        file_id = document.signed_file_id or document.file_id
        # An e-result already reused for this component is the same file: not given twice.
        if (pk, file_id) not in taken:
            DossierFile.objects.create(
                dossier=dossier,
                component_id=pk,
                source=FileSource.REUSED,
                code=document.code,
                added_at=at,
                file_id=file_id,
            )
        record_event(
            dossier=dossier,
            action=DossierAction.REUSE_STORE_DOCUMENT,
            from_status=dossier.status,
            to_status=dossier.status,
            actor=actor,
            at=at,
            data={
                "component": pk,
                "component_name": reuse.component.name,
                "store_document": document.code,
                "rule": reuse.rule,
            },
        )
        audit_record(
            actor=actor,
            action="datastore.reuse",
            target=document,
            details={"dossier": dossier.code, "component": pk},
        )


def reception_store_lookup(
    *,
    actor: Actor,
    unit: Unit,
    version: ProcedureVersion,
    owner: StoreOwner | None,
    on: dt.date | None = None,
) -> dict[int, list[StoreDocument]]:
    """What the desk may take from the store for a dossier it is receiving: the documents of
    that applicant only, for this procedure's components. Only a receptionist of ``unit``
    looks, and every look is recorded (``datastore.lookup``) — with the procedure and how many
    were found, never the personal ID or tax code."""
    if owner is None or not can_receive_at(actor, unit):
        return {}
    found = offers(
        components=list(version.components.select_related("document_kind")), owner=owner, on=on
    )
    audit_record(
        actor=actor,
        action="datastore.lookup",
        object_type="datastore.storedocument",
        details={
            "unit": unit.code or unit.key,
            "procedure": version.procedure.public_code,
            "owner_kind": owner.kind,
            "found": sorted({d.code for documents in found.values() for d in documents}),
        },
    )
    return found
