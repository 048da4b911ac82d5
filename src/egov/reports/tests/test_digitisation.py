"""Digitisation of dossiers and results and reuse of digitised data (issue 16 §7; index QĐ 766
group "Số hóa hồ sơ"): every figure per unit and period on a small set of dossiers with
hand-computed expectations (reports/tests/digitisation_data.py), the roll-up to the province,
the service index's indicators 4.1–4.3 scored from the same measures, and the drill-down."""

from decimal import Decimal

import pytest

from egov.org.models import Unit
from egov.reports.digitisation import (
    DigitisationCounts,
    digitisation_dossiers,
    digitisation_report,
)
from egov.reports.service_index import parse_index_period, service_index
from egov.reports.tests.digitisation_data import build_digitisation_world, department, ids
from egov.reports.tests.service_index_data import by_code, centre, numbers

pytestmark = pytest.mark.django_db
MARCH, APRIL = parse_index_period("2026-03"), parse_index_period("2026-04")


@pytest.fixture
def world(quang_ninh, settings):
    settings.EGOV_REPORT_UNIT_BASIS = "handling"
    province = Unit.objects.get(key="qn.ubnd")
    before = {
        period: digitisation_report(period=period, unit=province).total for period in (MARCH, APRIL)
    }
    return {"before": before, "province": province, "dossiers": build_digitisation_world()}


def figures(counts: DigitisationCounts):
    return {f.code: (f.numerator, f.denominator, f.ratio) for f in counts.figures()}


def row_of(report, unit):
    return next(r for r in report.rows if r.unit_id == unit.pk)


def test_centre_and_department_in_march(world):
    report = digitisation_report(period=MARCH, unit=world["province"])
    at_centre = row_of(report, centre()).counts
    # m1, m2 (a pending scan is still a file), m4 (online uploads), m8 of the five; m3 none.
    # Paper dossiers: m1 and m8 fully digitised (B of m8 only shown); m2, m3 not.
    assert figures(at_centre) == {
        "dossiers_digitised": (4, 5, Decimal("0.8000")),
        "counter_digitised": (2, 4, Decimal("0.5000")),
        "results_digitised": (0, 0, None),
        "reuse": (2, 5, Decimal("0.4000")),
    }
    # m1's B, and m4's B once although both its row and its file say reused.
    assert at_centre.reused_components == 2
    # Five checked scans at the centre's desk (m2's pending one does not count), including
    # those of the Sở's dossiers: the store counts the unit that digitised.
    assert at_centre.store_documents == {
        "scan": 5,
        "upload": 0,
        "result": 0,
        "certified_copy": 0,
    }
    at_department = row_of(report, department()).counts
    # m5 digitised and signed; m6 has files but an unsigned result; m7 no files.
    assert figures(at_department) == {
        "dossiers_digitised": (1, 3, Decimal("0.3333")),
        "counter_digitised": (2, 3, Decimal("0.6667")),
        "results_digitised": (2, 3, Decimal("0.6667")),
        "reuse": (0, 3, Decimal("0.0000")),
    }
    assert at_department.store_documents["result"] == 1
    assert at_department.reused_components == 0


def test_the_province_adds_up_its_units_each_dossier_once(world):
    for period, expected in (
        (
            MARCH,
            {
                "digitised": 5,
                "received": 8,
                "counter_digitised": 4,
                "counter_received": 7,
                "signed_result": 2,
                "with_result": 3,
                "reused": 2,
            },
        ),
        (
            APRIL,
            {
                "digitised": 1,
                "received": 1,
                "counter_digitised": 1,
                "counter_received": 1,
                "signed_result": 0,
                "with_result": 0,
                "reused": 1,
            },
        ),
    ):
        total = digitisation_report(period=period, unit=world["province"]).total
        before = world["before"][period]
        grown = {code: total.measures[code] - before.measures[code] for code in expected}
        assert grown == expected, period
    april = digitisation_report(period=APRIL, unit=world["province"])
    assert figures(row_of(april, centre()).counts)["reuse"] == (1, 1, Decimal("1.0000"))
    assert row_of(april, centre()).counts.reused_components == 1
    assert row_of(april, department()).counts.store_documents["certified_copy"] == 1
    # A unit's own report is its row of its parent's.
    alone = digitisation_report(period=MARCH, unit=centre())
    assert alone.rows[0].depth == 0
    assert figures(alone.total) == figures(
        row_of(digitisation_report(period=MARCH, unit=world["province"]), centre()).counts
    )


def test_service_index_scores_the_digitisation_group(world):
    got = by_code(service_index(unit=centre(), period=MARCH))
    # 4.2 linear: 4 × 0.8; 4.3 threshold 80 %: 2 × 0.4 / 0.8.
    assert numbers(got["DIGITISED_DOSSIERS"]) == (
        4,
        5,
        Decimal("0.8000"),
        Decimal("3.20"),
        "computed",
    )
    assert numbers(got["REUSED_DIGITIZED_DATA"]) == (
        2,
        5,
        Decimal("0.4000"),
        Decimal("1.00"),
        "computed",
    )
    assert numbers(got["ORIGINAL_RESULT_AVAILABLE"]) == (0, 0, None, None, "no_data")
    assert got["SYNCED_WITH_DVCQG_PERSONAL_STORAGE"].status == "no_data"
    sở = by_code(service_index(unit=department(), period=MARCH))
    # 4.1 linear: 6 × 2/3; 4.2: 4 × 1/3.
    assert numbers(sở["ORIGINAL_RESULT_AVAILABLE"]) == (
        2,
        3,
        Decimal("0.6667"),
        Decimal("4.00"),
        "computed",
    )
    assert numbers(sở["DIGITISED_DOSSIERS"])[3] == Decimal("1.33")
    april = by_code(service_index(unit=centre(), period=APRIL))
    # 100 % reuse: full marks; past the threshold nothing more.
    assert numbers(april["REUSED_DIGITIZED_DATA"])[3] == Decimal("2.00")


