"""Who is calling, behind N trusted reverse proxies (egov/core/clientip.py): each proxy appends
the address it got the request from to X-Forwarded-For, so the N-th entry from the right is the
one our outermost proxy wrote; everything left of it is the client's own words."""

import pytest
from django.test import Client, RequestFactory

from egov.audit.models import AuditEntry
from egov.core.clientip import client_ip, normalise_ip


def _request(remote="10.0.0.2", forwarded=None):
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # No trusted proxy: the header is ignored, whatever it says.
        (0, None, "10.0.0.2"),
        (0, "198.51.100.7", "10.0.0.2"),
        # One proxy: the last hop, not a forged one the client put in front of it.
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.66,198.51.100.7 ", "198.51.100.7"),
        # Two proxies (a load balancer in front of the web server): second from the right.
        (2, "203.0.113.66, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        # Fewer hops than proxies (a request that skipped the outer proxy): the peer address.
        (2, "198.51.100.7", "10.0.0.2"),
        # A trusted proxy but no header: the peer address.
        (1, None, "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, " , ", "10.0.0.2"),
        # IPv6 in the canonical form the database returns.
        (1, "2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        # Whatever the proxy wrote that is not an address: unknown, never the raw text.
        (1, "unknown", None),
        (1, "198.51.100.7; DROP TABLE", None),
    ],
)
def test_client_ip_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.EGOV_TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(forwarded=forwarded)) == expected


def test_no_request_no_address():
    assert client_ip(None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.0.0.1", "10.0.0.1"),
        (" 10.0.0.1 ", "10.0.0.1"),
        ("::ffff:10.0.0.1", "::ffff:10.0.0.1"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("10.0.0.256", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_ip(value, expected):
    assert normalise_ip(value) == expected


@pytest.mark.django_db
def test_the_audit_trail_records_the_citizens_address_not_the_proxys(quang_ninh, settings):
    settings.EGOV_TRUSTED_PROXY_COUNT = 1
    browser = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7")
    browser.post("/accounts/login/", {"login": "tinh.tiepnhan", "password": "sai"})
    failed = AuditEntry.objects.filter(action="auth.login_failed").latest("sequence")
    assert failed.ip_address == "198.51.100.7"
