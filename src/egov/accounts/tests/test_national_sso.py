"""Signing in through the national SSO as an OpenID Connect relying party, against our own
provider simulator (discovery, code flow with PKCE, RS256 id_token, userinfo). The simulator
also plays a broken or hostile provider (foreign keys, alg none, other subject, nonce, acr)."""

from __future__ import annotations

import base64
import hashlib

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache

from egov.accounts.models import CitizenProfile, User
from egov.accounts.tests.sso_support import (
    BINH,
    CALLBACK,
    CLIENT_ID,
    CLIENT_SECRET,
    authorize_query,
    authorize_url,
    callback,
    configure,
    failures,
    follow_to_callback,
    sign_in,
)
from egov.contrib.vneid.simulator import OidcSimulator


def _refused(response, reason):
    assert response.status_code == 400
    assert "Không đăng nhập được bằng tài khoản định danh điện tử" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session
    assert failures()[-1] == reason


def test_first_sign_in_creates_the_citizen_with_the_identity_from_the_claims(
    quang_ninh, client, national_sso, settings
):
    settings.EGOV_SSO_SCOPES = ["openid", "profile", "email", "phone"]
    assert "Đăng nhập bằng VNeID" in client.get("/accounts/login/").content.decode()
    url = authorize_url(client)
    query = authorize_query(url)
    assert url.startswith(national_sso.issuer + "/oauth2/authorize")
    assert query["acr_values"] == ["LoA1"] and query["code_challenge_method"] == ["S256"]
    assert len(query["nonce"][0]) >= 32
    assert set(query["scope"][0].split()) == {"openid", "profile", "email", "phone"}
    done = callback(client, follow_to_callback(url))
    assert done.status_code == 302 and done["Location"] == "/ho-so-cua-toi/"
    account = User.objects.get(email="binh.tran@example.vn")
    profile = CitizenProfile.objects.get(user=account)
    assert (profile.personal_id, profile.phone, profile.identity_source) == (
        "022190000456",
        "+84987654321",
        "national_sso",
    )
    assert str(profile.birth_date) == "1990-05-04" and account.full_name == "Trần Thị Bình"
    assert profile.phone_verified_at is not None  # vouched for by the national identity
    client.logout()
    again = sign_in(client)  # the same person signs in again
    assert again["Location"] == "/ho-so-cua-toi/"
    assert User.objects.filter(email="binh.tran@example.vn").count() == 1
    assert failures() == []


def test_an_unusable_phone_claim_does_not_block_the_sign_in(quang_ninh, client, national_sso):
    national_sso.user = {**BINH, "so_dien_thoai": "12345"}
    assert sign_in(client)["Location"] == "/ho-so-cua-toi/"
    profile = CitizenProfile.objects.get(user__email="binh.tran@example.vn")
    assert profile.personal_id == "022190000456" and profile.phone == ""


def test_a_forged_callback_signs_nobody_in_and_is_audited(quang_ninh, client, national_sso):
    client.post("/accounts/oidc/vneid/login/")
    forged = client.get("/accounts/oidc/vneid/login/callback/?code=khong-co&state=sai")
    _refused(forged, "callback_invalid")
    assert 'action="/accounts/oidc/vneid/login/"' in forged.content.decode()  # retry
    assert not User.objects.filter(email="binh.tran@example.vn").exists()


# --- 7. the id_token is verified -------------------------------------------------------------


@pytest.mark.parametrize(
    ("misbehaviour", "reason"),
    [
        ("foreign_key", "id_token_signature"),
        ("alg_none", "id_token_algorithm"),
        ("hs256_public_key", "id_token_algorithm"),
        ("other_sub", "sub_mismatch"),
        ("foreign_nonce", "nonce_mismatch"),
        ("no_nonce", "nonce_mismatch"),
        ("expired", "id_token_expired"),
        ("wrong_audience", "id_token_audience"),
    ],
)
def test_a_bad_id_token_is_refused(quang_ninh, client, national_sso, misbehaviour, reason):
    national_sso.misbehave = {misbehaviour}
    _refused(sign_in(client), reason)
    assert not User.objects.filter(email="binh.tran@example.vn").exists()
    assert "022190000456" not in str(failures())  # no personal data in the audit trail


def test_an_algorithm_outside_the_configuration_is_refused(
    quang_ninh, client, national_sso, settings
):
    settings.EGOV_SSO_ID_TOKEN_ALGS = ["ES256"]
    _refused(sign_in(client), "id_token_algorithm")


def test_the_provider_rotates_its_signing_key(quang_ninh, client, national_sso):
    assert sign_in(client)["Location"] == "/ho-so-cua-toi/"  # the JWKS is now cached
    client.logout()
    national_sso.rotate_key()
    assert sign_in(client)["Location"] == "/ho-so-cua-toi/"  # unknown kid: fetched again


# --- 8. the assurance level ------------------------------------------------------------------


