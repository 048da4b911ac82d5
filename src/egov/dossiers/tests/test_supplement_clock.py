import datetime as dt

import pytest
import time_machine

from egov.catalog.models import ProcedureVersion
from egov.catalog.selectors import version_by_code
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def run(rule):
    version = version_by_code("1.001612")
    ProcedureVersion.objects.filter(pk=version.pk).update(supplement_clock=rule)
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):  # due Thu 5/3 17:00
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("1.001612"))
        dossier = dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off", handling_unit=ward
        )
    # 2 working days and 6 h left (9:00–17:00 of Tuesday less the lunch break)
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        dossier = dossier_transition(
            actor=user("honggai.chuyenvien"),
            dossier=dossier,
            action="request_supplement",
            data={"items": ["Bản sao giấy tờ tùy thân"]},
        )
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):  # supplemented the next Monday
        dossier = dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="supplemented"
        )
    return dossier


@pytest.mark.parametrize(
    ("rule", "due"),
    [
        ("pause", at(2026, 3, 11, 17, 0)),  # the 21 working hours left → Wed 11/3 17:00
        ("restart", at(2026, 3, 12, 17, 0)),  # the full 3 working days again → Thu 12/3 17:00
        ("unknown", at(2026, 3, 5, 17, 0)),  # not settled: the due moment stays
    ],
)
def test_supplement_clock_rule(quang_ninh, rule, due):
    dossier = run(rule)
    assert dossier.due_at == due
    event = dossier.events.last()
    assert event.data["supplement_rule"] == rule
