"""Extensions the law itself grants, per procedure version: the appointment moves to the end of
the lawful period, a dossier resolved by then is on time, and the one apology is not used up."""

import dataclasses
import datetime as dt

import pytest
import time_machine

from egov.catalog.selectors import version_by_code
from egov.dossiers.errors import TransitionError
from egov.dossiers.services.apology import dossier_apologise
from egov.dossiers.services.extensions import available_extensions, dossier_extend
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
COPY = "2.000815"  # chứng thực bản sao từ bản chính: +≤02 working days (NĐ 23/2015 Điều 21)
MARRIAGE = "1.000894"  # ≤05 working days in all when verification is needed (Điều 18.2)
PARENTAGE = "1.001022"  # 03 working days, +≤05 when verification is needed (Điều 25.2)
RECORD = "qn-cap-phieu-ly-lich-tu-phap"  # 10 → 15 days (Luật LLTP Điều 48, chưa đối chiếu)


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def received(code, moment):
    with time_machine.travel(moment, tick=False):
        return dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(code))


def extend(dossier, moment, key, actor="tinh.tiepnhan", reason="Cần xác minh"):
    with time_machine.travel(moment, tick=False):
        return dossier_extend(actor=user(actor), dossier=dossier, extension=key, reason=reason)


def approved(dossier, moment):
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    with time_machine.travel(moment, tick=False):
        dossier = dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off", handling_unit=ward
        )
        return dossier_transition(actor=user("honggai.lanhdao"), dossier=dossier, action="approve")


@pytest.mark.parametrize(("extended", "outcome"), [(True, "on_time"), (False, "late")])
def test_copy_extended_by_two_working_days_is_on_time(quang_ninh, extended, outcome):
    dossier = received(COPY, at(2026, 12, 2, 10, 0))  # Wednesday, version of 01/12/2026
    assert dossier.due_at == at(2026, 12, 2, 17, 0)
    if extended:
        dossier = extend(dossier, at(2026, 12, 2, 10, 5), "nhieu-ban-chinh")
        assert dossier.due_at == at(2026, 12, 4, 17, 0)  # Friday's close
        event = dossier.events.get(action="extend")
        assert event.data == {
            "key": "nhieu-ban-chinh",
            "name": (
                "Cùng lúc nhiều loại bản chính, bản chính nhiều trang, nhiều bản sao hoặc nội "
                "dung phức tạp khó đối chiếu"
            ),
            "basis": "NĐ 23/2015/NĐ-CP Điều 21",
            "rule": "kéo dài thêm không quá 2 ngày làm việc",
            "confirmed": True,
            "old_due": at(2026, 12, 2, 17, 0).isoformat(),
            "new_due": at(2026, 12, 4, 17, 0).isoformat(),
        }
    done = approved(dossier, at(2026, 12, 4, 16, 0))
    assert done.outcome == outcome
    # Not an apology: none recorded, the one apology still unused.
    assert done.apologised_at is None and done.original_due_at is None
    assert not done.events.filter(action="apologise").exists()


def test_marriage_verification_up_to_five_working_days_from_reception(quang_ninh):
    dossier = received(MARRIAGE, at(2026, 12, 2, 16, 0))  # after 15:00: due the next day
    assert dossier.due_at == at(2026, 12, 3, 17, 0)
    dossier = extend(dossier, at(2026, 12, 3, 9, 0), "xac-minh", actor="tinh.tiepnhan")
    assert dossier.due_at == at(2026, 12, 9, 17, 0)  # 5 working days from reception


def test_parentage_verification_adds_five_working_days(quang_ninh):
    dossier = received(PARENTAGE, at(2026, 12, 7, 9, 0))
    assert dossier.due_at == at(2026, 12, 10, 17, 0)
    dossier = extend(dossier, at(2026, 12, 8, 9, 0), "xac-minh")
    assert dossier.due_at == at(2026, 12, 17, 17, 0)


def test_criminal_record_fifteen_days_in_all(quang_ninh):
    with time_machine.travel(at(2026, 12, 2, 9, 0), tick=False):
        version = version_by_code(RECORD)  # the police's version in force (01/07/2026)
        request = dataclasses.replace(
            reception("1.001612"),
            version=version,
            components={c.pk: (1, 0) for c in version.components.filter(required=True)},
        )
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=request)
    assert dossier.due_at == at(2026, 12, 14, 17, 0)  # 10 days end on Saturday 12/12
    dossier = extend(dossier, at(2026, 12, 3, 9, 0), "xac-minh")
    assert dossier.due_at == at(2026, 12, 17, 17, 0)
    assert dossier.events.get(action="extend").data["confirmed"] is False


