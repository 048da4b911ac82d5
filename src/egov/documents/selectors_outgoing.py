"""Reads for the outgoing-document pages and API: the list, the signer's queue and the
văn thư's numbering and release queue. Every one starts from ``permissions.visible_outgoing``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.utils import timezone

from egov.accounts.actors import Actor, person
from egov.accounts.models import Role, RoleAssignment, User
from egov.documents.actions import OutgoingAction
from egov.documents.catalogue import UnitAbbreviation
from egov.documents.models import (
    OutgoingDocument,
    OutgoingEvent,
    OutgoingStatus,
    OutgoingVersion,
    VersionKind,
)
from egov.documents.number_date import NumberDateNotice, number_date_notice
from egov.documents.permissions import (
    office_clerk_agencies,
    units_in_scope,
    visible_outgoing,
)
from egov.documents.selectors import unit_abbreviations_for
from egov.org.models import Unit

PAGE_SIZE = 50
RELEASE_STATUSES = (
    OutgoingStatus.SIGNED,
    OutgoingStatus.REGISTERED,
    OutgoingStatus.AGENCY_SIGNED,
)


@dataclass(frozen=True)
class OutgoingPage:
    rows: list[OutgoingDocument]
    next_before: int | None  # the ``before`` of the next page (keyset on the id), or None


def _listing(queryset: QuerySet[OutgoingDocument]) -> QuerySet[OutgoingDocument]:
    return queryset.select_related("document_type", "drafting_unit", "signer", "created_by")


def outgoing_page(
    actor: Actor, *, status: str = "", before: int | None = None, limit: int = PAGE_SIZE
) -> OutgoingPage:
    """The outgoing documents ``actor`` may see, newest first, one page after ``before``
    (keyset pagination on the id: stable while documents are added)."""
    rows = _listing(visible_outgoing(actor))
    if status:
        rows = rows.filter(status=status)
    if before is not None:
        rows = rows.filter(pk__lt=before)
    found = list(rows.order_by("-pk")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    return OutgoingPage(found, found[-1].pk if more and found else None)


def signing_queue(actor: Actor) -> list[OutgoingDocument]:
    """Documents waiting for ``actor``'s signature (status approval, ``actor`` the signer)."""
    user = person(actor)
    if user is None:
        return []
    rows = visible_outgoing(actor).filter(status=OutgoingStatus.APPROVAL, signer=user)
    return list(_listing(rows).order_by("pk"))


def clerk_agencies(actor: Actor) -> list[int]:
    """Agencies (and units under them) where ``actor`` acts as văn thư today."""
    return [*units_in_scope(actor, frozenset({Role.CLERK})), *office_clerk_agencies(actor)]


def release_queue(actor: Actor) -> list[OutgoingDocument]:
    """Signed documents of the agencies whose văn thư ``actor`` is, waiting for a number,
    the agency's signature or issue."""
    agencies = clerk_agencies(actor)
    rows = visible_outgoing(actor).filter(status__in=RELEASE_STATUSES, agency_id__in=agencies)
    return list(_listing(rows).order_by("pk"))


def unit_abbreviation_of(agency: Unit, unit: Unit) -> UnitAbbreviation | None:
    return unit_abbreviations_for(agency).filter(unit=unit).first()


def signers_for(agency: Unit) -> list[User]:
    """People who may be named to sign for ``agency``: its leaders today."""
    held = RoleAssignment.objects.valid_on(timezone.localdate()).filter(
        unit=agency, role=Role.DEPARTMENT_LEADER
    )
    return list(User.objects.filter(pk__in=held.values("user_id")).order_by("full_name"))


def recipient_units(agency: Unit) -> list[Unit]:
    """Units of this system that can receive a document (those with văn thư settings)."""
    from egov.documents.catalogue import AgencySettings

    ids = AgencySettings.objects.values("agency_id")
    return list(Unit.objects.filter(pk__in=ids).exclude(pk=agency.pk).order_by("name"))


def draft_layouts(documents: Iterable[OutgoingDocument]) -> dict[int, dict[str, object]]:
    """Per document, the ``layout`` recorded with its latest draft version: the composer's
    boxes, or what an uploaded draft carries for its number and date (``number_date``);
    ``{}`` when none was recorded. Two queries whatever the number of documents."""
    ids = [document.pk for document in documents]
    latest = dict(
        OutgoingVersion.objects.filter(document_id__in=ids, kind=VersionKind.DRAFT)
        .values("document_id")
        .annotate(last=Max("number"))
        .values_list("document_id", "last")
    )
    found: dict[int, dict[str, object]] = {pk: {} for pk in ids}
    events = OutgoingEvent.objects.filter(
        document_id__in=latest, action__in=[OutgoingAction.CREATE, OutgoingAction.ADD_VERSION]
    ).order_by("sequence")
    for document_id, data in events.values_list("document_id", "data"):
        if isinstance(data, dict) and data.get("version") == latest[document_id]:
            layout = data.get("layout")
            found[document_id] = layout if isinstance(layout, dict) else {}
    return found


def number_date_notices(documents: Iterable[OutgoingDocument]) -> dict[int, NumberDateNotice]:
    """Per document, what its latest draft's file will show of the number and date
    (``number_date.number_date_notice``)."""
    return {pk: number_date_notice(layout) for pk, layout in draft_layouts(documents).items()}
