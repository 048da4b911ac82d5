"""The plan's indicators: share of outgoing documents sent electronically to other units and
share of those digitally signed (targets 60 % / 60 %), per unit and period."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from egov.documents.models import (
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingStatus,
    OutgoingVersion,
    RecipientKind,
    VersionKind,
)
from egov.documents.selectors import ExchangeIndicators, document_type, exchange_indicators
from egov.documents.services.outgoing import outgoing_transition
from egov.documents.tests.conftest import Province, stored_pdf
from egov.documents.tests.test_outgoing import _bring_to
from egov.org.models import Unit

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _issued(
    province: Province,
    *,
    day: dt.date,
    to_unit: bool = True,
    signed: str = "",
    confidentiality: str = "normal",
    status: str = OutgoingStatus.ISSUED,
    drafting_unit: Unit | None = None,
) -> OutgoingDocument:
    kind = document_type(None, "thong-bao")
    assert kind is not None
    at = dt.datetime.combine(day, dt.time(23, 30), tzinfo=VN)
    document = OutgoingDocument.objects.create(
        agency=province.agency,
        drafting_unit=drafting_unit or province.vx,
        document_type=kind,
        subject="Thông báo",
        status=status,
        confidentiality=confidentiality,
        issued_at=at if status == OutgoingStatus.ISSUED else None,
    )
    OutgoingRecipient.objects.create(
        document=document, kind=RecipientKind.EXTERNAL, name="Báo Quảng Ninh"
    )
    if to_unit:
        OutgoingRecipient.objects.create(
            document=document,
            kind=RecipientKind.INTERNAL,
            unit=province.other,
            name=province.other.name,
            delivered_at=at,
        )
    if signed:
        OutgoingVersion.objects.create(
            document=document, number=1, kind=signed, file=stored_pdf(), created_at=at
        )
    return document


def test_shares_per_unit_and_period(province: Province):
    december = dt.date(2026, 12, 10)
    for _ in range(4):
        _issued(province, day=december, signed=VersionKind.AGENCY_SIGNED)
    _issued(province, day=december, signed=VersionKind.PERSONAL_SIGNED)
    _issued(province, day=december)  # electronic, unsigned
    _issued(province, day=december, to_unit=False, signed=VersionKind.AGENCY_SIGNED)
    _issued(province, day=december, to_unit=False)
    _issued(province, day=december, signed=VersionKind.DRAFT)  # a draft is not a signature
    _issued(province, day=december, to_unit=False)
    # Outside the count: secret, not issued, another period.
    _issued(province, day=december, confidentiality="secret")
    _issued(province, day=december, status=OutgoingStatus.AGENCY_SIGNED)
    _issued(province, day=dt.date(2026, 11, 30), signed=VersionKind.AGENCY_SIGNED)
    _issued(province, day=dt.date(2027, 1, 1), signed=VersionKind.AGENCY_SIGNED)
    result = exchange_indicators(
        unit=province.agency, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
    )
    assert result == ExchangeIndicators(issued=10, electronic=7, signed=5)
    assert result.electronic_share == Decimal("70.0")
    assert result.signed_share == Decimal("71.4")
    # The division alone (its drafts) and the office (none).
    assert exchange_indicators(
        unit=province.vx, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
    ) == ExchangeIndicators(issued=10, electronic=7, signed=5)
    empty = exchange_indicators(
        unit=province.office, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
    )
    assert empty == ExchangeIndicators(issued=0, electronic=0, signed=0)
    assert (empty.electronic_share, empty.signed_share) == (None, None)
    # Local days: 23:30 on 30 November (Vietnam time) belongs to November.
    assert exchange_indicators(
        unit=province.agency, start=dt.date(2026, 11, 30), end=dt.date(2026, 11, 30)
    ) == ExchangeIndicators(issued=1, electronic=1, signed=1)


def test_a_document_sent_only_to_its_own_agency_is_not_exchanged_between_units(
    province: Province,
):
    document = _issued(province, day=dt.date(2026, 12, 3), to_unit=False)
    OutgoingRecipient.objects.create(
        document=document,
        kind=RecipientKind.INTERNAL,
        unit=province.agency,
        name=province.agency.name,
        delivered_at=document.issued_at,
    )
    assert exchange_indicators(
        unit=province.agency, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
    ) == ExchangeIndicators(issued=1, electronic=0, signed=0)


def test_the_state_machine_feeds_the_indicators(province: Province):
    document = _bring_to(province, OutgoingStatus.AGENCY_SIGNED)
    outgoing_transition(actor=province.clerk, document=document, action="issue")
    assert document.issued_at is not None
    day = document.issued_at.astimezone(VN).date()
    assert exchange_indicators(unit=province.agency, start=day, end=day) == ExchangeIndicators(
        issued=1, electronic=1, signed=1
    )
