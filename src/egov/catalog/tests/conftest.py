import pytest


@pytest.fixture
def catalog(quang_ninh):
    """The seed catalog is loaded by the demo data; this names the dependency."""
    from egov.catalog.models import ProcedureVersion

    assert ProcedureVersion.objects.filter(status="published").count() >= 30
