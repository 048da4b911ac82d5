"""When and how a dossier's processing ended: the columns reports read over many dossiers
(``completed_at``, ``outcome``, ``working_days``), set once, where a transition reaches an
ending status, instead of being recomputed from the event rows of every dossier.

The rule is the one of the national on-time indicator (QĐ 766/QĐ-TTg, indicator "tỷ lệ hồ sơ
xử lý trước hạn, đúng hạn", as the service portal computes it; reports-and-indicators §1.2):
processing ends at the first of "đã xử lý xong" (the result is approved: ``result_ready``),
"đã trả kết quả" (``returned``), or the stop, refusal or withdrawal of the dossier; it is on
time when that moment is not after the appointment (``NgayKetThucXuLy ≤ NgayHenTra``). The
appointment is the dossier's ``due_at``: the date on the receipt, as moved by the supplement
clock (NĐ 61/2018 Điều 19 khoản 4 as amended by NĐ 107/2021, now NĐ 118/2025), by an extension
the law itself grants (``services.extensions``: the extended dossier is on time) or by the one
apology with a new date (Điều 19 khoản 9). Early and on time are split as in Biểu 06 of
TT 01/2020/TT-VPCP and Mẫu 05 of TT 01/2018/TT-VPCP: early is before the appointment's day,
on time is on that day, not after the appointed moment.

A dossier that was never received (an online one refused or withdrawn before reception) ends
too, but is not counted by the indicator: it gets ``completed_at`` without an outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from egov.dossiers.models import Dossier, DossierStatus, Outcome
from egov.workdays.engine import VIETNAM_TZ, WorkCalendar
from egov.workdays.selectors import calendar_for_unit

S = DossierStatus
ENDING_STATUSES = frozenset({S.RESULT_READY, S.RETURNED, S.STOPPED, S.WITHDRAWN, S.REFUSED})


def outcome_of(finished: dt.datetime, due: dt.datetime | None) -> Outcome | None:
    """Early before the appointment's day (Vietnam time), on time on that day up to the
    appointed moment, late after it; None without an appointment."""
    if due is None:
        return None
    if finished > due:
        return Outcome.LATE
    if finished.astimezone(VIETNAM_TZ).date() < due.astimezone(VIETNAM_TZ).date():
        return Outcome.EARLY
    return Outcome.ON_TIME


def working_days_between(calendar: WorkCalendar, start: dt.datetime, end: dt.datetime) -> Decimal:
    """Working days of the unit's calendar used between two moments: each working day counts
    the share of its office hours inside [start, end), so a whole day is 1 whatever its length
    and a half-day Saturday schedule is not counted as a full day (2 decimals)."""
    first, last = start.astimezone(VIETNAM_TZ), end.astimezone(VIETNAM_TZ)
    total = Decimal(0)
    if last <= first:
        return total.quantize(Decimal("0.01"))
    day = first.date()
    while day <= last.date():
        length = calendar.working_day_length(day)
        if length:
            midnight = dt.datetime.combine(day, dt.time(0), tzinfo=VIETNAM_TZ)
            spent = calendar.working_time_between(
                max(first, midnight), min(last, midnight + dt.timedelta(days=1))
            )
            total += Decimal(spent.total_seconds()) / Decimal(length.total_seconds())
        day += dt.timedelta(days=1)
    return total.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Completion:
    completed_at: dt.datetime
    outcome: str
    working_days: Decimal | None


def completion_of(
    *,
    completed_at: dt.datetime,
    received_at: dt.datetime | None,
    due_at: dt.datetime | None,
    calendar: WorkCalendar,
) -> Completion:
    """The completion columns of a dossier whose processing ended at ``completed_at``."""
    if received_at is None:
        return Completion(completed_at, "", None)
    outcome = outcome_of(completed_at, due_at)
    return Completion(
        completed_at,
        outcome.value if outcome else "",
        working_days_between(calendar, received_at, completed_at),
    )


def completion_changes(
    dossier: Dossier, *, target: str, at: dt.datetime, changes: dict[str, Any]
) -> dict[str, Any]:
    """The completion columns to write with the transition that moves ``dossier`` (as read,
    before the move) to ``target`` with ``changes``: empty unless that status ends processing
    for the first time."""
    if target not in ENDING_STATUSES or dossier.completed_at is not None:
        return {}
    done = completion_of(
        completed_at=at,
        received_at=changes.get("received_at", dossier.received_at),
        due_at=changes.get("due_at", dossier.due_at),
        calendar=calendar_for_unit(dossier.receiving_unit),
    )
    return {
        "completed_at": done.completed_at,
        "outcome": done.outcome,
        "working_days": done.working_days,
    }
