"""The queue indicators of the service centres under a unit, for the reports (issue 17 §5):
one row per centre — a receiving unit (``org.models.RECEIVING_KINDS``) that has service lines —
and the total, over the tickets taken on the days of a period. The figures are
``centre.selectors.queue_indicators``'s (docs/centre.md, "Measures and indicators")."""

from __future__ import annotations

from dataclasses import dataclass

from egov.centre.appointment_selectors import AppointmentMeasures, appointment_indicators
from egov.centre.selectors import QueueMeasures, queue_indicators
from egov.core.replicas import report_reads
from egov.org.models import RECEIVING_KINDS, Unit
from egov.org.selectors import units_below
from egov.reports.periods import Period


@dataclass(frozen=True)
class CentreQueue:
    centre: Unit
    measures: QueueMeasures
    appointments: AppointmentMeasures


@dataclass(frozen=True)
class QueueReport:
    rows: list[CentreQueue]
    total: QueueMeasures
    total_appointments: AppointmentMeasures


def queue_centres(unit: Unit) -> list[Unit]:
    """The centres of ``unit`` and of the units below it (any validity: a centre merged since
    keeps its tickets), in id order. A service line is never deleted while it has tickets
    (``Ticket.line`` is protected), so every centre with tickets is listed."""
    below = units_below(Unit.objects.filter(pk=unit.pk).values("pk"))
    return list(
        Unit.objects.filter(pk__in=below, kind__in=RECEIVING_KINDS, service_lines__isnull=False)
        .distinct()
        .order_by("pk")
    )


def queue_report(*, unit: Unit, period: Period) -> QueueReport:
    """The tickets taken from the period's first day to its last, per centre under ``unit``
    and for them all (the total's averages are over every ticket, not an average of the
    centres' averages), with the online appointments of those days: two queries per centre and
    two for the total."""
    centres = queue_centres(unit)
    start, end = period.first_day, period.last_day
    with report_reads():
        rows = [
            CentreQueue(
                c, queue_indicators([c], start, end), appointment_indicators([c], start, end)
            )
            for c in centres
        ]
        total = queue_indicators(centres, start, end)
        total_appointments = appointment_indicators(centres, start, end)
    return QueueReport(rows=rows, total=total, total_appointments=total_appointments)
