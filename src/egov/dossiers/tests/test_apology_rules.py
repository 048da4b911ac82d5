"""The apology (Mẫu 04) refused to whoever may not send it, without a reason, or with a new date
that is not later than the current one — each with its exact message, nothing changed."""

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
        "tinh.giamsat",  # the centre's supervisor: watches, does not act
        "tinh.buudien",  # postal staff at the receiving desk
    ],
)
def test_an_outsider_may_not_apologise(dossier, outsider):
    message = _refused(dossier, actor=outsider, new_due=at(2026, 3, 18, 17, 0), reason="Chậm")
    assert message == "Bạn không có quyền hẹn lại hồ sơ này."


@pytest.mark.parametrize("reason", ["", "   \n\t "])
def test_the_reason_is_required(dossier, reason):
    message = _refused(
        dossier, actor="tinh.chuyenvien", new_due=at(2026, 3, 18, 17, 0), reason=reason
    )
    assert message == "Cần ghi rõ lý do chậm trễ."


@pytest.mark.parametrize("new_due", [DUE, DUE - dt.timedelta(minutes=1), at(2026, 3, 10, 17, 0)])
def test_the_new_date_must_be_later_than_the_current_one(dossier, new_due):
    message = _refused(
        dossier, actor="tinh.chuyenvien", new_due=new_due, reason="Cần xác minh thêm"
    )
    assert message == "Ngày hẹn mới phải sau ngày hẹn trả hiện tại."


@pytest.mark.parametrize("actor", ["tinh.chuyenvien", "tinh.lanhdaophong", "tinh.tiepnhan"])
def test_the_units_officers_may_apologise_one_minute_later(dossier, actor):
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):
        done = dossier_apologise(
            actor=user(actor),
            dossier=dossier,
            new_due=DUE + dt.timedelta(minutes=1),
            reason="Cần xác minh thêm",
        )
    assert (done.due_at, done.original_due_at) == (DUE + dt.timedelta(minutes=1), DUE)
