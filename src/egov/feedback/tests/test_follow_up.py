"""A follow-up (phản ánh tiếp): the submitter does not accept the answer and writes again from
the tracking page — a new feedback linked to the answered one, once per answer, within
EGOV_FEEDBACK_FOLLOW_UP_DAYS; both pages show the link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from egov.feedback.models import Feedback, FeedbackEvent
from egov.feedback.services import (
    FeedbackError,
    feedback_approve,
    feedback_draft,
    feedback_follow_up,
    feedback_route,
)
from egov.feedback.tests.helpers import CENTRE, FRIDAY, JUSTICE, staff, submit, unit

pytestmark = pytest.mark.django_db
TRACK = reverse("portal:feedback_track")


@pytest.fixture(autouse=True)
def _centre(settings):
    settings.EGOV_FEEDBACK_CENTRE = CENTRE
    settings.EGOV_REQUIRE_STAFF_MFA = False


def _answered() -> tuple[Feedback, str]:
    feedback, secret = submit(actor=AnonymousUser())
    feedback_route(
        actor=staff("tinh.tiepnhan"), feedback=feedback, unit=unit(JUSTICE), topic="regulation"
    )
    feedback_draft(actor=staff("tinh.chuyenvien"), feedback=feedback, answer="Đã đúng quy định.")
    return feedback_approve(actor=staff("tinh.lanhdaophong"), feedback=feedback), secret


def test_a_follow_up_is_a_new_feedback_linked_to_the_answer(quang_ninh):
    with time_machine.travel(FRIDAY, tick=False) as clock:
        answered, _secret = _answered()
        clock.shift(dt.timedelta(days=3))
        later, later_secret = feedback_follow_up(
            actor=AnonymousUser(), feedback=answered, content="Giấy xác nhận vẫn bị đòi."
        )
    assert later.follows == answered
    assert (later.title, later.content, later.kind, later.channel, later.state) == (
        "Phản ánh tiếp: Thủ tục chứng thực đòi giấy tờ ngoài quy định",
        "Giấy xác nhận vẫn bị đòi.",
        "phan_anh",
        "portal",
        "received",
    )
    assert (later.submitter_name, later.submitter_phone, later.centre) == (
        "Nguyễn Văn An",
        "+84912345678",
        unit(CENTRE),
    )
    assert later.code != answered.code and len(later_secret) == 16
    original = FeedbackEvent.objects.filter(feedback=answered).order_by("sequence").last()
    assert original is not None
    assert (original.action, original.from_state, original.to_state, original.data) == (
        "follow_up",
        "answered",
        "answered",
        {"follow_up": later.code},
    )
    assert later.events.get().data == {"channel": "portal", "follows": answered.code}
    with pytest.raises(
        FeedbackError, match=f"Đã gửi phản ánh tiếp cho câu trả lời này \\(mã {later.code}\\)"
    ):
        feedback_follow_up(actor=AnonymousUser(), feedback=answered, content="Lần nữa.")
    # The follow-up is not answered yet: nothing to follow up.
    with pytest.raises(FeedbackError, match="đang ở trạng thái “Đã tiếp nhận, chờ phân loại”"):
        feedback_follow_up(actor=AnonymousUser(), feedback=later, content="Sao chưa trả lời?")


def test_a_follow_up_comes_within_the_days_after_the_answer(quang_ninh, settings):
    settings.EGOV_FEEDBACK_FOLLOW_UP_DAYS = 30
    with time_machine.travel(FRIDAY, tick=False) as clock:
        answered, _secret = _answered()
        with pytest.raises(FeedbackError, match="Hãy nhập nội dung"):
            feedback_follow_up(actor=AnonymousUser(), feedback=answered, content="   ")
        clock.shift(dt.timedelta(days=30))
        with pytest.raises(FeedbackError, match="Hãy nhập nội dung"):
            feedback_follow_up(actor=AnonymousUser(), feedback=answered, content="")
        clock.shift(dt.timedelta(seconds=1))
        with pytest.raises(FeedbackError, match="Đã quá 30 ngày kể từ khi trả lời"):
            feedback_follow_up(actor=AnonymousUser(), feedback=answered, content="Muộn.")
    assert Feedback.objects.count() == 1


def test_from_the_tracking_page_to_the_staff_pages(quang_ninh, client):
    answered, secret = _answered()
    page = client.post(TRACK, {"ma": answered.code, "khoa": secret}).content.decode()
    assert 'data-testid="feedback-follow-up"' in page
    nul = client.post(
        TRACK,
        {"ma": answered.code, "khoa": secret, "thao_tac": "phan_anh_tiep", "noi_dung": "a\x00b"},
    )
    assert nul.status_code == 400
    assert "Nội dung có ký tự không hợp lệ." in nul.content.decode()
    empty = client.post(
        TRACK, {"ma": answered.code, "khoa": secret, "thao_tac": "phan_anh_tiep", "noi_dung": ""}
    )
    assert empty.status_code == 400
    assert "Hãy nhập nội dung." in empty.content.decode()
    assert Feedback.objects.count() == 1
    sent = client.post(
        TRACK,
        {"ma": answered.code, "khoa": secret, "thao_tac": "phan_anh_tiep", "noi_dung": "Chưa ổn."},
    )
    assert sent.status_code == 200
    text = sent.content.decode()
    code = re.search(r'data-testid="feedback-code">([^<]+)<', text).group(1)
    later = Feedback.objects.get(code=code)
    assert later.follows == answered
    again = client.post(TRACK, {"ma": answered.code, "khoa": secret}).content.decode()
    assert f"Ông/bà đã gửi phản ánh tiếp, mã {code}" in again
    assert 'data-testid="feedback-follow-up"' not in again
    # Without the secret nothing is sent.
    assert (
        client.post(
            TRACK, {"ma": answered.code, "thao_tac": "phan_anh_tiep", "noi_dung": "x"}
        ).status_code
        == 404
    )
    assert Feedback.objects.count() == 2
    # The support centre's staff see both ends of the link.
    client.force_login(staff("tinh.tiepnhan"))
    detail = client.get(reverse("workspace:feedback", kwargs={"code": later.code}))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert f'data-testid="feedback-follows">{answered.code}</a>' in body
    assert "Đã đúng quy định." in body
    first = client.get(reverse("workspace:feedback", kwargs={"code": answered.code}))
    assert f'">{later.code}</a>' in first.content.decode()


def test_control_characters_from_mail_are_dropped_not_refused(quang_ninh):
    """Badly decoded mail carries C1 and form-feed characters: the feedback is kept without
    them (the portal's forms refuse them in words instead)."""
    from egov.feedback.models import FeedbackChannel
    from egov.feedback.services import Submission, Submitter, feedback_submit

    feedback, _secret = feedback_submit(
        actor=None,
        centre=unit(CENTRE),
        channel=FeedbackChannel.EMAIL,
        submission=Submission(
            kind="phan_anh",
            title="Thư\x85 phản ánh",
            content="Nội dung\x0c có ký tự lạ\x00.",
            submitter=Submitter(name="Lê Văn Bình", email="binh@example.vn"),
        ),
    )
    assert (feedback.title, feedback.content) == ("Thư phản ánh", "Nội dung có ký tự lạ.")
