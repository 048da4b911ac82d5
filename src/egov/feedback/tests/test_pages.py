"""The portal's feedback pages (send, follow with code + secret, rate, published answers) and
the workspace's (list, hotline form, actions) — with the access rules: a unit sees its own
feedback, the support centre all of its centre, an operator what they logged, a submitter
their own."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMessage
from django.urls import reverse

from egov.accounts.models import User
from egov.contrib.mailbox.backend import keep
from egov.feedback.models import Feedback
from egov.feedback.permissions import visible_feedback
from egov.feedback.services import (
    feedback_approve,
    feedback_draft,
    feedback_publish,
    feedback_route,
)
from egov.feedback.tests.helpers import CENTRE, FRIDAY, JUSTICE, staff, submit, unit

pytestmark = pytest.mark.django_db
SEND = {
    "kind": "kien_nghi",
    "title": "Kiến nghị giảm giấy tờ đăng ký khai sinh",
    "content": "Đề nghị bỏ yêu cầu bản sao giấy chứng nhận kết hôn.",
    "name": "Trần Thị Mai",
    "phone": "0987654321",
    "email": "",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def _centre(settings):
    settings.EGOV_FEEDBACK_CENTRE = CENTRE
    settings.EGOV_REQUIRE_STAFF_MFA = False  # two-factor sign-in is accounts/tests' business


def _sent(response):
    text = response.content.decode()
    code = re.search(r'data-testid="feedback-code">([^<]+)<', text).group(1)
    secret = re.search(r'data-testid="feedback-secret">([^<]+)<', text).group(1)
    return code, secret


def test_anonymous_submitter_sends_follows_and_rates(quang_ninh, client):
    response = client.post(reverse("portal:feedback_send"), SEND)
    assert response.status_code == 200
    code, secret = _sent(response)
    feedback = Feedback.objects.get(code=code)
    assert (feedback.kind, feedback.channel, feedback.consent_to_publish) == (
        "kien_nghi",
        "portal",
        True,
    )
    track = reverse("portal:feedback_track")
    assert client.post(track, {"ma": code, "khoa": "doan-bua"}).status_code == 404
    page = client.post(track, {"ma": code, "khoa": secret})
    assert page.status_code == 200
    assert "Đã tiếp nhận, chờ phân loại" in page.content.decode()
    # Answered: the tracking page offers the rating, once.
    feedback_route(
        actor=staff("tinh.tiepnhan"), feedback=feedback, unit=unit(JUSTICE), topic="regulation"
    )
    feedback_draft(actor=staff("tinh.chuyenvien"), feedback=feedback, answer="Đã tiếp thu.")
    feedback_approve(actor=staff("tinh.lanhdaophong"), feedback=feedback)
    rate = {"ma": code, "khoa": secret, "thao_tac": "danh_gia", "danh_gia": "dislike"}
    rated = client.post(track, rate)
    assert rated.status_code == 200
    assert Feedback.objects.get(pk=feedback.pk).rating == "dislike"
    again = client.post(track, {**rate, "danh_gia": "like"})
    assert again.status_code == 400
    assert "đã được đánh giá" in again.content.decode()
    assert Feedback.objects.get(pk=feedback.pk).rating == "dislike"
    # Someone without the secret cannot rate.
    assert client.post(track, {**rate, "khoa": ""}).status_code == 404


def test_sending_is_rate_limited_and_checked(quang_ninh, client, settings):
    settings.EGOV_FEEDBACK_RATE_PER_HOUR = 1
    no_contact = client.post(reverse("portal:feedback_send"), {**SEND, "phone": ""})
    assert no_contact.status_code == 400
    assert "số điện thoại hoặc thư điện tử" in no_contact.content.decode()
    assert client.post(reverse("portal:feedback_send"), SEND).status_code == 429
    assert Feedback.objects.count() == 0


def test_a_citizen_with_an_account_follows_without_the_secret(quang_ninh, client):
    an = User.objects.create_user("an.pakn", email="an.pakn@congdan.example.vn")
    client.force_login(an)
    code, _secret = _sent(client.post(reverse("portal:feedback_send"), SEND))
    assert Feedback.objects.get(code=code).submitter_account == an
    page = client.get(reverse("portal:feedback_track"), {"ma": code})
    assert page.status_code == 200 and code in page.content.decode()
    eve = User.objects.create_user("eve.pakn", email="eve@congdan.example.vn")
    client.force_login(eve)
    other = client.get(reverse("portal:feedback_track"), {"ma": code})
    assert "Kiến nghị giảm giấy tờ" not in other.content.decode()


@time_machine.travel(FRIDAY, tick=False)
def test_published_answers_are_masked_and_searchable(quang_ninh, client):
    hidden, _s = submit(actor=AnonymousUser(), title="Chưa công khai")
    feedback, _s = submit(actor=AnonymousUser())
    feedback_route(
        actor=staff("tinh.tiepnhan"), feedback=feedback, unit=unit(JUSTICE), topic="regulation"
    )
    feedback_draft(actor=staff("tinh.chuyenvien"), feedback=feedback, answer="Không phải nộp.")
    feedback_approve(actor=staff("tinh.lanhdaophong"), feedback=feedback)
    feedback_publish(actor=staff("tinh.tiepnhan"), feedback=feedback)
    listing = client.get(reverse("portal:feedback_home"), {"q": "chung thuc"}).content.decode()
    assert feedback.code in listing and hidden.code not in listing
    answer = client.get(reverse("portal:feedback_answer", args=[feedback.code]))
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "[họ tên đã ẩn]" in text and "Nguyễn Văn An" not in text and "0912" not in text
    assert client.get(reverse("portal:feedback_answer", args=[hidden.code])).status_code == 404


@time_machine.travel(FRIDAY, tick=False)
def test_units_see_their_own_feedback_only(quang_ninh, client):
    feedback, _s = submit(actor=AnonymousUser())
    detail = reverse("workspace:feedback", args=[feedback.code])
    # Not yet routed: the centre sees it, the Sở does not.
    client.force_login(staff("tinh.chuyenvien"))
    assert client.get(detail).status_code == 404
    client.force_login(staff("tinh.tiepnhan"))
    assert client.get(detail).status_code == 200
    route = client.post(
        reverse("workspace:feedback_action", args=[feedback.code]),
        {"thao_tac": "chuyen", "don_vi": unit(JUSTICE).pk, "phan_loai": "regulation"},
    )
    assert route.status_code == 302
    assert Feedback.objects.get(pk=feedback.pk).state == "routed"
    client.force_login(staff("tinh.chuyenvien"))
    assert client.get(detail).status_code == 200
    assert feedback.code in client.get(reverse("workspace:feedback_list")).content.decode()
    for outsider in ("congan.chuyenvien", "congan.lanhdao", "honggai.tiepnhan"):
        client.force_login(staff(outsider))
        assert client.get(detail).status_code == 404, outsider
        assert feedback.code not in client.get(reverse("workspace:feedback_list")).content.decode()
        action = client.post(
            reverse("workspace:feedback_action", args=[feedback.code]),
            {"thao_tac": "du_thao", "noi_dung": "Eve"},
        )
        assert action.status_code == 404
    assert Feedback.objects.get(pk=feedback.pk).answer == ""


def test_operators_see_the_calls_they_logged(quang_ninh, client):
    operator = staff("honggai.tiepnhan")  # a receptionist of another centre, on the hotline
    client.force_login(operator)
    response = client.post(
        reverse("workspace:feedback_call"),
        {**SEND, "kind": "hoi_dap", "title": "Hỏi lệ phí khai sinh"},
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get(title="Hỏi lệ phí khai sinh")
    assert (feedback.channel, feedback.logged_by, feedback.centre.key) == (
        "hotline",
        operator,
        CENTRE,
    )
    assert list(visible_feedback(operator)) == [feedback]
    assert client.get(reverse("workspace:feedback", args=[feedback.code])).status_code == 200
    # The operator cannot classify at a centre where they hold no role.
    client.post(
        reverse("workspace:feedback_action", args=[feedback.code]),
        {"thao_tac": "tu_choi", "noi_dung": "x"},
    )
    assert Feedback.objects.get(pk=feedback.pk).state == "received"
    client.force_login(staff("tinh.chuyenvien"))
    assert client.get(reverse("workspace:feedback_call")).status_code == 403


def test_mail_to_the_centre_becomes_feedback_once(quang_ninh, settings, tmp_path):
    from django.core.management import call_command

    settings.VAR_DIR = tmp_path
    keep(
        EmailMessage(
            subject="Phản ánh thái độ cán bộ",
            body="Cán bộ tiếp nhận không hướng dẫn.",
            from_email="Lê Thị Hoa <hoa@example.vn>",
            to=[settings.EGOV_FEEDBACK_MAILBOX],
        )
    )
    call_command("feedback_read_mailbox", stdout=(out := __import__("io").StringIO()))
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.submitter_name, feedback.submitter_email) == (
        "email",
        "Lê Thị Hoa",
        "hoa@example.vn",
    )
    assert (feedback.title, feedback.content) == (
        "Phản ánh thái độ cán bộ",
        "Cán bộ tiếp nhận không hướng dẫn.",
    )
    assert out.getvalue().endswith("received=1 skipped=0 refused=0\n")
    call_command("feedback_read_mailbox", stdout=(again := __import__("io").StringIO()))
    assert again.getvalue() == "received=0 skipped=1 refused=0\n"
    assert Feedback.objects.count() == 1
