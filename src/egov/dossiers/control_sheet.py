"""Rows of the control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ, Mẫu 05,
TT 01/2018/TT-VPCP), built from the dossier's event rows.

Each row is one hand-over: who gave (giao), who received (nhận), when, and whether the step
that ended there finished before, on or after its time. A step's allowance comes from the
procedure version's internal process (quy trình nội bộ), in the unit of the legal time of the
counter channel; without a template the dossier's own due moment is the reference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation

from egov.catalog.models import TimeKind
from egov.dossiers.actions import ACTION_LABELS, DossierAction
from egov.dossiers.completion import outcome_of
from egov.dossiers.models import Dossier, DossierEvent, Outcome
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ, WorkCalendar
from egov.workdays.selectors import calendar_for_unit

EARLY, ON_TIME, LATE = "trước hạn", "đúng hạn", "quá hạn"
STEP_ENDING_ACTIONS = (
    DossierAction.HAND_OFF,
    DossierAction.SUBMIT_FOR_APPROVAL,
    DossierAction.APPROVE,
    DossierAction.RETURN_RESULT,
    DossierAction.POSTAL_DELIVERED,
)
# Hand-overs inside a step: the dossier changes hands, the step's clock keeps running.
HANDOVER_ACTIONS = (
    DossierAction.ASSIGN,
    DossierAction.TRANSFER_OUT,
    DossierAction.TRANSFER_BACK,
    DossierAction.SEND_BY_POST,
)


@dataclass(frozen=True)
class ControlRow:
    giver: str
    receiver: str
    at: dt.datetime
    action: str
    step_due: dt.datetime | None
    status: str
    note: str


def _vietnamese(label: object) -> str:
    """Printed forms are Vietnamese whatever the language of the screen."""
    with translation.override("vi"):
        return str(label)


def _person(event: DossierEvent) -> str:
    return event.actor.display_name if event.actor else "Hệ thống"


def classify(finished: dt.datetime, due: dt.datetime | None) -> str:
    """Before the due day → trước hạn; on the due day, not after the moment → đúng hạn (the
    rule of egov.dossiers.completion); no due moment → đúng hạn."""
    outcome = outcome_of(finished, due)
    return EARLY if outcome == Outcome.EARLY else LATE if outcome == Outcome.LATE else ON_TIME


def _add_allowance(
    calendar: WorkCalendar, start: dt.datetime, allowance: Decimal, unit: str
) -> dt.datetime:
    if unit == TimeKind.WORKING_HOURS:
        return calendar.add_working_hours(start, float(allowance))
    # A day of allowance is one working day of the unit (7.5 h with the usual office hours).
    day = calendar.working_day_length(start.astimezone(VIETNAM_TZ).date())
    hours_per_day = day.total_seconds() / 3600 or 8.0
    return calendar.add_working_hours(start, float(allowance) * hours_per_day)


def _receiver(event: DossierEvent, dossier: Dossier, unit_names: dict[str, str]) -> str:
    data = event.data or {}
    if event.action in (DossierAction.HAND_OFF, DossierAction.TRANSFER_OUT):
        return unit_names.get(str(data.get("to_unit", "")), "")
    if event.action == DossierAction.TRANSFER_BACK:
        return dossier.handling_unit.name if dossier.handling_unit else ""
    if event.action == DossierAction.ASSIGN:
        return str(data.get("assignee_name", ""))
    if event.action == DossierAction.SEND_BY_POST:
        return "Doanh nghiệp bưu chính"
    if event.action in (DossierAction.RETURN_RESULT, DossierAction.POSTAL_DELIVERED):
        return f"Người nộp hồ sơ ({data['received_by']})" if data.get("received_by") else ""
    return ""


def control_rows(dossier: Dossier) -> list[ControlRow]:
    version = dossier.procedure_version
    steps = list(version.process_steps.select_related("unit").order_by("order"))
    counter = next((c for c in version.channels.all() if c.kind == "counter"), None)
    unit_kind = counter.time_kind if counter else TimeKind.WORKING_DAYS
    calendar = calendar_for_unit(dossier.receiving_unit)
    events = list(dossier.events.select_related("actor").order_by("sequence"))
    keys = {str(e.data.get("to_unit")) for e in events if (e.data or {}).get("to_unit")}
    unit_names = dict(Unit.objects.filter(key__in=keys).values_list("key", "name"))
    rows: list[ControlRow] = []
    step_start = dossier.received_at
    step_index = 0
    previous_holder = f"{dossier.receiving_unit.name}"
    for event in events:
        ends_step = event.action in STEP_ENDING_ACTIONS
        if not ends_step and event.action not in HANDOVER_ACTIONS:
            continue
        step_due: dt.datetime | None
        if step_index < len(steps) and step_start is not None:
            step_due = _add_allowance(calendar, step_start, steps[step_index].allowance, unit_kind)
            note = f"{steps[step_index].name} ({steps[step_index].allowance.normalize():f})"
        else:
            step_due = dossier.due_at
            note = ""
        receiver = _receiver(event, dossier, unit_names)
        rows.append(
            ControlRow(
                giver=f"{previous_holder} — {_person(event)}",
                receiver=receiver,
                at=event.at,
                action=_vietnamese(ACTION_LABELS.get(event.action, event.action)),
                step_due=step_due,
                status=classify(event.at, step_due),
                note=note if ends_step else "",
            )
        )
        previous_holder = receiver or previous_holder
        if ends_step:
            step_start = event.at
            step_index += 1
    return rows
