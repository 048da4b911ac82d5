"""The simulated mailbox: e-mails kept per recipient (case-insensitive) and shown at
/hop-thu-mo-phong/, also the ones allauth sends (a password reset link)."""

from __future__ import annotations

import re

import pytest
from django.core.mail import EmailMessage
from django.test import Client

from egov.accounts.models import User
from egov.contrib.mailbox.backend import KEPT_PER_RECIPIENT, EmailBackend, messages_for

URL = "/hop-thu-mo-phong/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mailbox(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.EMAIL_BACKEND = "egov.contrib.mailbox.backend.EmailBackend"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_message_is_printed_and_kept_for_each_recipient(capsys) -> None:
    message = EmailMessage(
        subject="Mã xác nhận đăng ký",
        body="Mã xác nhận của bạn: 482913",
        from_email="egov <no-reply@localhost>",
        to=["An.Nguyen@example.vn"],
        cc=["binh@example.vn"],
    )
    assert EmailBackend().send_messages([message]) == 1
    assert "Mã xác nhận của bạn: 482913" in capsys.readouterr().out
    for address in ("an.nguyen@example.vn", "binh@example.vn"):
        (kept,) = messages_for(address)
        assert (kept.subject, kept.sender, kept.text.strip()) == (
            "Mã xác nhận đăng ký",
            "egov <no-reply@localhost>",
            "Mã xác nhận của bạn: 482913",
        )
    assert messages_for("other@example.vn") == []


def test_only_the_newest_messages_are_kept() -> None:
    backend = EmailBackend()
    for number in range(KEPT_PER_RECIPIENT + 2):
        backend.send_messages([EmailMessage(subject=f"Thư {number}", to=["an@example.vn"])])
    kept = messages_for("an@example.vn")
    assert len(kept) == KEPT_PER_RECIPIENT
    assert kept[0].subject == f"Thư {KEPT_PER_RECIPIENT + 1}"  # newest first
    assert kept[-1].subject == "Thư 2"


def test_the_page_shows_a_password_reset_link_sent_by_allauth(client: Client) -> None:
    User.objects.create_user(username="an", email="an@example.vn", password="Mk-dai-du-12")
    response = client.post("/accounts/password/reset/", {"email": "an@example.vn"})
    assert response.status_code == 302
    page = _text(client.get(URL, {"thu": "AN@example.vn"}))
    assert "Thư gửi đến AN@example.vn" in page
    assert re.search(r"http://testserver/accounts/password/reset/key/\S+/", page)


def test_the_page_without_mail_and_with_a_bad_address(client: Client) -> None:
    empty = _text(client.get(URL, {"thu": "nobody@example.vn"}))
    assert "Chưa có thư nào." in empty
    bad = client.get(URL, {"thu": "không-phải-thư"})
    assert "Địa chỉ thư điện tử không hợp lệ." in _text(bad)
    assert 'aria-invalid="true"' in bad.content.decode()


def test_the_footer_points_to_the_trial_inboxes(client: Client) -> None:
    html = client.get("/").content.decode()
    assert (
        '<a href="/dien-thoai-mo-phong/">Điện thoại mô phỏng</a> · '
        '<a href="/hop-thu-mo-phong/">Hộp thư mô phỏng</a>'
    ) in html
