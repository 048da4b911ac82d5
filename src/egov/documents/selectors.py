"""Reads about official documents: catalogues valid on a day, duplicates, deadlines and the
plan's indicators. Lists for a person start from ``permissions.visible_*``."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from egov.documents.catalogue import AgencySettings, DocumentType, UnitAbbreviation
from egov.documents.models import (
    Assignment,
    AssignmentStatus,
    IncomingDocument,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingStatus,
    OutgoingVersion,
    RecipientKind,
    VersionKind,
)
from egov.org.models import Unit


def agency_settings_on(agency: Unit, day: dt.date | None = None) -> AgencySettings | None:
    """The agency's settings valid on ``day`` (today by default)."""
    day = day or timezone.localdate()
    found: AgencySettings | None = (
        AgencySettings.objects.valid_on(day).filter(agency=agency).order_by("-valid_from").first()
    )
    return found


def receiving_agency(unit: Unit, day: dt.date | None = None) -> Unit:
    """The agency that receives for ``unit``: the unit itself or its nearest parent with
    agency settings valid on ``day`` (an agency keeps its văn thư and its register of số
    đến, NĐ 30/2020, Điều 22; its divisions do not). A unit with no such parent is taken
    as its own agency."""
    day = day or timezone.localdate()
    chain = [unit, *unit.ancestors()]
    with_settings = set(
        AgencySettings.objects.valid_on(day)
        .filter(agency__in=chain)
        .values_list("agency_id", flat=True)
    )
    return next((u for u in chain if u.pk in with_settings), unit)


def document_types_for(agency: Unit | None, day: dt.date | None = None) -> list[DocumentType]:
    """The document types an agency uses on ``day``: the national list, each type replaced
    by the agency's own row of the same key where it has one."""
    day = day or timezone.localdate()
    rows = DocumentType.objects.valid_on(day).filter(Q(agency__isnull=True) | Q(agency=agency))
    by_key: dict[str, DocumentType] = {}
    for row in rows.order_by("order", "name"):
        if row.key not in by_key or row.agency_id is not None:
            by_key[row.key] = row
    return sorted(by_key.values(), key=lambda t: (t.order, t.name))


def document_type(agency: Unit | None, key: str, day: dt.date | None = None) -> DocumentType | None:
    return next((t for t in document_types_for(agency, day) if t.key == key), None)


def unit_abbreviations_for(agency: Unit, day: dt.date | None = None) -> QuerySet[UnitAbbreviation]:
    return UnitAbbreviation.objects.valid_on(day or timezone.localdate()).filter(agency=agency)


def _canonical(text: str) -> str:
    """Compared as the same: NFC, no spaces, case-folded (``qđ-ubnd`` = ``QĐ - UBND``)."""
    return "".join(unicodedata.normalize("NFC", text).split()).casefold()


def _canonical_number(text: str) -> str:
    """``05`` = ``5``: the number's value when it is one."""
    canonical = _canonical(text)
    return str(int(canonical)) if canonical.isdigit() else canonical


def _canonical_name(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def incoming_duplicates(
    *,
    agency: Unit,
    organ_name: str,
    organ_id: str,
    code_number: str,
    code_notation: str,
    year: int,
    exclude_pk: int | None = None,
) -> QuerySet[IncomingDocument]:
    """Documents the agency already registered with the same issuer, số and ký hiệu issued in
    ``year`` (NĐ 30/2020, Phụ lục VI III.1: warn the clerk about duplicates). Numbers compare
    by value (05 = 5), ký hiệu without spaces or case, the issuer by mã định danh or by name
    (NFC, case-folded) — computed over the agency's registered documents of that year."""
    if not code_number or not code_notation:
        return IncomingDocument.objects.none()
    number, notation = _canonical_number(code_number), _canonical(code_notation)
    name, code = _canonical_name(organ_name), organ_id.strip()
    candidates = IncomingDocument.objects.filter(
        agency=agency, issued_date__year=year, arrival_number__isnull=False
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    rows = candidates.values_list("pk", "code_number", "code_notation", "organ_id", "organ_name")
    found = [
        pk
        for pk, their_number, their_notation, their_id, their_name in rows
        if _canonical_number(their_number) == number
        and _canonical(their_notation) == notation
        and ((code and their_id == code) or _canonical_name(their_name) == name)
    ]
    return IncomingDocument.objects.filter(pk__in=found).order_by("pk")


def overdue_assignments(
    assignments: QuerySet[Assignment], now: dt.datetime | None = None
) -> QuerySet[Assignment]:
    """Open assignments past their deadline (the same rule as ``Assignment.is_overdue``)."""
    now = now or timezone.now()
    return assignments.exclude(status=AssignmentStatus.DONE).filter(due_at__lt=now)


def due_soon_assignments(
    assignments: QuerySet[Assignment],
    now: dt.datetime | None = None,
    within: dt.timedelta = dt.timedelta(days=1),
) -> QuerySet[Assignment]:
    """Open assignments due within ``within`` (``Assignment.is_due_soon``)."""
    now = now or timezone.now()
    return assignments.exclude(status=AssignmentStatus.DONE).filter(
        due_at__gte=now, due_at__lte=now + within
    )


# --- the plan's indicators ---------------------------------------------------------------


@dataclass(frozen=True)
class ExchangeIndicators:
    """Outgoing documents of a unit in a period (issued, not secret: secret documents stay
    off the networked system): how many went to other units electronically, and how many of
    those carried a digital signature (the plan's targets: 60 % and 60 %)."""

    issued: int
    electronic: int
    signed: int

    @staticmethod
    def _share(part: int, whole: int) -> Decimal | None:
        if whole == 0:
            return None
        return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def electronic_share(self) -> Decimal | None:
        """Percent of issued documents sent electronically to other units (one decimal)."""
        return self._share(self.electronic, self.issued)

    @property
    def signed_share(self) -> Decimal | None:
        """Percent of the electronically sent ones that carry a digital signature."""
        return self._share(self.signed, self.electronic)


def exchange_indicators(
    *, unit: Unit, start: dt.date, end: dt.date, include_below: bool = True
) -> ExchangeIndicators:
    """Issued outgoing documents of ``unit`` (as issuing agency or drafting unit, and of the
    units below it with ``include_below``) with ``issued_at`` on local days ``start`` ..
    ``end`` inclusive. Electronic: delivered in the system to at least one internal
    recipient that is another unit. Signed: those with a version signed by the agency
    (NĐ 30/2020 Điều 5: the legal value needs the agency's signature) or by the signer."""
    units = [unit.pk]
    if include_below:
        frontier = [unit.pk]
        while frontier:
            frontier = list(
                Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            units.extend(frontier)
    tz = timezone.get_current_timezone()
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    issued = OutgoingDocument.objects.filter(
        Q(agency_id__in=units) | Q(drafting_unit_id__in=units),
        status=OutgoingStatus.ISSUED,
        issued_at__gte=lower,
        issued_at__lt=upper,
        confidentiality="normal",
    )
    sent_in_system = OutgoingRecipient.objects.filter(
        document=OuterRef("pk"),
        kind=RecipientKind.INTERNAL,
        delivered_at__isnull=False,
    ).exclude(unit_id=OuterRef("agency_id"))
    signed_version = OutgoingVersion.objects.filter(
        document=OuterRef("pk"),
        kind__in=[VersionKind.AGENCY_SIGNED, VersionKind.PERSONAL_SIGNED],
    )
    electronic = issued.filter(Exists(sent_in_system))
    return ExchangeIndicators(
        issued=issued.count(),
        electronic=electronic.count(),
        signed=electronic.filter(Exists(signed_version)).count(),
    )
