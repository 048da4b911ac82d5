"""What the national SSO tests share, whichever provider plays VNeID (our simulator or the
certified node-oidc-provider): configuring the relying party, walking a browser's redirects
from our login view to our callback, and reading the audited failures."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from egov.audit.models import AuditEntry

CALLBACK = "http://testserver/accounts/oidc/vneid/login/callback/"
SIGNED_OUT = "http://testserver/accounts/oidc/vneid/da-dang-xuat/"
CLIENT_ID = "egov-qn"
CLIENT_SECRET = "bi-mat-sso-0123456789abcdef0123456789abcdef"
# The citizen whom the providers sign in, unless a test says otherwise.
BINH = {
    "sub": "vneid-0001",
    "name": "Trần Thị Bình",
    "email": "binh.tran@example.vn",
    "so_dinh_danh": "022190000456",
    "ngay_sinh": "1990-05-04",
    "so_dien_thoai": "0987654321",
}


def configure(settings: Any, server_url: str) -> None:
    from egov import settings as egov_settings

    settings.SOCIALACCOUNT_PROVIDERS = egov_settings.sso_providers(
        server_url, CLIENT_ID, CLIENT_SECRET, "VNeID"
    )


def authorize_url(client: Any, query: str = "") -> str:
    start = client.post("/accounts/oidc/vneid/login/" + query)
    assert start.status_code == 302, start.content.decode()[:500]
    return str(start["Location"])


def authorize_query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def follow_to_callback(url: str, browser: requests.Session | None = None) -> str:
    """The provider's redirects as a browser follows them, up to our callback."""
    browser = browser or requests.Session()
    for _ in range(10):
        answer = browser.get(url, allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 303), (answer.status_code, answer.text[:500])
        url = urljoin(url, answer.headers["Location"])
        if url.startswith(CALLBACK):
            return url
    raise AssertionError("the provider never sent the browser back")


def callback(client: Any, url: str) -> Any:
    parts = urlsplit(url)
    return client.get(parts.path + "?" + parts.query)


def sign_in(client: Any, query: str = "", browser: requests.Session | None = None) -> Any:
    return callback(client, follow_to_callback(authorize_url(client, query), browser))


def failures() -> list[str]:
    return [
        str(entry.details.get("reason"))
        for entry in AuditEntry.objects.filter(action="accounts.sso_failed").order_by("sequence")
    ]
