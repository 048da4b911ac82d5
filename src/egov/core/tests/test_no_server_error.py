"""Issue 9 point 17, kept closed for every page: each URL of the project, with a NUL byte in
its text parameters, an id beyond any column and absurd query parameters, answers without a
server error — anonymously, as a receptionist, a centre leader and an administrator (on
PostgreSQL too, which refuses NUL in text: CI runs the suite on both databases)."""

import re

import pytest
from django.urls import URLResolver, get_resolver

from egov.accounts.models import User

pytestmark = pytest.mark.django_db

NUL_TEXT = "%00x"
HUGE_ID = "9" * 20
QUERY = "?q=%00&tu=9999-12-01&den=9999-12-31&ma=%00&trang=" + HUGE_ID + "&thu-tuc=%00&page=%00"


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route


def _urls():
    urls = set()
    for route in _routes(get_resolver().url_patterns):
        if route.startswith("^") or "(?P" in route:
            continue  # regex routes (static files, admin internals)
        route = re.sub(r"<int:[^>]+>", HUGE_ID, route)
        route = re.sub(r"<(?:str:|slug:|path:)?[^>]+>", NUL_TEXT, route)
        urls.add("/" + route)
    return sorted(urls)


@pytest.mark.parametrize("who", [None, "tinh.tiepnhan", "tinh.lanhdaotrungtam", "tinh.quantri"])
def test_no_url_answers_a_server_error_to_bad_parameters(quang_ninh, client, settings, who):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    if who:
        client.force_login(User.objects.get(username=who))
    failures = []
    for url in _urls():
        for query in ("", QUERY):
            response = client.get(url + query)
            if response.status_code >= 500:
                failures.append(f"{url + query}: {response.status_code}")
    assert not failures
