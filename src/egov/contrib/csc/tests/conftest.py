from __future__ import annotations

import pytest

from egov.contrib.csc.simulator import CredentialMaterial, credential_material


@pytest.fixture(scope="module")
def material() -> CredentialMaterial:
    """The signer's key and certificate at the simulated service (a throwaway root CA)."""
    return credential_material(common_name="Nguyễn Văn Dũng")
