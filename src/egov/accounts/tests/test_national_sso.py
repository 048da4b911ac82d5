"""Signing in through the national SSO as an OpenID Connect relying party, against a local
provider the test starts (discovery, code flow with PKCE, RS256 id_token, userinfo)."""

from urllib.parse import parse_qs, urlsplit
from urllib.request import HTTPRedirectHandler, build_opener

import pytest

from egov.accounts.models import CitizenProfile, User
from egov.contrib.vneid.simulator import OidcSimulator


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def national_sso(settings):
    callback = "http://testserver/accounts/oidc/vneid/login/callback/"
    provider = OidcSimulator("egov-qn", "bi-mat-sso", [callback]).start()
    settings.SOCIALACCOUNT_PROVIDERS = _providers(provider.issuer)
    yield provider
    provider.stop()


def _providers(issuer):
    from egov import settings as egov_settings

    return egov_settings.sso_providers(issuer, "egov-qn", "bi-mat-sso", "VNeID")


def sign_in_through(provider, client):
    start = client.post("/accounts/oidc/vneid/login/")
    assert start.status_code == 302
    authorize = start["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(provider.issuer + "/oauth2/authorize")
    assert query["acr_values"] == ["LoA1"] and query["code_challenge_method"] == ["S256"]
    try:
        build_opener(_NoRedirect).open(authorize)
    except Exception as exc:  # the provider answers 302 back to our callback
        back = exc.headers["Location"]
    parts = urlsplit(back)
    return client.get(parts.path + "?" + parts.query)


def test_first_sign_in_creates_the_citizen_with_the_identity_from_the_claims(
    quang_ninh, client, national_sso
):
    assert "Đăng nhập bằng VNeID" in client.get("/accounts/login/").content.decode()
    national_sso.user = {
        "sub": "vneid-0001",
        "name": "Trần Thị Bình",
        "email": "binh.tran@example.vn",
        "so_dinh_danh": "022190000456",
        "ngay_sinh": "1990-05-04",
        "so_dien_thoai": "0987654321",
    }
    done = sign_in_through(national_sso, client)
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
    again = sign_in_through(national_sso, client)  # the same person signs in again
    assert again["Location"] == "/ho-so-cua-toi/"
    assert User.objects.filter(email="binh.tran@example.vn").count() == 1


def test_an_unusable_claim_does_not_block_the_sign_in(quang_ninh, client, national_sso):
    national_sso.user = {
        "sub": "vneid-0002",
        "name": "Phạm Văn Cường",
        "email": "cuong@example.vn",
        "so_dinh_danh": "12345",
    }
    done = sign_in_through(national_sso, client)
    assert done["Location"] == "/ho-so-cua-toi/"
    profile = CitizenProfile.objects.get(user__email="cuong@example.vn")
    assert profile.personal_id == "" and profile.identity_source == "national_sso"


def test_a_forged_callback_signs_nobody_in(quang_ninh, client, national_sso):
    national_sso.user = {"sub": "x", "name": "X", "email": "x@example.vn"}
    client.post("/accounts/oidc/vneid/login/")
    forged = client.get("/accounts/oidc/vneid/login/callback/?code=khong-co&state=sai")
    assert forged.status_code == 401 and "_auth_user_id" not in client.session
    assert not User.objects.filter(email="x@example.vn").exists()
