"""The indices the system measures from a dossier's own records (TT 01/2018/TT-VPCP Điều 14
khoản 3 điểm b): index 2, the time each participating unit took against its limit.

A step's limit, as far as the sources give it (the catalog has no per-step times yet, so this
split is marked "chưa đối chiếu" in the index data):
- the one-stop desk: a paper dossier reaches the competent agency the same working day, or at
  the start of the next one when received after 15:00 (NĐ 61/2018/NĐ-CP Điều 18 khoản 2;
  ``dossiers.services.deadlines.hand_off_limit``); online dossiers are sent electronically and
  the desk's step is not scored;
- the handling unit: the result is approved by the appointment — the original one when the
  agency apologised and set a new date (NĐ 61/2018 Điều 19 khoản 9: the apology admits the
  delay), the extended one when the law itself granted the extension;
- a coordinating agency (liên thông) has no limit of its own in the data: not scored.
Early, on time and late follow ``dossiers.completion.outcome_of`` (before the limit's day,
on that day, after the moment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from egov.dossiers.actions import DossierAction as A
from egov.dossiers.completion import outcome_of
from egov.dossiers.models import Dossier, DossierEvent
from egov.dossiers.services.deadlines import hand_off_limit

DESK, HANDLING = "desk", "handling"

# Which step an officer's act belongs to (an officer's index 2 is the score of their steps).
DESK_ACTIONS = frozenset(
    {
        A.RECEIVE,
        A.ACCEPT_ONLINE,
        A.REFUSE,
        A.HAND_OFF,
        A.SUPPLEMENTED,
        A.PAID,
        A.RETURN_RESULT,
        A.SEND_BY_POST,
        A.POSTAL_DELIVERED,
        A.POSTAL_FAILED,
    }
)
HANDLING_ACTIONS = frozenset(
    {
        A.ASSIGN,
        A.SUBMIT_FOR_APPROVAL,
        A.TRANSFER_OUT,
        A.REQUEST_SUPPLEMENT,
        A.REQUEST_PAYMENT,
        A.APPROVE,
        A.STOP,
        A.APOLOGISE,
        A.EXTEND,
    }
)


@dataclass(frozen=True)
class StepTiming:
    step: str
    unit_id: int
    timing: str  # early | on_time | late


def _first(events: Iterable[DossierEvent], action: str) -> DossierEvent | None:
    return next((e for e in events if e.action == action), None)


def handling_limit(dossier: Dossier) -> dt.datetime | None:
    """The handling unit's limit: the appointment before an apology moved it."""
    if dossier.apologised_at is not None and dossier.original_due_at is not None:
        return dossier.original_due_at
    return dossier.due_at


def step_timings(dossier: Dossier, events: list[DossierEvent]) -> list[StepTiming]:
    """The scored steps of ``dossier`` (events in sequence order)."""
    steps: list[StepTiming] = []
    hand_off = _first(events, A.HAND_OFF)
    desk_limit = hand_off_limit(dossier)
    if hand_off is not None and desk_limit is not None:
        desk = outcome_of(hand_off.at, desk_limit)
        if desk is not None:
            steps.append(StepTiming(DESK, dossier.receiving_unit_id, desk.value))
    approve = _first(events, A.APPROVE)
    handling_unit = dossier.handling_unit_id or dossier.receiving_unit_id
    if approve is not None:
        handled = outcome_of(approve.at, handling_limit(dossier))
        if handled is not None:
            steps.append(StepTiming(HANDLING, handling_unit, handled.value))
    return steps


def officer_steps(events: list[DossierEvent], *, exclude: int | None) -> dict[int, set[str]]:
    """Officer id → the steps they acted in (the applicant's own acts excluded)."""
    acted: dict[int, set[str]] = {}
    for event in events:
        if event.actor_id is None or event.actor_id == exclude:
            continue
        steps = acted.setdefault(event.actor_id, set())
        if event.action in DESK_ACTIONS:
            steps.add(DESK)
        elif event.action in HANDLING_ACTIONS:
            steps.add(HANDLING)
    return acted
