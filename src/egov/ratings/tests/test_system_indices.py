"""Index 2 from the dossier's own events (TT 01/2018/TT-VPCP Điều 13 khoản 2): the desk's
hand-off against NĐ 61/2018 Điều 18 khoản 2, the handling unit's approval against the
appointment — the original one when the agency apologised for a delay."""

import datetime as dt

import pytest
import time_machine

from egov.dossiers.services.apology import dossier_apologise
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.ratings.system import DESK, HANDLING, step_timings
from egov.ratings.tests.helpers import LLTP, act, at

pytestmark = pytest.mark.django_db


def steps(dossier):
    return [
        (s.step, s.unit_id, s.timing) for s in step_timings(dossier, list(dossier.events.all()))
    ]


def received_at_1530():
    # Received after 15:00: the desk may hand off until the start of the next working day.
    with time_machine.travel(at(2026, 3, 2, 15, 30), tick=False):
        return dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(LLTP))


def test_a_hand_off_the_same_afternoon_is_early_the_next_morning_on_time(quang_ninh):
    early = act("tinh.tiepnhan", received_at_1530(), "hand_off", at(2026, 3, 2, 16, 0))
    assert steps(early) == [(DESK, early.receiving_unit_id, "early")]
    on_time = act("tinh.tiepnhan", received_at_1530(), "hand_off", at(2026, 3, 3, 8, 0))
    assert steps(on_time) == [(DESK, on_time.receiving_unit_id, "on_time")]
    late = act("tinh.tiepnhan", received_at_1530(), "hand_off", at(2026, 3, 4, 8, 0))
    assert steps(late) == [(DESK, late.receiving_unit_id, "late")]


def test_an_apology_does_not_make_the_handling_unit_on_time(quang_ninh):
    dossier = act("tinh.tiepnhan", received_at_1530(), "hand_off", at(2026, 3, 2, 16, 0))
    dossier = act(
        "tinh.lanhdaophong", dossier, "assign", at(2026, 3, 3, 9), assignee="tinh.chuyenvien"
    )
    dossier = act("tinh.chuyenvien", dossier, "submit_for_approval", at(2026, 3, 3, 9))
    original = dossier.due_at
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):
        dossier = dossier_apologise(
            actor=user("tinh.lanhdaophong"),
            dossier=dossier,
            new_due=original + dt.timedelta(days=3),
            reason="Cần xác minh thêm",
        )
    approved = act("tinh.lanhdaophong", dossier, "approve", original + dt.timedelta(days=1))
    assert approved.outcome == "early"  # against the new date, for the on-time indicator
    assert steps(approved)[1] == (HANDLING, approved.handling_unit_id, "late")
