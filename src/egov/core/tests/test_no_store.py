"""Answers that may carry personal data are never stored by a cache or the browser; public
pages stay cacheable."""

import pytest

from egov.accounts.models import User
from egov.dossiers.tests.test_staff_api import make_key

pytestmark = pytest.mark.django_db


def test_public_pages_stay_cacheable(quang_ninh, client):
    assert client.get("/thu-tuc/").get("Cache-Control") is None
    assert client.get("/api/v1/procedures").get("Cache-Control") is None


def test_the_lookup_and_its_api_are_not_stored(quang_ninh, client):
    for url in ("/tra-cuu-ho-so/?ma=000.00.89.H49-260101-0001", "/api/v1/public/dossiers/x"):
        assert client.get(url)["Cache-Control"] == "private, no-store", url


def test_the_staff_api_is_not_stored(quang_ninh, client):
    key = make_key()
    answer = client.get("/api/v1/staff/dossiers", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert (answer.status_code, answer["Cache-Control"]) == (200, "private, no-store")


def test_a_signed_in_persons_pages_are_not_stored(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(User.objects.get(username="tinh.tiepnhan"))
    for url in ("/staff/", "/thu-tuc/"):
        answer = client.get(url)
        assert (answer.status_code, answer["Cache-Control"]) == (200, "private, no-store"), url
