"""The 15:00 rule where the law has it, the desk's hand-off limit (NĐ 61/2018 Điều 18 khoản 2),
and a receipt always with an appointment (Điều 17 khoản 1 điểm c)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from egov.accounts.models import User
from egov.catalog.selectors import version_by_code
from egov.core.uploads import store_private
from egov.dossiers.errors import TransitionError
from egov.dossiers.models import Dossier, DossierWarning
from egov.dossiers.services.online import OnlineSubmission, dossier_submit_online
from egov.dossiers.services.reception import Applicant, dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
LLTP = "qn-cap-phieu-ly-lich-tu-phap"  # handed to its competent unit, Sở Tư pháp
NO_TIME = "qn-xac-dinh-muc-do-khuyet-tat"  # no time the law fixes could be checked
REFUSED = (
    "Không thể tiếp nhận: thủ tục “Xác định mức độ khuyết tật” (phiên bản 2) chưa có thời hạn "
    "giải quyết trong danh mục nên không hẹn được ngày trả kết quả. Giấy tiếp nhận hồ sơ phải "
    "có ngày hẹn trả (NĐ 61/2018/NĐ-CP Điều 17 khoản 1 điểm c); đề nghị cơ quan quản lý danh "
    "mục cập nhật thời hạn giải quyết."
)


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def received(code, moment, channel="counter"):
    with time_machine.travel(moment, tick=False):
        return dossier_receive(
            actor=user("tinh.tiepnhan"), reception=reception(code, channel=channel)
        )


# --- 15:00 -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("moment", "due"),
    [
        (at(2026, 12, 2, 14, 59), at(2026, 12, 2, 17, 0)),
        (at(2026, 12, 2, 15, 1), at(2026, 12, 3, 17, 0)),
        (at(2026, 12, 4, 15, 1), at(2026, 12, 7, 17, 0)),  # Friday → Monday
    ],
)
def test_certified_copy_after_15_is_due_the_next_working_day(quang_ninh, moment, due):
    dossier = received("2.000815", moment)
    assert dossier.due_at == due
    assert dossier.due_rule == (
        "trong ngày; nhận sau 15:00 trả trong ngày làm việc tiếp theo (NĐ 23/2015/NĐ-CP Điều 7)"
    )


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        (at(2026, 12, 2, 14, 59), at(2026, 12, 2, 17, 0)),
        (at(2026, 12, 2, 15, 1), at(2026, 12, 3, 17, 0)),
    ],
)
def test_birth_registration_resolved_at_once_has_the_15_rule(quang_ninh, moment, due):
    dossier = received("1.001193", moment)
    assert dossier.due_at == due
    assert dossier.due_rule == (
        "ngay khi nhận đủ hồ sơ; nhận sau 15:00 trả trong ngày làm việc tiếp theo "
        "(Luật Hộ tịch 60/2014/QH13 Điều 5 khoản 3)"
    )


@pytest.mark.parametrize(
    ("code", "moment", "due"),
    [
        # Immediate, without a cut-off in its law (thông báo lưu trú): the same day.
        ("2.001159", at(2026, 12, 2, 15, 1), at(2026, 12, 2, 17, 0)),
        # Khai sinh under the version before the rule was entered: unchanged.
        ("1.001193", at(2026, 11, 30, 15, 1), at(2026, 11, 30, 17, 0)),
        # Working days, no cut-off: due at the close of the last day (Civil Code Điều 148).
        ("1.001612", at(2026, 12, 2, 15, 1), at(2026, 12, 7, 17, 0)),
    ],
)
def test_procedures_without_the_rule_are_unaffected(quang_ninh, code, moment, due):
    assert received(code, moment).due_at == due


# --- hand-off to the competent agency ------------------------------------------------------
@pytest.mark.parametrize(
    ("reception_at", "hand_off_at", "limit"),
    [
        (at(2026, 3, 2, 10, 0), at(2026, 3, 2, 16, 59), None),  # the same working day
        (at(2026, 3, 2, 10, 0), at(2026, 3, 3, 7, 31), at(2026, 3, 2, 17, 0)),
        (at(2026, 3, 2, 15, 1), at(2026, 3, 3, 8, 29), None),  # start of the next day
        (at(2026, 3, 2, 15, 1), at(2026, 3, 3, 8, 31), at(2026, 3, 3, 8, 30)),
        (at(2026, 3, 6, 15, 30), at(2026, 3, 9, 8, 0), None),  # Friday → Monday morning
    ],
)
def test_late_hand_off_of_a_paper_dossier_is_warned(quang_ninh, reception_at, hand_off_at, limit):
    dossier = received(LLTP, reception_at)
    with time_machine.travel(hand_off_at, tick=False):
        dossier = dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off"
        )
    assert dossier.status == "processing"  # handed off all the same
    event = dossier.events.get(action="hand_off")
    if limit is None:
        assert "warning" not in event.data
        assert not DossierWarning.objects.filter(dossier=dossier).exists()
        return
    assert event.data["warning"] == {
        "kind": "hand_off_late",
        "limit": limit.isoformat(),
        "basis": "NĐ 61/2018/NĐ-CP Điều 18 khoản 2",
    }
    warning = DossierWarning.objects.get(dossier=dossier)
    assert (warning.kind, warning.due_at) == ("hand_off_late", limit)


def test_late_hand_off_shown_to_the_officer_and_on_the_timeline(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier = received(LLTP, at(2026, 3, 2, 10, 0))
    client.force_login(user("tinh.tiepnhan"))
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        page = client.post(
            f"/staff/ho-so/{dossier.code}/thao-tac/",
            {"action": "hand_off", "revision": dossier.revision},
            follow=True,
        ).content.decode()
    message = (
        "Hồ sơ giấy được chuyển đến cơ quan giải quyết sau thời hạn 17:00 02/03/2026 "
        "(NĐ 61/2018/NĐ-CP Điều 18 khoản 2); đã ghi nhận cảnh báo."
    )
    assert page.count(message) == 2  # the message after the action, and the timeline


def test_online_dossier_is_not_warned_at_hand_off(quang_ninh):
    citizen = User.objects.create_user("congdan.an")
    version = version_by_code("1.001612", dt.date(2026, 3, 2))
    files = {
        c.pk: [store_private(_pdf(), original_name="to-khai.pdf", prefix="applications")]
        for c in version.components.filter(required=True)
    }
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        dossier = dossier_submit_online(
            actor=citizen,
            submission=OnlineSubmission(
                owner=citizen,
                unit=reception().unit,
                version=version,
                applicant=Applicant(kind="citizen", name="An", personal_id="022084000123"),
                files=files,
            ),
        )
        dossier = dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="accept_online"
        )
    with time_machine.travel(at(2026, 3, 4, 10, 0), tick=False):
        dossier = dossier_transition(
            actor=user("tinh.tiepnhan"),
            dossier=dossier,
            action="hand_off",
            handling_unit=Unit.objects.get(key="qn.x.hong-gai.ubnd"),
        )
    assert "warning" not in dossier.events.get(action="hand_off").data


def _pdf():
    import io

    return io.BytesIO(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


# --- a receipt always has an appointment --------------------------------------------------
def test_reception_refused_without_a_computable_time(quang_ninh):
    with pytest.raises(ValidationError) as refused:
        received(NO_TIME, at(2026, 12, 2, 9, 0))
    assert refused.value.messages == [REFUSED]
    assert Dossier.objects.count() == 0


def test_the_version_received_under_decides(quang_ninh):
    """Giám hộ had no time in its first version; the law's 03 working days from 01/12/2026."""
    with pytest.raises(ValidationError, match="chưa có thời hạn giải quyết"):
        received("1.004837", at(2026, 11, 30, 9, 0))
    dossier = received("1.004837", at(2026, 12, 1, 9, 0))
    assert (dossier.due_at, dossier.due_rule) == (at(2026, 12, 4, 17, 0), "3 ngày làm việc")


