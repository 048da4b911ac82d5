"""Citizen sign-up and profile: every error in one pass, each on its own field, required fields
marked (the shared field include renders allauth's sign-up form too)."""

import re

import pytest

from egov.accounts.models import User

pytestmark = pytest.mark.django_db


def _signup(client, **fields):
    data = {
        "password1": "Mat-khau-rat-manh-2026",
        "password2": "Mat-khau-rat-manh-2026",
        "full_name": "Nguyễn Văn An",
        "kind": "citizen",
        "personal_id": "022084000123",
        **fields,
    }
    return client.post("/accounts/signup/", data).content.decode()


def _error(html, field_id):
    match = re.search(rf'<span class="field-error" id="{field_id}_error">([^<]*)</span>', html)
    return match.group(1) if match else None


def test_id_and_phone_errors_come_with_email_and_password_errors(quang_ninh, client):
    before = User.objects.count()
    html = _signup(
        client,
        email="khong-phai-thu",
        password2="Mat-khau-khac-2026",
        personal_id="12345",
        phone="0123",
    )
    assert _error(html, "id_email") == "Nhập địa chỉ thư điện tử hợp lệ."
    assert _error(html, "id_password2") == "Hai lần nhập mật khẩu phải giống nhau."
    assert _error(html, "id_personal_id") == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert _error(html, "id_phone").startswith("Số điện thoại “0123” không hợp lệ")
    assert User.objects.count() == before


def test_an_invalid_email_is_reported_on_the_email_field_only(quang_ninh, client):
    html = _signup(client, email="an@@example")
    assert _error(html, "id_email") == "Nhập địa chỉ thư điện tử hợp lệ."
    assert _error(html, "id_phone") is None
    assert "Cần nhập thư điện tử hoặc số điện thoại" not in html


def test_neither_email_nor_phone_is_said_on_both(quang_ninh, client):
    html = _signup(client)
    message = "Cần nhập thư điện tử hoặc số điện thoại di động để đăng nhập."
    assert _error(html, "id_email") == message and _error(html, "id_phone") == message


def test_required_fields_are_marked_on_the_signup_form(quang_ninh, client):
    html = client.get("/accounts/signup/").content.decode()
    assert (
        '<label for="id_full_name">Họ và tên<span class="required-mark" aria-hidden="true">'
        ' *</span><span class="visually-hidden"> (bắt buộc)</span></label>'
    ) in html
    assert re.search(r'name="password1"[^>]*aria-required="true"', html)
    assert '<label for="id_phone">Điện thoại di động</label>' in html


def test_profile_errors_on_their_fields(quang_ninh, client):
    from egov.demo.accounts import DEMO_PASSWORD

    user = User.objects.create_user(username="an", password=DEMO_PASSWORD, full_name="An")
    client.force_login(user)
    html = client.post(
        "/tai-khoan/",
        {"full_name": "", "kind": "organisation", "personal_id": "12345", "phone": "0123"},
    ).content.decode()
    assert _error(html, "id_full_name") == "Trường này là bắt buộc."
    assert _error(html, "id_personal_id") == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert _error(html, "id_phone").startswith("Số điện thoại “0123” không hợp lệ")
    assert _error(html, "id_tax_code") == "Cần nhập mã số thuế của tổ chức."
    assert _error(html, "id_organisation_name") == "Cần nhập tên tổ chức, doanh nghiệp."
