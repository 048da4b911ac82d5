"""The apology (Mẫu 04) refused to whoever may not send it, without a reason, or with a new date
that is not later than the current one — each with its exact message, nothing changed. It is the
competent agency's, signed by its head (NĐ 61/2018 Điều 19 khoản 9): a leader of the unit
handling the dossier or of the competent unit, never the desk."""

import datetime as dt

import pytest
import time_machine

from egov.dossiers.errors import TransitionError
from egov.dossiers.services.apology import dossier_apologise
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
LLTP = "qn-cap-phieu-ly-lich-tu-phap"


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


DUE = at(2026, 3, 12, 17, 0)


@pytest.fixture
def dossier(quang_ninh):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        received = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(LLTP))
    assert received.due_at == DUE
    return received


def _refused(dossier, *, actor, new_due, reason):
    with (
        time_machine.travel(at(2026, 3, 9, 9, 0), tick=False),
        pytest.raises(TransitionError) as refused,
    ):
        dossier_apologise(actor=user(actor), dossier=dossier, new_due=new_due, reason=reason)
    dossier.refresh_from_db()
    assert (dossier.due_at, dossier.apologised_at, dossier.original_due_at) == (DUE, None, None)
    assert not dossier.events.filter(action="apologise").exists()
    return str(refused.value)


@pytest.mark.parametrize(
    "outsider",
    [
        "honggai.chuyenvien",  # a specialist of another unit
        "honggai.tiepnhan",  # a receptionist of another desk
        "honggai.lanhdao",  # a leader of another unit
        "tinh.giamsat",  # the centre's supervisor: watches, does not act
        "tinh.buudien",  # postal staff at the receiving desk
        "tinh.tiepnhan",  # the receiving desk itself: it passes the apology on, never signs it
        "tinh.lanhdaotrungtam",  # the service centre's leader: not the competent agency
        "tinh.chuyenvien",  # the competent unit's specialist: drafts, the head signs
    ],
)
def test_only_the_competent_agencys_head_may_apologise(dossier, outsider):
    message = _refused(dossier, actor=outsider, new_due=at(2026, 3, 18, 17, 0), reason="Chậm")
    assert message == (
        "Văn bản xin lỗi và hẹn lại do thủ trưởng cơ quan, đơn vị giải quyết hồ sơ ký "
        "(NĐ 61/2018/NĐ-CP Điều 19 khoản 9); bạn không có quyền này với hồ sơ này."
    )


@pytest.mark.parametrize("reason", ["", "   \n\t "])
def test_the_reason_is_required(dossier, reason):
    message = _refused(
        dossier, actor="tinh.lanhdaophong", new_due=at(2026, 3, 18, 17, 0), reason=reason
    )
    assert message == "Cần ghi rõ lý do chậm trễ."


@pytest.mark.parametrize("new_due", [DUE, DUE - dt.timedelta(minutes=1), at(2026, 3, 10, 17, 0)])
def test_the_new_date_must_be_later_than_the_current_one(dossier, new_due):
    message = _refused(
        dossier, actor="tinh.lanhdaophong", new_due=new_due, reason="Cần xác minh thêm"
    )
    assert message == "Ngày hẹn mới phải sau ngày hẹn trả hiện tại."


def test_the_competent_units_leader_may_apologise_one_minute_later(dossier):
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):
        done = dossier_apologise(
            actor=user("tinh.lanhdaophong"),
            dossier=dossier,
            new_due=DUE + dt.timedelta(minutes=1),
            reason="Cần xác minh thêm",
        )
    assert (done.due_at, done.original_due_at) == (DUE + dt.timedelta(minutes=1), DUE)
    event = done.events.get(action="apologise")
    assert (event.data["issuer"], event.data["signer"]) == ("qn.so-tu-phap", "Phạm Văn Dũng")
    assert event.data["issuer_name"] == done.procedure_version.competent_unit.name


def test_the_leader_of_the_unit_handling_the_dossier_signs_in_its_name(quang_ninh):
    """A dossier handed to the ward: the ward's leader issues the apology, in the ward's name."""
    from egov.dossiers.services.transitions import dossier_transition
    from egov.org.models import Unit

    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        received = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("1.001612"))
        received = dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=received, action="hand_off", handling_unit=ward
        )
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        done = dossier_apologise(
            actor=user("honggai.lanhdao"),
            dossier=received,
            new_due=received.due_at + dt.timedelta(days=2),
            reason="Chờ kết quả xác minh",
        )
    event = done.events.get(action="apologise")
    assert (event.data["issuer_name"], event.data["signer"]) == (ward.name, "Nguyễn Văn Nam")
