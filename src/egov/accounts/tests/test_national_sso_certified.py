"""The relying party against node-oidc-provider (an OpenID Certified provider, npm
``oidc-provider``, in tests/oidc_provider/), started on loopback by the tests: the happy path
and every refusal it can express (nonce, a code of another client, a replayed code, a tampered
state, acr LoA0 or missing, missing claims, scopes, RP-initiated logout). Misbehaviours it
cannot express (foreign keys, alg none, other subject, expiry) are in test_national_sso.py."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin

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
    SIGNED_OUT,
    authorize_query,
    authorize_url,
    callback,
    configure,
    failures,
    follow_to_callback,
    sign_in,
)

FOLDER = Path(__file__).resolve().parents[4] / "tests" / "oidc_provider"
SCOPES = {
    "profile": ["name", "so_dinh_danh", "ngay_sinh"],
    "email": ["email", "email_verified"],
    "phone": ["so_dien_thoai"],
}


def _unavailable(reason: str) -> None:
    if os.environ.get("EGOV_REQUIRE_BROWSER_TESTS") == "1":
        pytest.fail(f"the certified OpenID provider cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def node_provider_installed() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        _unavailable("node and npm are needed (install Node.js 20+)")
    marker = FOLDER / "node_modules" / "oidc-provider" / "package.json"
    with (FOLDER / ".npm-install.lock").open("w") as lock:  # two xdist workers
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            done = subprocess.run(
                [str(npm), "ci", "--no-audit", "--no-fund"],
                cwd=FOLDER,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if done.returncode != 0:
                _unavailable("npm ci failed in tests/oidc_provider: " + done.stderr[-2000:])
    return Path(str(node))


class CertifiedProvider:
    def __init__(self, node: Path, **env: Any) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.issuer = f"http://127.0.0.1:{port}"
        clients = [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [CALLBACK],
                "post_logout_redirect_uris": [SIGNED_OUT],
            },
            {
                "client_id": "ung-dung-khac",
                "client_secret": "bi-mat-khac-0123456789abcdef0123456789abcdef",
                "redirect_uris": [CALLBACK],
            },
        ]
        variables = {
            **os.environ,
            "OP_PORT": str(port),
            "OP_CLIENTS": json.dumps(clients),
            "OP_ACCOUNT": json.dumps(env.get("account", BINH)),
            "OP_SCOPE_CLAIMS": json.dumps(env.get("scopes", SCOPES)),
            "OP_END_SESSION": "1" if env.get("end_session", True) else "0",
        }
        if "acr" in env:
            variables["OP_ACR"] = env["acr"]
        self.process = subprocess.Popen(
            [str(node), "provider.mjs"],
            cwd=FOLDER,
            env=variables,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        ready = threading.Event()
        self.output: list[str] = []

        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.output.append(line)
                if line.startswith("listening"):
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        # Half a second when the machine is idle; once, with the whole suite, a browser and a
        # PostgreSQL run sharing the two cores, it had not got past its imports after 30 s.
        if not ready.wait(120):
            self.stop()
            raise AssertionError("oidc-provider did not start: " + "".join(self.output))

    def prompts(self) -> list[str]:
        return list(requests.get(self.issuer + "/test/prompts", timeout=5).json())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def start(node_provider_installed, settings) -> Iterator[Any]:
    started: list[CertifiedProvider] = []
    settings.EGOV_SSO_SCOPES = ["openid", "profile", "email", "phone"]

    def run(**env: Any) -> CertifiedProvider:
        cache.clear()
        provider = CertifiedProvider(node_provider_installed, **env)
        started.append(provider)
        configure(settings, provider.issuer)
        return provider

    yield run
    for provider in started:
        provider.stop()


def _refused(response: Any, reason: str) -> None:
    assert response.status_code == 400, response.content.decode()[:300]
    assert "_auth_user_id" not in response.wsgi_request.session
    assert failures()[-1] == reason


def test_sign_in_through_the_certified_provider(quang_ninh, client, start):
    provider = start()
    url = authorize_url(client)
    query = authorize_query(url)
    assert url.startswith(provider.issuer + "/auth?")
    assert query["acr_values"] == ["LoA1"] and len(query["nonce"][0]) >= 32
    done = callback(client, follow_to_callback(url))
    assert done.status_code == 302 and done["Location"] == "/ho-so-cua-toi/"
    profile = CitizenProfile.objects.select_related("user").get(user__email=BINH["email"])
    assert (profile.personal_id, str(profile.birth_date), profile.phone) == (
        "022190000456",
        "1990-05-04",
        "+84987654321",
    )
    assert profile.user.full_name == "Trần Thị Bình" and profile.identity_source == "national_sso"
    assert SocialAccount.objects.get(provider="vneid").uid == "vneid-0001"
    assert failures() == []


def test_the_server_url_may_end_with_a_slash(quang_ninh, client, start, settings):
    provider = start()
    configure(settings, provider.issuer + "/")
    assert sign_in(client)["Location"] == "/ho-so-cua-toi/"


@pytest.mark.parametrize("nonce", ["nonce-we-never-sent-0123456789", None])
def test_a_nonce_we_did_not_send_is_refused(quang_ninh, client, start, nonce):
    start()
    url = authorize_url(client)
    query = {k: v[0] for k, v in authorize_query(url).items() if k != "nonce"}
    if nonce:
        query["nonce"] = nonce
    tampered = url.split("?")[0] + "?" + urlencode(query)
    _refused(callback(client, follow_to_callback(tampered)), "nonce_mismatch")
    assert not User.objects.filter(email=BINH["email"]).exists()


def test_a_code_issued_to_another_client_is_refused(quang_ninh, client, start):
    start()
    url = authorize_url(client).replace("client_id=" + CLIENT_ID, "client_id=ung-dung-khac")
    _refused(callback(client, follow_to_callback(url)), "token_refused")


def test_a_replayed_callback_and_a_tampered_state_are_refused(quang_ninh, client, start):
    start()
    back = follow_to_callback(authorize_url(client))
    tampered = re.sub(r"state=[^&]+", "state=gia-mao", back)
    _refused(callback(client, tampered), "callback_invalid")
    assert callback(client, back)["Location"] == "/ho-so-cua-toi/"
    client.logout()
    _refused(callback(client, back), "callback_invalid")  # the state was used up


@pytest.mark.parametrize("acr", ["LoA0", ""])
def test_a_low_or_missing_assurance_level_is_refused(quang_ninh, client, start, acr):
    start(acr=acr)
    _refused(sign_in(client), "acr_insufficient")


def test_the_login_url_cannot_lower_the_assurance_level(quang_ninh, client, start):
    start()
    url = authorize_url(client, "?auth_params=acr_values%3DLoA0")
    assert authorize_query(url)["acr_values"] == ["LoA1"]


def test_missing_claims_are_refused(quang_ninh, client, start):
    start(account={k: v for k, v in BINH.items() if k != "so_dinh_danh"})
    response = sign_in(client)
    _refused(response, "claims_missing")
    assert "không cung cấp đủ họ tên và số định danh cá nhân" in response.content.decode()


def test_claims_in_a_provider_scope_need_that_scope(quang_ninh, client, start, settings):
    start(
        scopes={"profile": ["name", "ngay_sinh"], "email": ["email"], "cong_dan": ["so_dinh_danh"]}
    )
    settings.EGOV_SSO_SCOPES = ["openid", "profile", "email"]
    _refused(sign_in(client), "claims_missing")
    settings.EGOV_SSO_SCOPES = ["openid profile email cong_dan"]
    assert sign_in(client)["Location"] == "/ho-so-cua-toi/"
    assert CitizenProfile.objects.get(user__email=BINH["email"]).personal_id == "022190000456"


def test_an_existing_account_is_not_duplicated(quang_ninh, client, start):
    start()
    old = User.objects.create_user("binh-cu", email=BINH["email"], password="Mat-khau-cu-2026!")
    assert sign_in(client)["Location"] == "/accounts/oidc/vneid/lien-ket/"
    assert User.objects.filter(email__iexact=BINH["email"]).count() == 1
    done = client.post(
        "/accounts/oidc/vneid/lien-ket/",
        {"account": old.pk, "action": "password", "password": "Mat-khau-cu-2026!"},
    )
    assert done["Location"] == "/ho-so-cua-toi/"
    assert client.session["_auth_user_id"] == str(old.pk)


def test_sign_out_ends_the_session_at_the_provider(quang_ninh, client, start):
    provider = start()
    browser = requests.Session()
    sign_in(client, browser=browser)
    assert provider.prompts() == ["login", "consent"]
    response = client.post("/accounts/logout/")
    location = response["Location"]
    assert location.startswith(provider.issuer + "/session/end?")
    assert authorize_query(location)["post_logout_redirect_uri"] == [SIGNED_OUT]
    confirm = browser.get(location, timeout=5)
    assert confirm.status_code == 200
    form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', confirm.text, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    done = browser.post(
        urljoin(location, form.group(1)), data={**fields, "logout": "yes"}, allow_redirects=False
    )
    assert done.headers["Location"] == SIGNED_OUT
    # The next sign-in on this browser asks the provider's login again.
    sign_in(client, browser=browser)
    assert provider.prompts()[2] == "login"


def test_without_end_session_the_sign_out_page_says_so(quang_ninh, client, start):
    start(end_session=False)
    sign_in(client)
    page = client.post("/accounts/logout/", follow=True).content.decode()
    assert 'data-testid="sso-session-open"' in page