def test_immediate_result_procedures_are_received(quang_ninh):
    dossier = received("2.001159", at(2026, 12, 2, 9, 0))  # thông báo lưu trú: tiếp nhận ngay
    assert dossier.due_at == at(2026, 12, 2, 17, 0)


def test_refusal_in_the_workspace_form_is_a_clear_message(quang_ninh, client, settings):
    from egov.workspace.tests.test_reception_screen import _form

    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(user("tinh.tiepnhan"))
    url = f"/staff/tiep-nhan/?thu-tuc={NO_TIME}"
    with time_machine.travel(at(2026, 12, 2, 9, 0), tick=False):
        shown = client.get(url)
        posted = client.post(url, _form(NO_TIME, client))
    assert shown.status_code == 200 and REFUSED in shown.content.decode()
    assert posted.status_code == 200 and REFUSED in posted.content.decode()
    assert Dossier.objects.count() == 0


def test_refusal_in_the_staff_api_is_422(quang_ninh, client):
    from egov.dossiers.tests.test_staff_api import make_key, post

    key = make_key()
    version = version_by_code(NO_TIME, dt.date(2026, 12, 2))
    body = {
        "procedure": NO_TIME,
        "applicant": {"name": "Nguyễn Văn An", "personal_id": "022084000123"},
        "components": [
            {"component_id": c.pk, "originals": 1} for c in version.components.filter(required=True)
        ],
    }
    with time_machine.travel(at(2026, 12, 2, 9, 0), tick=False):
        response = post(client, "/api/v1/staff/dossiers", key, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_dossier"
    assert error["details"] == [{"field": "", "message": REFUSED, "code": "invalid"}]


def test_online_submission_and_acceptance_refused_without_a_time(quang_ninh):
    from egov.catalog.models import Channel

    citizen = User.objects.create_user("congdan.binh")
    version = version_by_code("1.004222", dt.date(2026, 12, 2))  # thường trú, online 7 days
    files = {
        c.pk: [store_private(_pdf(), original_name="to-khai.pdf", prefix="applications")]
        for c in version.components.filter(required=True)
    }
    submission = OnlineSubmission(
        owner=citizen,
        unit=reception().unit,
        version=version,
        applicant=Applicant(kind="citizen", name="Bình", personal_id="022084000123"),
        files=files,
    )
    with time_machine.travel(at(2026, 12, 2, 9, 0), tick=False):
        dossier = dossier_submit_online(actor=citizen, submission=submission)
        # The catalog loses the time meanwhile (a draft published by mistake, say).
        Channel.objects.filter(version=version, kind="online").update(
            time_kind="unknown", time_amount=None
        )
        with pytest.raises(TransitionError, match="chưa có thời hạn giải quyết"):
            dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="accept_online")
        with pytest.raises(ValidationError, match="chưa có thời hạn giải quyết"):
            dossier_submit_online(actor=citizen, submission=submission)
