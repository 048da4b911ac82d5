"""Demo feedback (phản ánh, kiến nghị) for `make run`: one answered and published on the
portal, one at Sở Tư pháp awaiting its answer, one just received at the support centre, one
logged from the hotline. Made-up people; run again, nothing changes."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from egov.accounts.actors import Actor
from egov.accounts.models import User
from egov.feedback.models import Feedback, FeedbackChannel
from egov.feedback.services import (
    Submission,
    Submitter,
    feedback_approve,
    feedback_draft,
    feedback_publish,
    feedback_rate,
    feedback_route,
    feedback_submit,
)
from egov.org.models import Unit

CENTRE = "qn.ttpvhcc"


def _submit(
    title: str,
    content: str,
    name: str,
    *,
    kind: str = "phan_anh",
    actor: Actor | None = None,
    channel: FeedbackChannel = FeedbackChannel.PORTAL,
    consent: bool = True,
) -> Feedback:
    feedback, _secret = feedback_submit(
        actor=actor or AnonymousUser(),
        centre=Unit.objects.get(key=CENTRE),
        channel=channel,
        submission=Submission(
            kind=kind,
            title=title,
            content=content,
            consent_to_publish=consent,
            submitter=Submitter(name=name, phone="+84900000001"),
        ),
    )
    return feedback


@transaction.atomic
def load_demo_feedback() -> list[str]:
    """Create the demo feedback once; returns their codes."""
    if Feedback.objects.exists():
        return list(Feedback.objects.order_by("id").values_list("code", flat=True))
    staff = {u.username: u for u in User.objects.filter(username__startswith="tinh.")}
    desk, specialist, leader = (
        staff["tinh.tiepnhan"],
        staff["tinh.chuyenvien"],
        staff["tinh.lanhdaophong"],
    )
    justice = Unit.objects.get(key="qn.so-tu-phap")
    published = _submit(
        "Chứng thực bản sao có phải mang theo bản chính không?",
        "Tôi là Phạm Thị Hòa, số điện thoại 0900 000 002. Khi chứng thực bản sao bằng tốt "
        "nghiệp, tôi có phải mang theo bản chính không?",
        "Phạm Thị Hòa",
        kind="hoi_dap",
    )
    feedback_route(actor=desk, feedback=published, unit=justice, topic="regulation")
    feedback_draft(
        actor=specialist,
        feedback=published,
        answer="Có. Người yêu cầu chứng thực bản sao từ bản chính phải xuất trình bản chính "
        "để đối chiếu (NĐ 23/2015/NĐ-CP, Điều 18).",
    )
    feedback_approve(actor=leader, feedback=published)
    feedback_publish(actor=desk, feedback=published)
    feedback_rate(actor=AnonymousUser(), feedback=published, rating="like")
    waiting = _submit(
        "Bộ phận một cửa yêu cầu giấy tờ ngoài quy định",
        "Khi đăng ký khai sinh, tôi bị yêu cầu nộp thêm bản sao sổ hộ khẩu.",
        "Đoàn Văn Sơn",
    )
    feedback_route(actor=desk, feedback=waiting, unit=justice, topic="conduct")
    fresh = _submit(
        "Kiến nghị cho nộp lệ phí qua ví điện tử",
        "Đề nghị cho phép nộp lệ phí hộ tịch bằng ví điện tử.",
        "Mai Thị Thu",
        kind="kien_nghi",
    )
    call = _submit(
        "Hỏi thời gian làm việc thứ Bảy",
        "Người gọi hỏi Trung tâm có làm việc sáng thứ Bảy không.",
        "Vương Văn Tài",
        kind="hoi_dap",
        actor=desk,
        channel=FeedbackChannel.HOTLINE,
        consent=False,
    )
    return [published.code, waiting.code, fresh.code, call.code]
