import pytest

from egov.reports.tests.service_index_data import march_dossiers


@pytest.fixture
def march(quang_ninh, settings):
    """Six dossiers received at the provincial centre in March 2026 (service_index_data)."""
    return march_dossiers(settings)