@pytest.mark.parametrize("acr", ["LoA0", None, "khac"])
def test_an_assurance_level_below_the_minimum_is_refused(quang_ninh, client, national_sso, acr):
    national_sso.acr = acr
    response = sign_in(client)
    _refused(response, "acr_insufficient")
    assert "Mức độ xác thực" in response.content.decode()


def test_a_higher_minimum_is_requested_and_required(quang_ninh, client, national_sso, settings):
    settings.EGOV_SSO_MIN_ACR = "LoA2"
    url = authorize_url(client)
    assert authorize_query(url)["acr_values"] == ["LoA2"]
    _refused(callback(client, follow_to_callback(url)), "acr_insufficient")  # it gave LoA1
    national_sso.acr = "LoA2"
    assert sign_in(client)["Location"] == "/ho-so-cua-toi/"


def test_the_login_url_cannot_change_the_request(quang_ninh, client, national_sso, settings):
    settings.EGOV_SSO_SCOPES = ["openid profile email"]
    url = authorize_url(
        client, "?auth_params=acr_values%3DLoA0%26nonce%3Dabc%26prompt%3Dnone&scope=offline"
    )
    query = authorize_query(url)
    assert query["acr_values"] == ["LoA1"] and query["nonce"] != ["abc"]
    assert "prompt" not in query
    assert set(query["scope"][0].split()) == {"openid", "profile", "email"}


# --- 10. claims and scopes -------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["so_dinh_danh", "name"])
def test_a_sign_in_without_the_required_claims_is_refused(
    quang_ninh, client, national_sso, missing
):
    del national_sso.user[missing]
    response = sign_in(client)
    _refused(response, "claims_missing")
    assert "không cung cấp đủ họ tên và số định danh cá nhân" in response.content.decode()
    assert not User.objects.filter(email="binh.tran@example.vn").exists()


def test_an_invalid_personal_id_is_refused(quang_ninh, client, national_sso):
    national_sso.user["so_dinh_danh"] = "12345"
    _refused(sign_in(client), "claims_invalid")


def test_the_scopes_come_from_the_configuration(quang_ninh, client, settings):
    cache.clear()
    settings.EGOV_SSO_SCOPES = ["openid", "profile", "email"]
    scopes = {
        "profile": {"name", "ngay_sinh"},
        "email": {"email"},
        "cong_dan": {"so_dinh_danh"},
        "phone": {"so_dien_thoai"},
    }
    provider = OidcSimulator(CLIENT_ID, CLIENT_SECRET, [CALLBACK], scope_claims=scopes).start()
    try:
        provider.user = dict(BINH)
        configure(settings, provider.issuer)
        # The personal ID sits in the provider's own scope: not asked for, not given.
        _refused(sign_in(client), "claims_missing")
        settings.EGOV_SSO_SCOPES = ["openid profile email cong_dan phone"]
        url = authorize_url(client)
        assert set(authorize_query(url)["scope"][0].split()) == {
            "openid",
            "profile",
            "email",
            "cong_dan",
            "phone",
        }
        assert callback(client, follow_to_callback(url))["Location"] == "/ho-so-cua-toi/"
        profile = CitizenProfile.objects.get(user__email="binh.tran@example.vn")
        assert (profile.personal_id, profile.phone) == ("022190000456", "+84987654321")
    finally:
        provider.stop()


def test_the_simulator_releases_only_the_claims_of_the_granted_scopes(national_sso):
    national_sso.codes["c"] = {
        "nonce": "n",
        "redirect_uri": CALLBACK,
        "challenge": _challenge("v" * 43),
        "scopes": {"openid"},
    }
    token = _token(national_sso, code="c", verifier="v" * 43)
    assert token.status_code == 200
    userinfo = requests.get(
        national_sso.issuer + "/oauth2/userinfo",
        headers={"Authorization": "Bearer " + token.json()["access_token"]},
        timeout=5,
    ).json()
    assert userinfo == {"sub": "vneid-0001"}


def test_the_simulator_checks_the_pkce_verifier(national_sso):
    national_sso.codes["c"] = {
        "nonce": "n",
        "redirect_uri": CALLBACK,
        "challenge": _challenge("v" * 43),
        "scopes": {"openid"},
    }
    assert _token(national_sso, code="c", verifier="w" * 43).json() == {"error": "invalid_grant"}


def _challenge(verifier):
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _token(provider, *, code, verifier):
    return requests.post(
        provider.issuer + "/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
        timeout=5,
    )