def test_the_apology_stays_available_after_an_extension(quang_ninh):
    dossier = received(PARENTAGE, at(2026, 12, 7, 9, 0))
    dossier = extend(dossier, at(2026, 12, 8, 9, 0), "xac-minh")
    with time_machine.travel(at(2026, 12, 15, 9, 0), tick=False):
        dossier = dossier_transition(
            actor=user("tinh.tiepnhan"),
            dossier=dossier,
            action="hand_off",
            handling_unit=Unit.objects.get(key="qn.x.hong-gai.ubnd"),
        )
        dossier = dossier_apologise(
            actor=user("honggai.lanhdao"),
            dossier=dossier,
            new_due=at(2026, 12, 22, 17, 0),
            reason="Chờ kết quả xác minh của cơ quan khác",
        )
    assert (dossier.due_at, dossier.original_due_at) == (
        at(2026, 12, 22, 17, 0),
        at(2026, 12, 17, 17, 0),
    )
    assert [e.action for e in dossier.events.order_by("sequence")][-3:] == [
        "extend",
        "hand_off",
        "apologise",
    ]


@pytest.mark.parametrize(
    ("code", "moment", "key", "actor", "message"),
    [
        # The same case twice.
        (PARENTAGE, at(2026, 12, 8, 9, 0), "xac-minh", "tinh.tiepnhan", "đã được gia hạn"),
        # After the appointment has passed.
        (COPY, at(2026, 12, 2, 17, 1), "nhieu-ban-chinh", "tinh.tiepnhan", "Đã quá thời hạn"),
        # A case the procedure's law does not have.
        (COPY, at(2026, 12, 2, 11, 0), "xac-minh", "tinh.tiepnhan", "không có trường hợp"),
        # A procedure whose law grants none.
        ("2.000884", at(2026, 12, 2, 11, 0), "xac-minh", "tinh.tiepnhan", "không có trường hợp"),
        # An officer of none of the dossier's units.
        (COPY, at(2026, 12, 2, 11, 0), "nhieu-ban-chinh", "honggai.tiepnhan", "không có quyền"),
    ],
)
def test_extension_refused(quang_ninh, code, moment, key, actor, message):
    dossier = received(code, at(2026, 12, 2, 10, 0))
    if code == PARENTAGE:
        dossier = extend(dossier, at(2026, 12, 2, 10, 5), key)
    due = dossier.due_at
    with pytest.raises(TransitionError, match=message):
        extend(dossier, moment, key, actor=actor)
    dossier.refresh_from_db()
    assert dossier.due_at == due


def test_no_extension_in_the_version_before_the_law_was_entered(quang_ninh):
    dossier = received(COPY, at(2026, 11, 30, 10, 0))
    assert dossier.procedure_version.valid_until == dt.date(2026, 12, 1)
    with time_machine.travel(at(2026, 11, 30, 10, 5), tick=False):
        assert available_extensions(dossier, at(2026, 11, 30, 10, 5)) == []
    with pytest.raises(TransitionError, match="không có trường hợp gia hạn"):
        extend(dossier, at(2026, 11, 30, 10, 5), "nhieu-ban-chinh")


def test_extension_through_the_workspace_and_the_api(quang_ninh, client, settings):
    from egov.dossiers.tests.test_staff_api import make_key, post

    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier = received(PARENTAGE, at(2026, 12, 7, 9, 0))
    with time_machine.travel(at(2026, 12, 7, 10, 0), tick=False):
        client.force_login(user("tinh.tiepnhan"))
        page = client.get(f"/staff/ho-so/{dossier.code}/").content.decode()
        assert "Gia hạn theo quy định của pháp luật" in page
        assert "Luật Hộ tịch 60/2014/QH13 Điều 25 khoản 2" in page
        key = make_key()
        url = f"/api/v1/staff/dossiers/{dossier.code}/extensions"
        unknown = post(client, url, key, {"extension": "khac", "reason": "Xác minh"})
        assert unknown.status_code == 422
        assert unknown.json()["error"]["code"] == "extension_refused"
        done = post(client, url, key, {"extension": "xac-minh", "reason": "Xác minh"})
        assert done.status_code == 200, done.content
        assert done.json()["due_at"] == "2026-12-17T17:00:00+07:00"  # the API's one rule
        again = client.post(
            f"/staff/ho-so/{dossier.code}/gia-han/",
            {"extension": "xac-minh", "reason": "Lần hai"},
            follow=True,
        )
        assert "Hồ sơ đã được gia hạn theo trường hợp này." in again.content.decode()
