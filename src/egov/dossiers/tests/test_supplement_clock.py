"""The supplement clock (NĐ 61/2018 Điều 19 khoản 4): the agency returns an incomplete dossier
within 03 working days of reception — later is recorded with a warning — and the processing
time starts again from the beginning once the complete dossier is received; sector law may
differ per procedure version (NĐ 217/2026 Điều 54 khoản 2: the applicant has 02 working days)."""

import datetime as dt

import pytest
import time_machine

from egov.catalog.models import ProcedureVersion
from egov.catalog.selectors import version_by_code
from egov.dossiers.models import DossierWarning
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ
from egov.workdays.selectors import calendar_for_unit

pytestmark = pytest.mark.django_db
HKD = "1.001612"  # 3 working days
PERMIT = "qn-cap-gpxd-nha-o-rieng-le"  # from 01/07/2026: 7 working days, NĐ 217/2026


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def received_and_handed(code, moment):
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    with time_machine.travel(moment, tick=False):
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(code))
        return dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off", handling_unit=ward
        )


def request(dossier, moment):
    with time_machine.travel(moment, tick=False):
        return dossier_transition(
            actor=user("honggai.chuyenvien"),
            dossier=dossier,
            action="request_supplement",
            data={"items": ["Bản sao giấy tờ tùy thân"]},
        )


def supplemented(dossier, moment):
    with time_machine.travel(moment, tick=False):
        return dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="supplemented"
        )


def run(rule):
    version = version_by_code(HKD, dt.date(2026, 3, 2))
    ProcedureVersion.objects.filter(pk=version.pk).update(supplement_clock=rule)
    dossier = received_and_handed(HKD, at(2026, 3, 2, 9, 0))  # due Thu 5/3 17:00
    dossier = request(dossier, at(2026, 3, 3, 9, 0))  # 2 working days left
    return supplemented(dossier, at(2026, 3, 9, 9, 0))  # supplemented the next Monday


@pytest.mark.parametrize(
    ("rule", "due", "recorded"),
    [
        ("pause", at(2026, 3, 11, 17, 0), "pause"),  # the 21 working hours left → Wed 11/3 17:00
        ("restart", at(2026, 3, 12, 17, 0), "restart"),  # the full 3 days again → Thu 12/3 17:00
        # Entered before the rule was checked: the general rule, restart.
        ("unknown", at(2026, 3, 12, 17, 0), "restart"),
    ],
)
def test_supplement_clock_rule(quang_ninh, rule, due, recorded):
    dossier = run(rule)
    assert dossier.due_at == due
    event = dossier.events.last()
    assert event.data["supplement_rule"] == recorded
    assert event.data["supplement_basis"] == "NĐ 61/2018/NĐ-CP Điều 19 khoản 4"


def test_restart_gives_the_full_time_from_the_complete_dossier(quang_ninh):
    """Asked on day 2 (in time, no warning), complete on day X: due X + 3 working days of the
    receiving unit's calendar, whatever was left before."""
    dossier = received_and_handed(HKD, at(2026, 3, 2, 9, 0))
    dossier = request(dossier, at(2026, 3, 3, 10, 0))
    assert "warning" not in dossier.events.last().data
    complete = at(2026, 3, 10, 14, 30)  # day X: Tuesday of the next week
    dossier = supplemented(dossier, complete)
    calendar = calendar_for_unit(Unit.objects.get(key="qn.ttpvhcc"))
    assert dossier.due_at == calendar.add_working_days(complete, 3)
    assert dossier.due_at.astimezone(VIETNAM_TZ).date() == dt.date(2026, 3, 13)
    assert not DossierWarning.objects.filter(dossier=dossier).exists()


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (at(2026, 3, 5, 16, 59), False),  # the third working day after Monday's reception
        (at(2026, 3, 6, 7, 31), True),  # Friday: past the 03 working days
    ],
)
def test_supplement_asked_after_three_working_days_is_warned_and_recorded(quang_ninh, moment, late):
    dossier = received_and_handed(HKD, at(2026, 3, 2, 9, 0))
    dossier = request(dossier, moment)
    assert dossier.status == "supplement_requested"  # the request is made all the same
    event = dossier.events.last()
    warnings = DossierWarning.objects.filter(dossier=dossier)
    if not late:
        assert "warning" not in event.data and not warnings.exists()
        return
    assert event.data["warning"] == {
        "kind": "supplement_late",
        "limit": at(2026, 3, 5, 17, 0).isoformat(),
        "basis": "NĐ 61/2018/NĐ-CP Điều 19 khoản 4",
    }
    (warning,) = warnings
    assert (warning.kind, warning.due_at, warning.raised_at) == (
        "supplement_late",
        at(2026, 3, 5, 17, 0),
        moment,
    )


def test_the_agencys_limit_is_a_setting(quang_ninh, settings):
    settings.EGOV_SUPPLEMENT_REQUEST_DAYS = 5
    dossier = received_and_handed(HKD, at(2026, 3, 2, 9, 0))
    dossier = request(dossier, at(2026, 3, 6, 7, 31))
    assert "warning" not in dossier.events.last().data


def test_building_permit_applicant_has_two_working_days(quang_ninh):
    """NĐ 217/2026 Điều 54 khoản 2 điểm b, a per-procedure override of the version in force
    from 01/07/2026: the applicant completes within 02 working days of the notice."""
    dossier = received_and_handed(PERMIT, at(2026, 7, 1, 9, 0))
    assert dossier.procedure_version.valid_from == dt.date(2026, 7, 1)
    dossier = request(dossier, at(2026, 7, 2, 9, 0))
    assert dossier.events.last().data["applicant_until"] == at(2026, 7, 6, 17, 0).isoformat()
    dossier = supplemented(dossier, at(2026, 7, 7, 9, 0))  # Tuesday: one day too late
    event = dossier.events.last()
    assert event.data["warning"] == {
        "kind": "applicant_late",
        "limit": at(2026, 7, 6, 17, 0).isoformat(),
        "basis": "NĐ 217/2026/NĐ-CP Điều 54 khoản 2 điểm a, b",
    }
    assert DossierWarning.objects.get(dossier=dossier).kind == "applicant_late"
    # The time restarts all the same: 07 working days from the complete dossier.
    assert dossier.due_at == at(2026, 7, 16, 17, 0)


def test_permit_received_before_the_new_decree_keeps_its_version(quang_ninh):
    dossier = received_and_handed(PERMIT, at(2026, 6, 30, 9, 0))
    assert dossier.procedure_version.valid_until == dt.date(2026, 7, 1)
    dossier = request(dossier, at(2026, 7, 1, 9, 0))
    assert "applicant_until" not in dossier.events.last().data
    dossier = supplemented(dossier, at(2026, 7, 10, 9, 0))
    assert "warning" not in dossier.events.last().data
