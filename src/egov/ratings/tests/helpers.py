"""A counter dossier taken through to its result at fixed moments (Việt Nam time)."""

import datetime as dt

import time_machine

from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.ratings.models import Rating
from egov.ratings.services import rating_submit
from egov.workdays.engine import VIETNAM_TZ

LLTP = "qn-cap-phieu-ly-lich-tu-phap"


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def act(username, dossier, action, when, reason="", **data):
    with time_machine.travel(when, tick=False):
        return dossier_transition(
            actor=user(username), dossier=dossier, action=action, reason=reason, data=data
        )


def handled(*, received, hand_off, approve, returned, code=LLTP, applicant=None):
    """Received by tinh.tiepnhan, handed off, assigned, approved by tinh.lanhdaophong and
    returned at the given moments."""
    args = {"applicant": applicant} if applicant else {}
    with time_machine.travel(received, tick=False):
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(code, **args))
    dossier = act("tinh.tiepnhan", dossier, "hand_off", hand_off)
    dossier = act("tinh.lanhdaophong", dossier, "assign", hand_off, assignee="tinh.chuyenvien")
    dossier = act("tinh.chuyenvien", dossier, "submit_for_approval", hand_off)
    dossier = act("tinh.lanhdaophong", dossier, "approve", approve)
    return act("tinh.tiepnhan", dossier, "return_result", returned, received_by="Nguyễn Văn An")


def rate(dossier, **answers):
    with time_machine.travel(at(2026, 3, 20, 9), tick=False):
        return rating_submit(
            actor=user("tinh.tiepnhan"), dossier=dossier, answers=answers, check="5678"
        )


def build_march():
    """Three dossiers of the provincial centre handled by the Sở Tư pháp in March 2026; A and
    B rated on the official indices, C on the old scale."""
    # A: handed off on the day of reception (desk on time: 1), approved early (2).
    a = handled(
        received=at(2026, 3, 2, 9),
        hand_off=at(2026, 3, 2, 10),
        approve=at(2026, 3, 5, 10),
        returned=at(2026, 3, 6, 9),
    )
    # B: handed off the next morning (desk late: 0), approved on the appointment's day (1).
    b = handled(
        received=at(2026, 3, 2, 9, 30),
        hand_off=at(2026, 3, 3, 9),
        approve=at(2026, 3, 12, 10),
        returned=at(2026, 3, 12, 15),
    )
    # C: desk on time (1), approved after the appointment (0); rated on the old scale.
    c = handled(
        received=at(2026, 3, 2, 10),
        hand_off=at(2026, 3, 2, 11),
        approve=at(2026, 3, 13, 9),
        returned=at(2026, 3, 13, 10),
    )
    assert (a.outcome, b.outcome, c.outcome) == ("early", "on_time", "late")
    rate(a, timing="early", contacts="0", agencies="1", complaint="no")
    rate(b, timing="on_time", contacts="2", agencies="2", complaint="yes")
    Rating.objects.create(
        dossier=c,
        unit=c.handling_unit,
        criteria_version="2026-1",
        answers={"overall": 3},
        overall=3,
        created_at=at(2026, 3, 14, 9),
    )
    return a, b, c
