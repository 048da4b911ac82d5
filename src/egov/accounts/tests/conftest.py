"""Fixtures of the accounts tests: our OpenID provider simulator playing VNeID."""

import pytest
from django.core.cache import cache

from egov.accounts.tests.sso_support import BINH, CALLBACK, CLIENT_ID, CLIENT_SECRET, configure
from egov.contrib.vneid.simulator import OidcSimulator


@pytest.fixture
def national_sso(settings, db):
    cache.clear()
    settings.EGOV_SSO_SCOPES = ["openid", "profile", "email", "phone"]
    provider = OidcSimulator(CLIENT_ID, CLIENT_SECRET, [CALLBACK]).start()
    provider.user = dict(BINH)
    configure(settings, provider.issuer)
    yield provider
    provider.stop()
