"""The hotline call log (issue 17 §7): the operator logs a call with the questions used;
each operator sees only their own calls, the centre's leaders every call of their centre;
follow-ups are listed until done. The caller's name and phone never reach the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from egov.accounts.models import Role, User
from egov.accounts.services import role_assign
from egov.audit.models import AuditEntry
from egov.helpdesk.models import HotlineCall, Question
from egov.helpdesk.permissions import get_call_for_actor, visible_calls
from egov.helpdesk.selectors import pending_follow_ups
from egov.helpdesk.services import CallInput, call_follow_up_done, call_log
from egov.org.models import Unit

pytestmark = pytest.mark.django_db

CALLER = "Nguyễn Thị Hoa"
PHONE = "0912 345 678"


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False


@pytest.fixture
def trang(quang_ninh):
    return User.objects.get(username="tinh.tongdaivien")


@pytest.fixture
def colleague(quang_ninh):
    """A second operator of the same centre."""
    user = User.objects.create_user("tinh.tongdaivien2", full_name="Lâm Văn Sáng")
    role_assign(
        actor=None, user=user, unit=Unit.objects.get(key="qn.ttpvhcc"), role=Role.HOTLINE_OPERATOR
    )
    return user


def _call(actor, *, follow_up=False, topic="Hỏi lệ phí đăng ký kết hôn"):
    used = Question.objects.filter(question__startswith="Đăng ký kết hôn có mất lệ phí")
    return call_log(
        actor=actor,
        data=CallInput(
            caller_name=CALLER,
            caller_phone=PHONE,
            topic=topic,
            answer="Miễn lệ phí, giải quyết ngay trong ngày.",
            question_ids=list(used.values_list("pk", flat=True)),
            follow_up_needed=follow_up,
            follow_up_note="Gọi lại khi có mẫu tờ khai mới" if follow_up else "",
        ),
    )


def test_operator_logs_a_call(trang):
    call = _call(trang)
    assert call.unit.key == "qn.ttpvhcc" and call.operator == trang
    assert call.caller_phone == "0912345678"
    assert [q.question[:30] for q in call.questions.all()] == ["Đăng ký kết hôn có mất lệ phí "]
    entry = AuditEntry.objects.get(action="helpdesk.call_logged", object_id=str(call.pk))
    recorded = f"{entry.object_repr} {entry.details}"
    assert CALLER not in recorded and "0912345678" not in recorded


def test_call_needs_topic_answer_and_valid_phone(trang):
    with pytest.raises(ValidationError):
        call_log(actor=trang, data=CallInput(topic=" ", answer="x"))
    with pytest.raises(ValidationError):
        call_log(actor=trang, data=CallInput(topic="x", answer="y", caller_phone="12ab"))
    with pytest.raises(ValidationError):  # a follow-up says what is to be done
        call_log(actor=trang, data=CallInput(topic="x", answer="y", follow_up_needed=True))
    draft_ids = list(Question.objects.filter(state="draft").values_list("pk", flat=True))
    with pytest.raises(ValidationError):  # only published answers are given on the phone
        call_log(
            actor=trang, data=CallInput(topic="x", answer="y", question_ids=[*draft_ids, 10**9])
        )
    assert HotlineCall.objects.count() == 0


def test_staff_without_the_role_may_not_log(quang_ninh):
    with pytest.raises(PermissionDenied):
        _call(User.objects.get(username="tinh.tiepnhan"))


def test_operators_see_only_their_own_calls_leaders_their_centre(trang, colleague):
    mine, theirs = _call(trang), _call(colleague)
    assert list(visible_calls(trang)) == [mine]
    assert list(visible_calls(colleague)) == [theirs]
    assert get_call_for_actor(trang, theirs.pk) is None
    leader = User.objects.get(username="tinh.lanhdaotrungtam")
    assert set(visible_calls(leader)) == {mine, theirs}
    ward_leader = User.objects.get(username="honggai.lanhdaotrungtam")
    assert list(visible_calls(ward_leader)) == []


def test_call_pages_keep_calls_apart(client, trang, colleague):
    theirs = _call(colleague, topic="Hỏi về tách hộ")
    client.force_login(trang)
    page = client.get(reverse("workspace:hotline")).content.decode()
    assert "Hỏi về tách hộ" not in page and CALLER not in page
    detail = reverse("workspace:hotline_call", kwargs={"pk": theirs.pk})
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"result": "x"}).status_code == 404
    client.force_login(User.objects.get(username="tinh.lanhdaotrungtam"))
    assert "Hỏi về tách hộ" in client.get(reverse("workspace:hotline")).content.decode()
    assert CALLER in client.get(detail).content.decode()
    client.force_login(User.objects.get(username="tinh.tiepnhan"))
    assert client.get(reverse("workspace:hotline")).status_code == 403
    assert client.get(detail).status_code == 404


def test_follow_up_until_done(trang, colleague):
    call = _call(trang, follow_up=True)
    plain = _call(trang)
    assert pending_follow_ups(visible_calls(trang)) == [call]
    with pytest.raises(PermissionDenied):
        call_follow_up_done(actor=colleague, call=call, result="Đã gọi lại")
    with pytest.raises(ValidationError):
        call_follow_up_done(actor=trang, call=plain, result="Không có việc")
    with pytest.raises(ValidationError):
        call_follow_up_done(actor=trang, call=call, result="  ")
    done = call_follow_up_done(actor=trang, call=call, result="Đã gọi lại, hướng dẫn mẫu mới")
    assert done.follow_up_done_by == trang and done.follow_up_done_at is not None
    assert pending_follow_ups(visible_calls(trang)) == []
    with pytest.raises(ValidationError):  # done once
        call_follow_up_done(actor=trang, call=done, result="Lần nữa")


def test_leader_closes_a_follow_up_from_the_page(client, trang):
    call = _call(trang, follow_up=True)
    client.force_login(User.objects.get(username="tinh.lanhdaotrungtam"))
    url = reverse("workspace:hotline_call", kwargs={"pk": call.pk})
    assert client.post(url, {"result": ""}).status_code == 400
    assert client.post(url, {"result": "Đã gửi mẫu qua thư điện tử"}).status_code == 302
    call.refresh_from_db()
    assert call.follow_up_result == "Đã gửi mẫu qua thư điện tử"
    assert call.follow_up_done_by.username == "tinh.lanhdaotrungtam"


def test_operator_logs_from_the_screen_with_questions_found(client, trang):
    client.force_login(trang)
    found = client.get(reverse("workspace:hotline"), {"q": "le phi dang ky tam tru"})
    text = found.content.decode()
    question = Question.objects.get(question__startswith="Lệ phí đăng ký tạm trú")
    assert f'name="cau_hoi" value="{question.pk}"' in text
    # htmx asks for the results only, keeping the questions already chosen.
    partial = client.get(
        reverse("workspace:hotline"),
        {"q": "tach ho", "cau_hoi": question.pk},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in partial and "Lệ phí đăng ký tạm trú" in partial and "Tách hộ" in partial
    logged = client.post(
        reverse("workspace:hotline"),
        {
            "caller_name": CALLER,
            "caller_phone": PHONE,
            "topic": "Lệ phí tạm trú",
            "answer": "15.000 đồng nộp trực tiếp, 7.000 đồng trực tuyến.",
            "cau_hoi": [question.pk],
        },
    )
    assert logged.status_code == 302
    call = HotlineCall.objects.get()
    assert list(call.questions.all()) == [question] and not call.follow_up_needed
    invalid = client.post(reverse("workspace:hotline"), {"topic": "", "answer": ""})
    assert invalid.status_code == 400 and HotlineCall.objects.count() == 1
