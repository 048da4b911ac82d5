"""The service index and Biểu 06 give a unit the same dossiers: by default the unit handling a
dossier (the receiving desk until the hand-off), the unit the national sync names."""

from __future__ import annotations

import pytest

from egov.org.models import Unit
from egov.reports.form06 import form06_report
from egov.reports.service_index import measure_counts, parse_index_period
from egov.reports.tests.service_index_data import centre, march_dossiers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("basis", "at_centre", "at_department"), [("handling", 4, 2), ("receiving", 6, 0)]
)
def test_both_reports_count_a_dossier_in_the_same_unit(
    quang_ninh, settings, basis, at_centre, at_department
):
    march_dossiers(settings)  # six received at the centre; two of them handed to the Sở
    settings.EGOV_REPORT_UNIT_BASIS = basis
    period = parse_index_period("2026-03")
    department = Unit.objects.get(key="qn.so-tu-phap")
    for unit, expected in ((centre(), at_centre), (department, at_department)):
        received = measure_counts(unit, period, {"received"})["received"]
        form06 = form06_report(period=period, unit=unit).total
        assert received == expected == form06.online + form06.counter_post, unit
