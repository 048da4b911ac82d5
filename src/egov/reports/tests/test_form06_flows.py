"""Biểu 06 over dossiers that went through the real services: the appointment computed by the
workdays calendar around a holiday, moved by a supplement, and the outcome written by
egov.dossiers.completion when processing ends."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine

from egov.accounts.models import User
from egov.catalog.selectors import version_by_code
from egov.core.uploads import store_private
from egov.dossiers.models import Dossier
from egov.dossiers.services.online import OnlineSubmission, dossier_submit_online
from egov.dossiers.services.reception import Applicant, dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.reports.form06 import form06_report
from egov.reports.periods import period_between
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
HKD = "1.001612"  # Đăng ký thành lập hộ kinh doanh: 3 working days
CRIMINAL_RECORD = "qn-cap-phieu-ly-lich-tu-phap"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


def act(username, dossier, action, reason="", **data):
    with time_machine.travel(data.pop("moment"), tick=False):
        return dossier_transition(
            actor=user(username), dossier=dossier, action=action, reason=reason, data=data
        )


def received(code: str, moment: dt.datetime):
    with time_machine.travel(moment, tick=False):
        return dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(code))


def withdrawn(dossier, moment: dt.datetime):
    return act("tinh.tiepnhan", dossier, "withdraw", "Người nộp xin rút hồ sơ", moment=moment)


def centre_total(first: dt.date, last: dt.date) -> list[int]:
    centre = Unit.objects.get(key="qn.ttpvhcc")
    return form06_report(period=period_between(first, last), unit=centre).total.values()


def test_on_time_and_late_around_the_april_holidays(quang_ninh):
    """Received Tuesday 28/04/2026 09:00 for 3 working days: 30/04 and 01/05 are holidays and
    02–03/05 a weekend, so the appointment is Tuesday 05/05 17:00 (29/04, 04/05, 05/05) — not
    Friday 01/05 as calendar days would give."""
    early, on_time, late = (received(HKD, at(2026, 4, 28, 9)) for _ in range(3))
    assert early.due_at == at(2026, 5, 5, 17)
    withdrawn(early, at(2026, 5, 4, 10))  # six calendar days later, before the day: early
    withdrawn(on_time, at(2026, 5, 5, 16))  # on the appointment's day: on time
    withdrawn(late, at(2026, 5, 6, 8))  # the next morning: late
    # 28/04 – 05/05: two ended early and on time; the third is still in progress when the
    # period ends (midnight after 05/05) and already past its appointment (05/05 17:00).
    assert centre_total(dt.date(2026, 4, 28), dt.date(2026, 5, 5)) == [
        3,
        0,
        3,
        0,
        2,
        1,
        1,
        0,
        1,
        0,
        1,
    ]
    assert centre_total(dt.date(2026, 5, 6), dt.date(2026, 5, 6)) == [
        1,
        0,
        0,
        1,
        1,
        0,
        0,
        1,
        0,
        0,
        0,
    ]


def test_early_before_the_appointment_day_on_time_on_it(quang_ninh):
    """Received Monday 02/03/2026 09:00 for 6 working days (criminal record): appointment
    Thursday 12/03 17:00. Approved on 11/03 16:59: early; on 12/03 08:00: on time; on 12/03
    17:01: late."""
    dossiers = []
    for approved in (at(2026, 3, 11, 16, 59), at(2026, 3, 12, 8), at(2026, 3, 12, 17, 1)):
        dossier = received(CRIMINAL_RECORD, at(2026, 3, 2, 9))
        step = at(2026, 3, 2, 10)
        dossier = act("tinh.tiepnhan", dossier, "hand_off", moment=step)
        dossier = act(
            "tinh.lanhdaophong", dossier, "assign", assignee="tinh.chuyenvien", moment=step
        )
        dossier = act("tinh.chuyenvien", dossier, "submit_for_approval", moment=step)
        assert dossier.due_at == at(2026, 3, 12, 17)
        dossiers.append(act("tinh.lanhdaophong", dossier, "approve", moment=approved))
    assert [d.outcome for d in dossiers] == ["early", "on_time", "late"]
    department = Unit.objects.get(key="qn.so-tu-phap")  # the handling unit after hand-off
    march = period_between(dt.date(2026, 3, 1), dt.date(2026, 3, 14))
    assert form06_report(period=march, unit=department).total.values() == [
        3,
        0,
        3,
        0,
        3,
        1,
        1,
        1,
        0,
        0,
        0,
    ]
    # The receiving centre handles none of them: they were handed off.
    centre = Unit.objects.get(key="qn.ttpvhcc")
    assert form06_report(period=march, unit=centre).total.received_total == 0


def test_a_supplement_that_moved_the_appointment(quang_ninh):
    """Due Thursday 05/03 17:00; a supplement asked on 03/03 and given on 09/03 restarts the 3
    working days: due Thursday 12/03 17:00. Still open at the end of 01–11/03, it is within
    time (it would be overdue under the first appointment); it ends on 12/03, on time."""
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    dossier = received(HKD, at(2026, 3, 2, 9))
    assert dossier.due_at == at(2026, 3, 5, 17)
    dossier = act(
        "tinh.tiepnhan", dossier, "hand_off", handling_unit=ward.key, moment=at(2026, 3, 2, 9)
    )
    dossier = act(
        "honggai.chuyenvien",
        dossier,
        "request_supplement",
        items=["Bản sao giấy tờ tùy thân"],
        moment=at(2026, 3, 3, 9),
    )
    dossier = act("tinh.tiepnhan", dossier, "supplemented", moment=at(2026, 3, 9, 9))
    assert dossier.due_at == at(2026, 3, 12, 17)
    first_days = period_between(dt.date(2026, 3, 1), dt.date(2026, 3, 11))
    assert form06_report(period=first_days, unit=ward).total.values() == [
        1,
        0,
        1,
        0,
        0,
        0,
        0,
        0,
        1,
        1,
        0,
    ]
    withdrawn(dossier, at(2026, 3, 12, 9))
    twelfth = period_between(dt.date(2026, 3, 12), dt.date(2026, 3, 12))
    assert form06_report(period=twelfth, unit=ward).total.values() == [
        1,
        0,
        0,
        1,
        1,
        0,
        1,
        0,
        0,
        0,
        0,
    ]


def _online(citizen_name: str, moment: dt.datetime):
    citizen = User.objects.create_user(citizen_name)
    version = version_by_code(HKD, moment.date())
    assert version is not None
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    files = {
        c.pk: [store_private(io.BytesIO(pdf), original_name="to-khai.pdf", prefix="applications")]
        for c in version.components.filter(required=True)
    }
    with time_machine.travel(moment, tick=False):
        return dossier_submit_online(
            actor=citizen,
            submission=OnlineSubmission(
                owner=citizen,
                unit=Unit.objects.get(key="qn.ttpvhcc"),
                version=version,
                applicant=Applicant(kind="citizen", name="An", personal_id="022084000123"),
                files=files,
            ),
        )


def test_refused_or_withdrawn_before_reception_counts_nowhere(quang_ninh):
    """Online dossiers the desk refuses, or the applicant withdraws, before reception have no
    reception: they are not on the form. One accepted and then withdrawn is (early: it ended
    before the appointment's day)."""
    refused = _online("congdan.an", at(2026, 3, 2, 9))
    act(
        "tinh.tiepnhan",
        refused,
        "refuse",
        "Hồ sơ không thuộc thẩm quyền",
        moment=at(2026, 3, 2, 10),
    )
    dropped = _online("congdan.binh", at(2026, 3, 2, 9))
    withdrawn(dropped, at(2026, 3, 2, 11))
    accepted = _online("congdan.chi", at(2026, 3, 2, 9))
    accepted = act("tinh.tiepnhan", accepted, "accept_online", moment=at(2026, 3, 2, 10))
    withdrawn(accepted, at(2026, 3, 2, 11))
    assert Dossier.objects.filter(received_at__isnull=True, completed_at__isnull=False).count() == 2
    assert centre_total(dt.date(2026, 3, 1), dt.date(2026, 3, 14)) == [
        1,
        1,
        0,
        0,
        1,
        1,
        0,
        0,
        0,
        0,
        0,
    ]
