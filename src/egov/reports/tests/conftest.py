import pytest

from egov.reports.tests.service_index_data import march_dossiers


@pytest.fixture
def march(quang_ninh, settings):
    """Six dossiers received at the provincial centre in March 2026 (service_index_data),
    counted at the centre that received them (two were handed to the Sở Tư pháp: by default
    they count there, as test_service_index_units shows)."""
    settings.EGOV_REPORT_UNIT_BASIS = "receiving"
    return march_dossiers(settings)
