"""The feedback lifecycle (NĐ 20/2008/NĐ-CP as amended; docs/feedback.md): intake, routing,
the answer drafted and approved, publication with consent and masked, the rating once;
refusals; deadlines on the working-day calendar."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from egov.feedback.models import Feedback, FeedbackState
from egov.feedback.permissions import get_tracked_feedback, hash_secret
from egov.feedback.selectors import overdue, published_answers
from egov.feedback.services import (
    FeedbackError,
    feedback_approve,
    feedback_draft,
    feedback_publish,
    feedback_rate,
    feedback_refuse,
    feedback_request_info,
    feedback_return,
    feedback_route,
    feedback_supplement,
)
from egov.feedback.tests.helpers import FRIDAY, JUSTICE, POLICE, staff, submit, unit
from egov.notifications.models import Message
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
ANON = AnonymousUser()


def at(day: int, month: int = 4, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=VIETNAM_TZ)


def routed(consent: bool = True) -> Feedback:
    feedback, _secret = submit(actor=ANON, consent=consent)
    return feedback_route(
        actor=staff("tinh.tiepnhan"), feedback=feedback, unit=unit(JUSTICE), topic="regulation"
    )


@time_machine.travel(FRIDAY, tick=False)
def test_friday_intake_deadlines_skip_the_weekend_and_the_holidays(quang_ninh):
    feedback, secret = submit(actor=ANON)
    assert feedback.code == f"PAKN-260424-{unit('qn.ttpvhcc').pk:03d}-0001"
    assert feedback.secret_hash == hash_secret(secret) and len(secret) == 16
    # Refuse ≤ 2, ask ≤ 5, answer ≤ 15 working days: Mon 27/4, Thu 30/4, Fri 1/5 are off.
    assert feedback.answer_due_at == dt.datetime(2026, 5, 20, 17, 0, tzinfo=VIETNAM_TZ)
    assert feedback.due_at == dt.datetime(2026, 5, 6, 17, 0, tzinfo=VIETNAM_TZ)
    assert (feedback.state, feedback.channel, feedback.submitter_account) == (
        "received",
        "portal",
        None,
    )
    assert list(feedback.events.values_list("action", "from_state", "to_state")) == [
        ("submit", "", "received")
    ]
    # The secret goes by e-mail and SMS, never readable in the outbox.
    sent = Message.objects.filter(reference=feedback.code, event="feedback_received")
    assert sorted(sent.values_list("channel", flat=True)) == ["email", "sms"]
    assert all(secret not in m.body for m in sent)


def test_refusal_is_judged_against_two_working_days(quang_ninh):
    with time_machine.travel(FRIDAY, tick=False):
        on_time, _s = submit(actor=ANON)
        late, _s = submit(actor=ANON)
    with time_machine.travel(at(29, hour=16), tick=False):  # Wednesday, before the close
        feedback_refuse(actor=staff("tinh.tiepnhan"), feedback=on_time, reason="Là khiếu nại.")
    with time_machine.travel(at(4, month=5), tick=False):
        feedback_refuse(actor=staff("tinh.tiepnhan"), feedback=late, reason="Là tố cáo.")
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert (on_time.state, on_time.closed_on_time, on_time.refusal_reason) == (
        "refused",
        True,
        "Là khiếu nại.",
    )
    assert (late.closed_on_time, late.due_at) == (False, None)
    message = Message.objects.get(reference=late.code, event="feedback_refused", channel="email")
    assert "Lý do: Là tố cáo." in message.body


@time_machine.travel(FRIDAY, tick=False)
def test_whole_journey_to_a_published_rated_answer(quang_ninh):
    feedback = routed()
    assert (feedback.state, feedback.unit.key, feedback.due_at) == (
        "routed",
        JUSTICE,
        feedback.answer_due_at,
    )
    specialist, leader = staff("tinh.chuyenvien"), staff("tinh.lanhdaophong")
    feedback_draft(actor=specialist, feedback=feedback, answer="Ông An không phải nộp giấy đó.")
    feedback_return(actor=leader, feedback=feedback, reason="Nêu căn cứ pháp lý.")
    feedback_draft(
        actor=specialist,
        feedback=feedback,
        answer="Theo NĐ 23/2015/NĐ-CP, ông An không phải nộp giấy xác nhận; gọi 0203 3835 123.",
    )
    feedback = feedback_approve(actor=leader, feedback=feedback)
    assert (feedback.state, feedback.closed_on_time, feedback.approved_by) == (
        "answered",
        True,
        leader,
    )
    # Publication is due 2 working days after the answer (Mon 27/4 off: Wed 29/4 close).
    assert feedback.due_at == dt.datetime(2026, 4, 29, 17, 0, tzinfo=VIETNAM_TZ)
    answer_mail = Message.objects.get(
        reference=feedback.code, event="feedback_answered", channel="email"
    )
    assert "Theo NĐ 23/2015/NĐ-CP" in answer_mail.body
    feedback = feedback_publish(actor=staff("tinh.tiepnhan"), feedback=feedback)
    assert feedback.public_answer == (
        "Theo NĐ 23/2015/NĐ-CP, ông [họ tên đã ẩn] không phải nộp giấy xác nhận; gọi "
        "[số điện thoại đã ẩn]."
    )
    assert "Nguyễn Văn An" not in feedback.public_content
    assert "0912" not in feedback.public_content
    assert [f.code for f in published_answers("giay xac nhan")] == [feedback.code]
    assert [f.code for f in published_answers("GIẤY XÁC NHẬN một CỬA")] == [feedback.code]
    assert list(published_answers("0912345678")) == []
    assert list(published_answers("Lê Thánh Tông")) == []  # the address was masked
    feedback = feedback_rate(actor=ANON, feedback=feedback, rating="like")
    assert feedback.rating == "like"
    assert list(feedback.events.values_list("action", "from_state", "to_state")) == [
        ("submit", "", "received"),
        ("route", "received", "routed"),
        ("draft", "routed", "drafted"),
        ("return", "drafted", "routed"),
        ("draft", "routed", "drafted"),
        ("approve", "drafted", "answered"),
        ("publish", "answered", "published"),
        ("rate", "published", "published"),
    ]
    with pytest.raises(FeedbackError, match="đã được đánh giá"):
        feedback_rate(actor=ANON, feedback=feedback, rating="dislike")
    assert Feedback.objects.get(pk=feedback.pk).rating == "like"


@time_machine.travel(FRIDAY, tick=False)
def test_no_publication_without_consent(quang_ninh):
    feedback = routed(consent=False)
    feedback_draft(actor=staff("tinh.chuyenvien"), feedback=feedback, answer="Trả lời.")
    feedback = feedback_approve(actor=staff("tinh.lanhdaophong"), feedback=feedback)
    assert feedback.due_at is None  # nothing to publish
    with pytest.raises(FeedbackError, match="không đồng ý công khai"):
        feedback_publish(actor=staff("tinh.tiepnhan"), feedback=feedback)
    assert list(published_answers()) == []
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.filter(pk=feedback.pk).update(published_at=FRIDAY)


@time_machine.travel(FRIDAY, tick=False)
def test_steps_out_of_order_and_by_the_wrong_people_are_refused(quang_ninh):
    feedback, _secret = submit(actor=ANON)
    with pytest.raises(FeedbackError, match="Chỉ chuyên viên"):
        feedback_draft(actor=staff("tinh.chuyenvien"), feedback=feedback, answer="x")
    with pytest.raises(FeedbackError, match="không có quyền phân loại"):
        feedback_route(
            actor=staff("tinh.chuyenvien"), feedback=feedback, unit=unit(JUSTICE), topic="conduct"
        )
    with pytest.raises(FeedbackError, match="Không thể"):
        feedback_rate(actor=ANON, feedback=feedback, rating="like")
    with pytest.raises(FeedbackError, match="lý do từ chối"):
        feedback_refuse(actor=staff("tinh.tiepnhan"), feedback=feedback, reason="   ")
    feedback = routed()
    with pytest.raises(FeedbackError, match="Chỉ chuyên viên"):  # another unit's specialist
        feedback_draft(actor=staff("congan.chuyenvien"), feedback=feedback, answer="x")
    feedback_draft(actor=staff("tinh.chuyenvien"), feedback=feedback, answer="Trả lời.")
    with pytest.raises(FeedbackError, match="Chỉ lãnh đạo"):
        feedback_approve(actor=staff("tinh.chuyenvien"), feedback=feedback)
    with pytest.raises(FeedbackError, match="Chỉ lãnh đạo"):
        feedback_approve(actor=staff("congan.lanhdao"), feedback=feedback)
    with pytest.raises(FeedbackError, match="Không thể thực hiện"):
        feedback_refuse(actor=staff("tinh.tiepnhan"), feedback=feedback, reason="Muộn.")
    assert Feedback.objects.get(pk=feedback.pk).state == FeedbackState.DRAFTED
    assert unit(POLICE).pk != feedback.unit_id


def test_more_information_stops_and_restarts_the_clock(quang_ninh):
    with time_machine.travel(FRIDAY, tick=False):
        feedback, secret = submit(actor=ANON)
        feedback = feedback_request_info(
            actor=staff("tinh.tiepnhan"), feedback=feedback, request="Tên bộ phận đã yêu cầu?"
        )
    assert (feedback.state, feedback.due_at) == ("info_requested", None)
    tracked = get_tracked_feedback(ANON, feedback.code, secret)
    assert tracked == feedback
    assert get_tracked_feedback(ANON, feedback.code, "sai") is None
    with time_machine.travel(at(4, month=5, hour=10), tick=False):  # Monday
        feedback = feedback_supplement(actor=ANON, feedback=tracked, text="Bộ phận Một cửa tỉnh.")
    assert feedback.state == "received"
    assert feedback.content.endswith("Bổ sung ngày 04/05/2026:\nBộ phận Một cửa tỉnh.")
    # 15 working days from Monday 4/5, the day of the event not counted: Monday 25/5.
    assert feedback.answer_due_at == dt.datetime(2026, 5, 25, 17, 0, tzinfo=VIETNAM_TZ)


def test_overdue_list_holds_the_steps_past_their_deadline(quang_ninh):
    with time_machine.travel(FRIDAY, tick=False):
        waiting, _s = submit(actor=ANON)
        feedback = routed()
    everything = Feedback.objects.all()
    assert list(overdue(everything, at=at(6, month=5, hour=16))) == []
    # Thursday 7/5: the classification step (5 working days) of the first is over.
    assert list(overdue(everything, at=at(7, month=5))) == [waiting]
    late = set(overdue(everything, at=at(21, month=5)))
    assert late == {waiting, feedback}
