"""The national portal's simulator on loopback, and egov configured to talk to it."""

from __future__ import annotations

import pytest

from egov.contrib.dvcqg.simulator import DvcqgSimulator


@pytest.fixture
def dvcqg(settings):
    simulator = DvcqgSimulator(username="qn-egov", password="bi-mat-mo-phong").start()
    settings.EGOV_NATIONAL_SYNC_ENABLED = True
    settings.EGOV_NATIONAL_PORTAL_URL = f"{simulator.base_url}/dvcqg"
    settings.EGOV_NATIONAL_CLIENT_ID = "qn-egov"
    settings.EGOV_NATIONAL_CLIENT_SECRET = "bi-mat-mo-phong"
    settings.EGOV_NATIONAL_UNIT_CODE = simulator.unit_code
    settings.EGOV_NATIONAL_TIMEOUT_SECONDS = 5
    yield simulator
    simulator.stop()
