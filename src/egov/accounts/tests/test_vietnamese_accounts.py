"""Issue 13 point 1: what allauth shows and sends is Vietnamese — the sign-up page and its
errors, the messages after signing in and out, the confirmation and password-reset e-mails —
and English for a visitor who chose it."""

import pytest
from django.core import mail
from django.test import Client
from tests.english_words import english_words, visible_text

from egov.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Ha-Long-2026-vinh"


def test_sign_up_page_is_vietnamese_and_english_on_request(quang_ninh):
    page = Client().get("/accounts/signup/").content.decode()
    text = visible_text(page)
    assert "Đăng ký tài khoản" in text
    assert "Đã có tài khoản? Đăng nhập" in text
    assert "Thư điện tử (không bắt buộc)" in text
    assert english_words(page) == []
    english = Client()
    english.cookies["django_language"] = "en"
    text = visible_text(english.get("/accounts/signup/").content.decode())
    assert "Create an account" in text
    assert "Already have an account? Sign in" in text


def test_sign_up_with_a_taken_address_says_so_in_vietnamese(quang_ninh):
    User.objects.create_user("da.co", email="da.co@example.vn", password=PASSWORD)
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "da.co@example.vn",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Nguyễn Thị Hoa",
            "kind": "citizen",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đã có tài khoản đăng ký bằng địa chỉ thư điện tử này." in page
    assert english_words(page) == []


def test_sign_up_confirmation_e_mail_and_message_are_vietnamese(quang_ninh):
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "email": "hoa.nguyen@example.vn",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Nguyễn Thị Hoa",
            "kind": "citizen",
        },
        follow=True,
    )
    assert "Đã gửi thư xác nhận đến hoa.nguyen@example.vn." in visible_text(
        response.content.decode()
    )
    [message] = mail.outbox
    assert message.subject.endswith("Xác nhận địa chỉ thư điện tử của bạn")
    assert message.body.startswith("Kính gửi Quý ông/bà,")
    assert "Để xác nhận, mời bạn mở liên kết: http://testserver/accounts/confirm-email/" in (
        message.body
    )
    assert "Cổng dịch vụ công tỉnh Quảng Ninh" in message.body
    assert english_words(message.subject + "\n" + message.body) == []


def test_messages_after_signing_in_and_out_are_vietnamese(quang_ninh):
    User.objects.create_user("hoa.tran", email="hoa.tran@example.vn", password=PASSWORD)
    client = Client()
    signed_in = client.post(
        "/accounts/login/", {"login": "hoa.tran@example.vn", "password": PASSWORD}, follow=True
    )
    assert "Đã đăng nhập với tài khoản hoa.tran." in visible_text(signed_in.content.decode())
    signed_out = client.post("/accounts/logout/", follow=True)
    assert "Bạn đã đăng xuất." in visible_text(signed_out.content.decode())
    assert english_words(signed_in.content.decode() + signed_out.content.decode()) == []


def test_wrong_password_and_reset_e_mail_are_vietnamese(quang_ninh):
    User.objects.create_user("hoa.le", email="hoa.le@example.vn", password=PASSWORD)
    client = Client()
    refused = client.post("/accounts/login/", {"login": "hoa.le@example.vn", "password": "x"})
    assert "Địa chỉ thư điện tử hoặc mật khẩu không đúng." in refused.content.decode()
    assert english_words(refused.content.decode()) == []
    sent = client.post("/accounts/password/reset/", {"email": "hoa.le@example.vn"}, follow=True)
    assert english_words(sent.content.decode()) == []
    [message] = mail.outbox
    assert message.subject.endswith("Đặt lại mật khẩu")
    assert "Bấm vào liên kết dưới đây để đặt lại mật khẩu." in message.body
    assert english_words(message.subject + "\n" + message.body) == []
