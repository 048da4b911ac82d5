"""Issue 9, points 1 and 3: every way into a staff session passes allauth's sign-in with its
two-factor stage, and the sign-in limits hold per account *and* client address, behind the
documented reverse proxy, with a slower back-off per account."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from conftest import totp_code
from django.test import Client

from egov.accounts.models import User
from egov.demo.accounts import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def superuser_with_totp(quang_ninh):
    user = User.objects.create_superuser(
        "quantri.tinh", "quantri@egov.example.vn", DEMO_PASSWORD, full_name="Quản trị tỉnh"
    )
    TOTP.activate(user, SECRET)
    return user


def _signed_in(client):
    return "_auth_user_id" in client.session


def test_the_admin_login_form_is_not_a_door(superuser_with_totp, client):
    page = client.get("/admin/login/?next=/admin/accounts/user/")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    posted = client.post(
        "/admin/login/?next=/admin/",
        {"username": "quantri.tinh", "password": DEMO_PASSWORD, "next": "/admin/"},
    )
    assert posted.status_code == 302
    assert posted["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert not _signed_in(client)
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith("/admin/login/")
    # An outside target for "next" is not kept.
    outside = client.get("/admin/login/?next=https://evil.example/")
    assert outside["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_the_password_alone_does_not_open_the_admin(superuser_with_totp, client):
    step = client.post(
        "/accounts/login/?next=/admin/", {"login": "quantri.tinh", "password": DEMO_PASSWORD}
    )
    assert step.status_code == 302 and step["Location"] == "/accounts/2fa/authenticate/"
    assert not _signed_in(client)
    assert client.get("/admin/").status_code == 302
    done = client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/staff/").status_code == 200


def test_a_session_that_skipped_the_second_factor_is_thrown_out(superuser_with_totp, client):
    client.force_login(superuser_with_totp)  # as if some other login path had made it
    for path in ("/admin/", "/staff/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={path.replace('/', '%2F')}"
        assert not _signed_in(client)
        client.force_login(superuser_with_totp)


def test_staff_without_totp_are_not_thrown_out_by_the_check(receptionist_binh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(receptionist_binh)
    assert client.get("/staff/").status_code == 200


def _login(client, password, **extra):
    return client.post(
        "/accounts/login/", {"login": "tinh.tiepnhan", "password": password}, **extra
    )


def test_after_five_failures_even_the_right_password_is_refused(quang_ninh, client):
    for _ in range(5):
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in _login(client, "sai").content.decode()
    refused = _login(client, DEMO_PASSWORD)
    assert refused.status_code == 200
    assert "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau." in refused.content.decode()
    assert not _signed_in(client)


def test_a_stranger_cannot_lock_the_officer_out_from_elsewhere(quang_ninh, settings):
    """Behind the documented proxy (one trusted hop), failures of one client count for that
    client: the officer at another address still signs in."""
    settings.EGOV_TRUSTED_PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(6):
        _login(attacker, "sai")
    assert "Đăng nhập sai quá nhiều lần" in _login(attacker, DEMO_PASSWORD).content.decode()
    officer = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _login(officer, DEMO_PASSWORD).status_code == 302
    assert _signed_in(officer)


def test_a_forged_forwarded_header_does_not_pick_a_fresh_address(quang_ninh, settings):
    """Without a trusted proxy the header is the client's own words and is ignored."""
    settings.EGOV_TRUSTED_PROXY_COUNT = 0
    for number in range(6):
        forged = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        _login(forged, "sai")
    again = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert "Đăng nhập sai quá nhiều lần" in _login(again, DEMO_PASSWORD).content.decode()


def test_a_spread_out_attack_meets_the_slower_back_off_but_not_the_owner(quang_ninh, settings):
    """Failures from many addresses stop further guessing on a new browser; the browser the
    officer signed in from before is held back only by its own address's limits."""
    settings.EGOV_LOGIN_ACCOUNT_FAILURES_PER_HOUR = 8
    own_browser = Client(REMOTE_ADDR="198.51.100.7")
    assert _login(own_browser, DEMO_PASSWORD).status_code == 302
    own_browser.post("/accounts/logout/")
    for number in range(4):
        client = Client(REMOTE_ADDR=f"203.0.113.{number + 1}")
        for _ in range(2):
            _login(client, "sai")
    new_browser = Client(REMOTE_ADDR="198.51.100.7")
    refused = _login(new_browser, DEMO_PASSWORD)
    assert "Đăng nhập sai quá nhiều lần" in refused.content.decode()
    assert not _signed_in(new_browser)
    assert _login(own_browser, DEMO_PASSWORD).status_code == 302
    assert _signed_in(own_browser)
    # The cookie is signed: a made-up one is worth nothing.
    forged = Client(REMOTE_ADDR="198.51.100.8")
    forged.cookies["egov_known_device"] = "WyJhYmMiXQ:forged:signature"
    assert "Đăng nhập sai quá nhiều lần" in _login(forged, DEMO_PASSWORD).content.decode()


def test_a_phone_number_is_one_account_however_it_is_typed(quang_ninh, settings):
    from egov.accounts.adapters import login_subject

    assert login_subject({"username": "0912 345 678"}) == "+84912345678"
    assert login_subject({"username": "+84912345678"}) == "+84912345678"
    assert login_subject({"email": "An.Nguyen@Example.VN"}) == "an.nguyen@example.vn"
    assert login_subject({"username": "Tinh.TiepNhan"}) == "tinh.tiepnhan"
