"""Shared data of the feedback tests: the provincial service centre is the support centre,
Sở Tư pháp answers, Công an tỉnh is another unit."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib.auth.models import AnonymousUser

from egov.accounts.actors import Actor
from egov.accounts.models import User
from egov.feedback.models import Feedback, FeedbackChannel
from egov.feedback.services import (
    Submission,
    Submitter,
    feedback_approve,
    feedback_draft,
    feedback_rate,
    feedback_refuse,
    feedback_route,
    feedback_submit,
)
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

CENTRE = "qn.ttpvhcc"
JUSTICE = "qn.so-tu-phap"
POLICE = "qn.cong-an-tinh"
# Friday 24/4/2026, 10:00: Monday 27/4 (nghỉ bù Giỗ Tổ), 30/4 and 1/5 are days off.
FRIDAY = dt.datetime(2026, 4, 24, 10, 0, tzinfo=VIETNAM_TZ)
CONTENT = (
    "Tôi là Nguyễn Văn An, số điện thoại 0912 345 678, thư an.nguyen@example.vn, CCCD "
    "001090012345, trú tại số 12 ngõ 34 phố Lê Thánh Tông, Hạ Long. Bộ phận một cửa yêu cầu "
    "nộp thêm giấy xác nhận không có trong quy định."
)


def staff(username: str) -> User:
    return User.objects.get(username=username)


def unit(key: str) -> Unit:
    return Unit.objects.get(key=key)


def submit(
    *,
    actor: Actor,
    consent: bool = True,
    channel: FeedbackChannel = FeedbackChannel.PORTAL,
    title: str = "Thủ tục chứng thực đòi giấy tờ ngoài quy định",
) -> tuple[Feedback, str]:
    return feedback_submit(
        actor=actor,
        centre=unit(CENTRE),
        channel=channel,
        submission=Submission(
            kind="phan_anh",
            title=title,
            content=CONTENT,
            consent_to_publish=consent,
            submitter=Submitter(
                name="Nguyễn Văn An", phone="+84912345678", email="an.nguyen@example.vn"
            ),
        ),
    )


def on_day(day: int, month: int) -> time_machine.travel:
    """09:00 on ``day``/``month``/2026, Vietnam time."""
    return time_machine.travel(dt.datetime(2026, month, day, 9, tzinfo=VIETNAM_TZ), tick=False)


def answered(feedback: Feedback) -> Feedback:
    feedback_draft(actor=staff("tinh.chuyenvien"), feedback=feedback, answer="Trả lời.")
    return feedback_approve(actor=staff("tinh.lanhdaophong"), feedback=feedback)


def six_feedback() -> dict[str, Feedback]:
    """Received Friday 24/4/2026 at the centre: A, B, C answered by Sở Tư pháp (A and C on
    28/4, B late on 21/5; A liked, C disliked), D refused in time, E waiting at the centre, F
    routed to Công an tỉnh (about conduct) and not answered."""
    anonymous = AnonymousUser()
    desk = staff("tinh.tiepnhan")
    with time_machine.travel(FRIDAY, tick=False):
        a, b, c, d, e, f = (submit(actor=anonymous)[0] for _ in range(6))
        for item in (a, b, c):
            feedback_route(actor=desk, feedback=item, unit=unit(JUSTICE), topic="regulation")
        feedback_route(actor=desk, feedback=f, unit=unit(POLICE), topic="conduct")
    with on_day(28, 4):
        a, c = answered(a), answered(c)
        feedback_refuse(actor=desk, feedback=d, reason="Là khiếu nại.")
    with on_day(21, 5):
        b = answered(b)
        feedback_rate(actor=anonymous, feedback=a, rating="like")
        feedback_rate(actor=anonymous, feedback=c, rating="dislike")
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
