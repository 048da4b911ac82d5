import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections

from egov.dossiers.errors import TransitionError
from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.permissions import allowed_actions
from egov.dossiers.services.reception import Applicant, dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 4, 24, 10, 0, tzinfo=VIETNAM_TZ), tick=False)
def test_receive_assigns_code_due_moment_and_first_event(quang_ninh):
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    unit_code = Unit.objects.get(key="qn.ttpvhcc").code
    assert dossier.code == f"{unit_code}-260424-0001"
    # 3 working days from Friday 24/4/2026 10:00 (27/4 Giỗ Tổ compensatory day, 30/4, 1/5),
    # Friday not counted, due at the close of the third (Bộ luật Dân sự 2015 Điều 147–148).
    assert dossier.due_at == dt.datetime(2026, 5, 4, 17, 0, tzinfo=VIETNAM_TZ)
    assert dossier.status == DossierStatus.RECEIVED
    event = dossier.events.get()
    assert (event.action, event.to_status, event.actor.username) == (
        "receive",
        "received",
        "tinh.tiepnhan",
    )
    second = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("2.000884"))
    assert second.code.endswith("-260424-0002")
    # "Within the day" with the 15:00 cut-off.
    assert second.due_at == dt.datetime(2026, 4, 24, 17, 0, tzinfo=VIETNAM_TZ)


@pytest.mark.django_db
def test_the_provinces_counting_rule_sets_new_due_moments_and_never_moves_stored_ones(
    quang_ninh,
):
    from egov.workdays.services import day_counting_rule_load

    with time_machine.travel(dt.datetime(2026, 4, 24, 10, 0, tzinfo=VIETNAM_TZ), tick=False):
        before = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    # The province chooses to keep the clock time from 27/4/2026 on.
    day_counting_rule_load(
        actor=None,
        data={
            "unit": "qn.ubnd",
            "rule": "same_time",
            "valid_from": "2026-04-27",
            "basis": "Quyết định của UBND tỉnh (kiểm thử)",
        },
    )
    with time_machine.travel(dt.datetime(2026, 4, 28, 10, 0, tzinfo=VIETNAM_TZ), tick=False):
        after = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    # 3 working days from Tue 28/4 10:00: Wed 29/4, Mon 4/5, Tue 5/5 at 10:00.
    assert after.due_at == dt.datetime(2026, 5, 5, 10, 0, tzinfo=VIETNAM_TZ)
    before.refresh_from_db()
    assert before.due_at == dt.datetime(2026, 5, 4, 17, 0, tzinfo=VIETNAM_TZ)


@pytest.mark.django_db
def test_reception_refuses_bad_input_with_every_message(quang_ninh):
    bad = Applicant(kind="citizen", name="", personal_id="123", phone="0123")
    with pytest.raises(ValidationError) as error:
        dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(applicant=bad))
    assert set(error.value.message_dict) == {"name", "personal_id", "phone"}
    with pytest.raises(ValidationError, match="vai trò tiếp nhận"):
        dossier_receive(actor=user("tinh.chuyenvien"), reception=reception())
    incomplete = reception()
    incomplete.components = {}
    with pytest.raises(ValidationError, match="chưa đủ thành phần"):
        dossier_receive(actor=user("tinh.tiepnhan"), reception=incomplete)
    assert Dossier.objects.count() == 0


@pytest.mark.django_db
def test_lifecycle_roles_and_conflicts(quang_ninh):
    receptionist, specialist, leader = (
        user("tinh.tiepnhan"),
        user("tinh.chuyenvien"),
        user("tinh.lanhdaophong"),
    )
    dossier = dossier_receive(
        actor=receptionist, reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    assert allowed_actions(specialist, dossier) == []
    stale = Dossier.objects.get(pk=dossier.pk)
    dossier = dossier_transition(actor=receptionist, dossier=dossier, action="hand_off")
    with pytest.raises(TransitionError, match="vừa được người khác xử lý"):
        dossier_transition(actor=receptionist, dossier=stale, action="hand_off")
    assert "request_supplement" in allowed_actions(specialist, dossier)
    with pytest.raises(TransitionError, match="quyền"):
        dossier_transition(actor=specialist, dossier=dossier, action="approve")
    with pytest.raises(TransitionError, match="liệt kê đầy đủ"):
        dossier_transition(actor=specialist, dossier=dossier, action="request_supplement")
    dossier = dossier_transition(
        actor=specialist,
        dossier=dossier,
        action="request_supplement",
        data={"items": ["Tờ khai có chữ ký", " tờ khai  có chữ ký ", ""]},
    )
    assert dossier.events.last().data == {"items": ["Tờ khai có chữ ký"], "number": 1}
    dossier = dossier_transition(actor=receptionist, dossier=dossier, action="supplemented")
    dossier = dossier_transition(actor=leader, dossier=dossier, action="approve")
    with pytest.raises(TransitionError, match="người nhận kết quả"):
        dossier_transition(actor=receptionist, dossier=dossier, action="return_result")
    dossier = dossier_transition(
        actor=receptionist,
        dossier=dossier,
        action="return_result",
        data={"received_by": "Nguyễn Văn An", "delivery": "counter"},
    )
    assert dossier.events.last().data == {"received_by": "Nguyễn Văn An", "delivery": "counter"}
    assert dossier.status == DossierStatus.RETURNED
    assert [e.action for e in dossier.events.all()] == [
        "receive",
        "hand_off",
        "request_supplement",
        "supplemented",
        "approve",
        "return_result",
    ]
    assert [e.sequence for e in dossier.events.all()] == [1, 2, 3, 4, 5, 6]


@pytest.mark.django_db(transaction=True)
def test_concurrent_receptions_get_distinct_consecutive_codes(quang_ninh):
    workers = 50 if connection.vendor == "postgresql" else 10
    receptionist = user("tinh.tiepnhan")
    codes, errors = [], []
    barrier = threading.Barrier(workers)

    def receive():
        try:
            barrier.wait(timeout=30)
            codes.append(dossier_receive(actor=receptionist, reception=reception()).code)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receive) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert sequences == list(range(1, workers + 1))
    assert len({code.rsplit("-", 1)[0] for code in codes}) == 1


@pytest.mark.django_db
def test_hand_off_to_the_chosen_unit_gives_its_staff_the_dossier(quang_ninh):
    point = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    local = reception("2.000884")
    local.unit = point
    dossier = dossier_receive(actor=user("honggai.tiepnhan"), reception=local)
    with pytest.raises(TransitionError, match="chọn đơn vị giải quyết"):
        dossier_transition(actor=user("honggai.tiepnhan"), dossier=dossier, action="hand_off")
    assert allowed_actions(user("honggai.lanhdao"), dossier) == []
    dossier = dossier_transition(
        actor=user("honggai.tiepnhan"), dossier=dossier, action="hand_off", handling_unit=ward
    )
    assert dossier.handling_unit == ward
    assert dossier.events.last().data == {"to_unit": "qn.x.hong-gai.ubnd"}
    assert "approve" in allowed_actions(user("honggai.lanhdao"), dossier)
    assert allowed_actions(user("tinh.lanhdaophong"), dossier) == []
