"""Results sent by post: booking each shipment with the postal operator's gateway.

The booking happens after the "send by post" transition has committed (a background task), so
an operator outage never blocks the desk: the shipment stays "requested", its error is shown
to staff, and ``book_shipments`` (periodic) tries again. The gateway is called outside any
transaction; a repeated call carries the same Idempotency-Key, so it cannot book twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from egov.audit.services import audit_record
from egov.contrib.postal.gateway import PostalError, ShipmentRequest, postal_gateway
from egov.dossiers.models import ResultShipment, ShipmentStatus


def shipment_book(*, shipment_id: int) -> ResultShipment | None:
    shipment = (
        ResultShipment.objects.select_related("dossier__receiving_unit")
        .filter(pk=shipment_id)
        .first()
    )
    if shipment is None or shipment.status != ShipmentStatus.REQUESTED:
        return shipment
    request = ShipmentRequest(
        reference=shipment.dossier.code,
        serial=shipment.pk,
        recipient_name=shipment.recipient_name,
        recipient_phone=shipment.recipient_phone,
        address=shipment.address,
        sender_unit=shipment.dossier.receiving_unit.name,
    )
    try:
        booking = postal_gateway().book(request)
    except PostalError as exc:
        ResultShipment.objects.filter(pk=shipment.pk).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:500]
        )
        shipment.refresh_from_db()
        return shipment
    ResultShipment.objects.filter(pk=shipment.pk, status=ShipmentStatus.REQUESTED).update(
        status=ShipmentStatus.BOOKED,
        tracking_number=booking.tracking_number,
        operator=booking.operator,
        attempts=F("attempts") + 1,
        last_error="",
        booked_at=timezone.now(),
    )
    shipment.refresh_from_db()
    audit_record(
        actor=None,
        action="dossier.shipment_booked",
        target=shipment.dossier,
        details={"tracking_number": shipment.tracking_number},
    )
    return shipment


@dataclass(frozen=True)
class BookingRun:
    booked: int
    failed: int


def book_shipments(*, limit: int = 200) -> BookingRun:
    """Try every shipment still waiting for a number (oldest first)."""
    booked = failed = 0
    pending = ResultShipment.objects.filter(status=ShipmentStatus.REQUESTED).order_by(
        "requested_at", "id"
    )
    for shipment_id in list(pending.values_list("pk", flat=True)[:limit]):
        result = shipment_book(shipment_id=shipment_id)
        if result is not None and result.status == ShipmentStatus.BOOKED:
            booked += 1
        else:
            failed += 1
    return BookingRun(booked, failed)
