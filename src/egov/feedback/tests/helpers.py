"""Shared data of the feedback tests: the provincial service centre is the support centre,
Sở Tư pháp answers, Công an tỉnh is another unit."""

from __future__ import annotations

import datetime as dt

from egov.accounts.actors import Actor
from egov.accounts.models import User
from egov.feedback.models import Feedback, FeedbackChannel
from egov.feedback.services import Submission, Submitter, feedback_submit
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
