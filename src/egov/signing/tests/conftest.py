from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _signing(signing_settings: None) -> None:
    """Every signing test runs against the session's development PKI."""