def test_drill_down_lists_exactly_the_dossiers_counted(world):
    dossiers = world["dossiers"]

    def listed(unit, figure, part):
        page = digitisation_dossiers(unit=unit, period=MARCH, figure=figure, part=part)
        return [d.pk for d in page.items]

    assert listed(centre(), "dossiers_digitised", "missing") == ids(dossiers, "m3")
    assert listed(centre(), "counter_digitised", "missing") == ids(dossiers, "m2", "m3")
    assert listed(centre(), "counter_digitised", "denominator") == ids(
        dossiers, "m1", "m2", "m3", "m8"
    )
    assert listed(centre(), "reuse", "numerator") == ids(dossiers, "m1", "m4")
    assert listed(department(), "results_digitised", "missing") == ids(dossiers, "m6")
    assert listed(department(), "dossiers_digitised", "numerator") == ids(dossiers, "m5")
    with pytest.raises(LookupError):
        digitisation_dossiers(unit=centre(), period=MARCH, figure="nope", part="numerator")


def test_a_revoked_result_no_longer_counts_but_its_issue_does(world):
    from egov.datastore.models import StoreDocument
    from egov.datastore.services import store_document_revoke
    from egov.dossiers.tests.helpers import user

    document = StoreDocument.objects.get(code="KQ-M7")
    store_document_revoke(actor=user("tinh.tiepnhan"), document=document, reason="Cấp nhầm")
    report = digitisation_report(period=MARCH, unit=department())
    assert figures(report.total)["results_digitised"] == (1, 3, Decimal("0.3333"))
    assert report.total.store_documents["result"] == 1


# --- API ------------------------------------------------------------------------------------

API = "/api/v1/reports/digitisation"


def _key(role, unit_key, scopes=None):
    from egov.accounts.services import api_client_create

    _row, secret = api_client_create(
        actor=None,
        name=f"digitisation-{role}-{unit_key}",
        unit=Unit.objects.get(key=unit_key),
        role=role,
        scopes=scopes,
    )
    return secret


def test_the_api_gives_each_unit_row(world, client):
    from egov.accounts.models import Role

    secret = _key(Role.DEPARTMENT_LEADER, "qn.so-tu-phap")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    response = client.get(API, {"period": "2026-03", "unit": department().code}, **auth)
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {
        "period": "2026-03",
        "first_day": "2026-03-01",
        "last_day": "2026-03-31",
    }
    assert body["unit_basis"] == "handling"
    [row] = body["rows"]
    assert (row["unit"], row["depth"]) == (department().code, 0)
    got = {
        f["code"]: (f["indicator"], f["numerator"], f["denominator"], f["ratio"])
        for f in row["figures"]
    }
    assert got == {
        "dossiers_digitised": ("SO_HOA_GIAY_TO_GIAI_QUYET", 1, 3, 0.3333),
        "counter_digitised": (None, 2, 3, 0.6667),
        "results_digitised": ("ORIGINAL_RESULT_AVAILABLE", 2, 3, 0.6667),
        "reuse": ("REUSED_DIGITIZED_DATA", 0, 3, 0.0),
    }
    assert row["store_documents"] == {
        "scan": 0,
        "upload": 0,
        "result": 1,
        "certified_copy": 0,
        "total": 1,
    }
    # The Sở's leader does not reach the centre; a bad period is a 422.
    refused = client.get(API, {"period": "2026-03", "unit": centre().code}, **auth)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "unit_forbidden")
    bad = client.get(API, {"period": "2026-13", "unit": department().code}, **auth)
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_index_period")
    missing = client.get(API, {"period": "2026-03", "unit": "khong-co"}, **auth)
    assert missing.status_code == 404
    assert client.get(API, {"period": "2026-03", "unit": centre().code}).status_code == 401


# --- staff pages ----------------------------------------------------------------------------


def _codes(response):
    import re

    return re.findall(r'href="/staff/ho-so/([^/"]+)/"', response.content.decode())


def test_the_staff_page_and_its_drill_down(world, client, settings):
    from django.urls import reverse

    from egov.accounts.models import User

    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossiers = world["dossiers"]
    client.force_login(User.objects.get(username="tinh.lanhdaotrungtam"))
    response = client.get(reverse("workspace:digitisation"), {"ky": "2026-03"})
    assert response.status_code == 200
    text = response.content.decode()
    row = text[text.index(f'data-unit="{centre().code}"') :].split("</tr>")[0]
    assert '<td class="number" data-figure="dossiers_digitised">' in row
    assert ">4</a> / <a" in row and "80,00 %" in row
    drill = client.get(
        reverse("workspace:digitisation_dossiers"),
        {"ky": "2026-03", "don_vi": centre().pk, "so_lieu": "counter_digitised", "tap": "chua_dat"},
    )
    assert drill.status_code == 200
    assert _codes(drill) == [dossiers["m2"].code, dossiers["m3"].code]
    bad = client.get(
        reverse("workspace:digitisation_dossiers"),
        {"ky": "2026-03", "don_vi": centre().pk, "so_lieu": "khac", "tap": "tu_so"},
    )
    assert bad.status_code == 400
    # A receptionist has no report role.
    client.force_login(User.objects.get(username="tinh.tiepnhan"))
    assert client.get(reverse("workspace:digitisation")).status_code == 403
