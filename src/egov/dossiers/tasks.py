"""Background tasks of the dossiers app (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from egov.dossiers.services.postal import book_shipments, shipment_book
from egov.dossiers.services.warnings import raise_due_warnings


@task()
def raise_due_warnings_task() -> dict[str, int]:
    run = raise_due_warnings()
    return {"due_soon": run.due_soon, "overdue": run.overdue}


@task()
def book_result_shipment(shipment_id: int) -> str:
    shipment = shipment_book(shipment_id=shipment_id)
    return shipment.status if shipment else "missing"


@task()
def book_shipments_task() -> dict[str, int]:
    run = book_shipments()
    return {"booked": run.booked, "failed": run.failed}
