"""Completion columns: set once, where a transition first ends processing, by the on-time rule
of QĐ 766 (egov.dossiers.completion)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from egov.core.validity import OPEN_END, OPEN_START
from egov.dossiers.completion import completion_of, outcome_of, working_days_between
from egov.dossiers.models import Dossier, Outcome
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.workdays.engine import (
    STANDARD_WEEK,
    VIETNAM_TZ,
    ScheduleVersion,
    WorkCalendar,
    YearRules,
)

pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def act(username, dossier, action, reason="", **data):
    return dossier_transition(
        actor=user(username), dossier=dossier, action=action, reason=reason, data=data
    )


def columns(dossier):
    return Dossier.objects.filter(pk=dossier.pk).values_list(
        "completed_at", "outcome", "working_days"
    )[0]


def office_hours_only():
    """07:30–11:30 and 13:30–17:00, Monday to Friday, no holidays."""
    return WorkCalendar(
        schedules=[ScheduleVersion(OPEN_START, OPEN_END, STANDARD_WEEK)],
        year_rules=lambda year: YearRules(days_off={}, extra_working_days={}),
    )


def test_early_before_the_day_on_time_on_the_day_late_after_the_moment():
    due = at(2026, 3, 12, 17, 0)
    assert outcome_of(at(2026, 3, 11, 16, 59), due) == Outcome.EARLY
    assert outcome_of(at(2026, 3, 12, 7, 30), due) == Outcome.ON_TIME
    assert outcome_of(due, due) == Outcome.ON_TIME
    assert outcome_of(at(2026, 3, 12, 17, 0, 1), due) == Outcome.LATE
    assert outcome_of(at(2026, 3, 12, 7, 30), None) is None


def test_working_days_count_each_day_as_one_whatever_its_hours():
    calendar = office_hours_only()
    # Monday 09:00 → Thursday 10:30: 6/7.5 + 1 + 1 + 3/7.5.
    assert working_days_between(calendar, at(2026, 3, 2, 9), at(2026, 3, 5, 10, 30)) == Decimal(
        "3.20"
    )
    # Friday 16:00 → Monday 08:30 (the weekend does not count): 1/7.5 + 1/7.5.
    assert working_days_between(calendar, at(2026, 3, 6, 16), at(2026, 3, 9, 8, 30)) == Decimal(
        "0.27"
    )
    assert working_days_between(calendar, at(2026, 3, 5), at(2026, 3, 2)) == Decimal("0.00")


def test_a_dossier_never_received_ends_without_outcome():
    done = completion_of(
        completed_at=at(2026, 3, 2, 10),
        received_at=None,
        due_at=at(2026, 3, 2, 17),
        calendar=office_hours_only(),
    )
    assert (done.completed_at, done.outcome, done.working_days) == (at(2026, 3, 2, 10), "", None)


def test_approval_ends_processing_and_the_return_does_not_move_it(quang_ninh):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        dossier = dossier_receive(
            actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
        dossier = act("tinh.tiepnhan", dossier, "hand_off")
        dossier = act("tinh.lanhdaophong", dossier, "assign", assignee="tinh.chuyenvien")
        dossier = act("tinh.chuyenvien", dossier, "submit_for_approval")
    assert dossier.due_at == at(2026, 3, 12, 17, 0)
    assert columns(dossier) == (None, "", None)
    with time_machine.travel(at(2026, 3, 5, 10, 30), tick=False):
        dossier = act("tinh.lanhdaophong", dossier, "approve")
    ended = (at(2026, 3, 5, 10, 30), "early", Decimal("3.20"))
    assert columns(dossier) == ended
    assert (dossier.completed_at, dossier.outcome, dossier.working_days) == ended
    # Returned after the appointment: processing had ended on time, nothing changes.
    with time_machine.travel(at(2026, 3, 13, 9, 0), tick=False):
        dossier = act("tinh.tiepnhan", dossier, "return_result", received_by="Nguyễn Văn An")
    assert dossier.status == "returned"
    assert columns(dossier) == ended


def test_withdrawal_after_the_appointment_is_late(quang_ninh):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("2.000884"))
    assert dossier.due_at == at(2026, 3, 2, 17, 0)
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        dossier = act("tinh.tiepnhan", dossier, "withdraw", "Người nộp xin rút hồ sơ")
    # Monday 09:00–17:00 is 6 of 7.5 hours, Tuesday 07:30–09:00 is 1.5.
    assert columns(dossier) == (at(2026, 3, 3, 9, 0), "late", Decimal("1.00"))