def test_fields_from_the_e_id_cannot_be_edited_and_are_restored(quang_ninh, client, national_sso):
    sign_in(client)
    page = client.get("/tai-khoan/").content.decode()
    assert 'name="personal_id"' in page and "disabled" in page
    client.post(
        "/tai-khoan/",
        {
            "full_name": "Tên Khác",
            "kind": "citizen",
            "personal_id": "001190000001",
            "birth_date": "1991-01-01",
            "phone": "0912345678",
            "address": "Số 1 đường Hạ Long",
        },
    )
    profile = CitizenProfile.objects.select_related("user").get(user__email=BINH["email"])
    assert (profile.user.full_name, profile.personal_id, str(profile.birth_date)) == (
        "Trần Thị Bình",
        "022190000456",
        "1990-05-04",
    )
    assert (profile.phone, profile.address) == ("+84987654321", "Số 1 đường Hạ Long")
    CitizenProfile.objects.filter(pk=profile.pk).update(personal_id="", birth_date=None)
    client.logout()
    sign_in(client)  # each SSO sign-in restores the identity
    profile.refresh_from_db()
    assert (profile.personal_id, str(profile.birth_date)) == ("022190000456", "1990-05-04")
    assert profile.address == "Số 1 đường Hạ Long"  # what the citizen typed stays


# --- 11. failures ----------------------------------------------------------------------------


def test_an_unreachable_provider_gives_a_page_with_a_retry(quang_ninh, client, settings):
    dead = OidcSimulator(CLIENT_ID, CLIENT_SECRET, [CALLBACK])
    address = dead.issuer
    dead.server.server_close()  # nobody listens there any more
    configure(settings, address)
    response = client.post("/accounts/oidc/vneid/login/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Không kết nối được với hệ thống định danh điện tử" in page
    assert 'action="/accounts/oidc/vneid/login/"' in page
    assert failures() == ["provider_unreachable"]


def test_a_hanging_provider_times_out(quang_ninh, client, national_sso, settings):
    settings.EGOV_SSO_TIMEOUT_SECONDS = 1
    national_sso.misbehave = {"hang"}
    response = client.post("/accounts/oidc/vneid/login/")
    assert response.status_code == 503
    assert failures() == ["provider_unreachable"]


def test_a_hanging_token_endpoint_times_out(quang_ninh, client, national_sso, settings):
    settings.EGOV_SSO_TIMEOUT_SECONDS = 1
    back = follow_to_callback(authorize_url(client))
    national_sso.misbehave = {"hang"}
    response = callback(client, back)
    assert response.status_code == 503 and failures() == ["provider_unreachable"]


def test_a_server_url_with_a_trailing_slash_works(quang_ninh, client, national_sso, settings):
    configure(settings, national_sso.issuer + "/")
    assert sign_in(client)["Location"] == "/ho-so-cua-toi/"


def test_a_cancelled_sign_in_is_audited(quang_ninh, client, national_sso):
    query = authorize_query(authorize_url(client))
    response = client.get(
        "/accounts/oidc/vneid/login/callback/?error=access_denied&state=" + query["state"][0]
    )
    assert response.status_code == 400 and failures() == ["cancelled"]
    assert "Bạn đã huỷ đăng nhập" in response.content.decode()


# --- 12. sign-out ----------------------------------------------------------------------------


def test_sign_out_ends_the_provider_session(quang_ninh, client, national_sso):
    sign_in(client)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(national_sso.issuer + "/oauth2/logout?")
    query = authorize_query(location)
    assert query["post_logout_redirect_uri"] == [
        "http://testserver/accounts/oidc/vneid/da-dang-xuat/"
    ]
    assert query["id_token_hint"][0].count(".") == 2
    assert "_auth_user_id" not in client.session
    back = requests.get(location, allow_redirects=False, timeout=5)
    assert back.headers["Location"] == query["post_logout_redirect_uri"][0]
    assert len(national_sso.logouts) == 1
    page = client.get("/accounts/oidc/vneid/da-dang-xuat/").content.decode()
    assert "Bạn đã đăng xuất khỏi cổng dịch vụ công." in page


def test_sign_out_says_when_the_provider_session_stays_open(quang_ninh, client, settings):
    cache.clear()
    provider = OidcSimulator(CLIENT_ID, CLIENT_SECRET, [CALLBACK], end_session=False).start()
    try:
        provider.user = dict(BINH)
        configure(settings, provider.issuer)
        sign_in(client)
        response = client.post("/accounts/logout/", follow=True)
        page = response.content.decode()
        assert 'data-testid="sso-session-open"' in page
        assert "phiên đăng nhập tài khoản định danh điện tử vẫn còn" in page
        assert "_auth_user_id" not in client.session
    finally:
        provider.stop()


def test_sign_out_without_sso_is_unchanged(quang_ninh, client):
    user = User.objects.create_user("an", email="an@example.vn", password="Mat-khau-2026!")
    client.force_login(user)
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/"


def test_the_linked_account_is_the_one_signed_in_again(quang_ninh, client, national_sso):
    sign_in(client)
    assert SocialAccount.objects.filter(provider="vneid", uid="vneid-0001").count() == 1


def test_a_sign_in_without_an_e_mail_creates_the_account_directly(quang_ninh, client, national_sso):
    del national_sso.user["email"]
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/ho-so-cua-toi/"
    profile = CitizenProfile.objects.select_related("user").get(personal_id="022190000456")
    assert profile.user.email == "" and profile.identity_source == "national_sso"
