"""Biểu 06 on the staff page, in Excel, as a signed PDF and through the API: the same numbers
everywhere, for the units the caller leads, with clear errors for bad input."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from egov.accounts.models import Role, User
from egov.accounts.services import api_client_create
from egov.org.models import Unit
from egov.reports.tests.test_form06 import at, dossier
from egov.signing.tests.fixtures import pdfsig
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.django_db
PAGE = "/staff/bao-cao/bieu-06/"
# 15/02–14/03/2026 (March, NĐ 09/2019 cut-off).
MARCH = "?ky=month&nam=2026&so=3&quy_uoc=cutoff"


@pytest.fixture
def figures(quang_ninh, settings):
    """At the provincial centre: one online dossier resolved early, one at the counter still
    open and overdue; one carried over from February, resolved late. At Hồng Gai: one."""
    settings.EGOV_REQUIRE_STAFF_MFA = False
    centre = Unit.objects.get(key="qn.ttpvhcc")
    dossier(
        centre,
        channel="online",
        received=at(2026, 3, 2, 9),
        completed=at(2026, 3, 3, 9),
        due=at(2026, 3, 5, 17),
        outcome="early",
    )
    dossier(centre, received=at(2026, 3, 2, 9), due=at(2026, 3, 5, 17))
    dossier(
        centre,
        received=at(2026, 2, 10, 9),
        completed=at(2026, 2, 20, 9),
        due=at(2026, 2, 16, 17),
        outcome="late",
    )
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    dossier(centre, handling=ward, received=at(2026, 3, 2, 9), due=at(2026, 3, 20, 17))
    return centre, ward


def login(client, username):
    client.force_login(User.objects.get(username=username))


def test_a_centre_leader_sees_the_form_with_its_headers_and_numbers(client, figures):
    login(client, "tinh.lanhdaotrungtam")
    response = client.get(PAGE + MARCH)
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Biểu số 06/VPCP/KSTT",
        "Đơn vị báo cáo: Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh",
        "Kỳ báo cáo: từ ngày 15/02/2026 đến ngày 14/03/2026",
        "Số hồ sơ nhận giải quyết",
        "Số lượng hồ sơ đã giải quyết",
        "Số lượng hồ sơ đang giải quyết",
        "Trực tiếp, dịch vụ bưu chính",
        "Từ kỳ trước",
        'colspan="4"',
    ):
        assert text in page, text
    # The centre's own row (the ward's dossier was handed to the ward, outside the centre).
    total = page.split('data-testid="form06-total"')[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in total.split("<td>")[2:]] == [
        "3",
        "1",
        "1",
        "1",
        "2",
        "1",
        "0",
        "1",
        "1",
        "0",
        "1",
    ]


def test_the_province_sees_every_unit_rolled_up(client, figures):
    login(client, "tinh.quantri")
    page = client.get(PAGE + MARCH + "&don_vi=0").content.decode()
    total = page.split('data-testid="form06-total"')[1].split("</tr>")[0]
    assert "<td>4</td>" in total
    assert "Ủy ban nhân dân phường Hồng Gai" in page


def test_excel_has_the_form_layout_and_the_page_numbers(client, figures):
    login(client, "tinh.lanhdaotrungtam")
    response = client.get("/staff/bao-cao/bieu-06.xlsx" + MARCH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert sheet["A4"].value == "Kỳ báo cáo: từ ngày 15/02/2026 đến ngày 14/03/2026"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A7:A9", "B7:B9", "C7:F7", "G7:J7", "K7:M7", "C8:C9", "D8:E8", "F8:F9"} <= merged
    assert sheet["C7"].value == "Số hồ sơ nhận giải quyết"
    assert [sheet.cell(row=10, column=c).value for c in (1, 13)] == ["(1)", "(13)"]
    assert sheet.cell(row=11, column=2).value == "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh"
    total = [sheet.cell(row=12, column=c).value for c in range(2, 14)]
    assert total == ["Tổng cộng", 3, 1, 1, 1, 2, 1, 0, 1, 1, 0, 1]


def test_the_pdf_is_signed_by_the_reporting_unit(
    client, figures, signing_settings, nss_db, tmp_path
):
    login(client, "tinh.lanhdaotrungtam")
    response = client.get("/staff/bao-cao/bieu-06.pdf" + MARCH)
    assert response.status_code == 200
    verification = verify_pdf(response.content)
    assert verification.verdict == Verdict.VALID
    (signature,) = verification.signatures
    assert signature.field_name == "SigDonViBaoCao"
    path = tmp_path / "bieu-06.pdf"
    path.write_bytes(response.content)
    assert "Signature Validation: Signature is Valid." in pdfsig(path, nss_db)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?ky=month&nam=2026&so=13", "Tháng"),
        ("?ky=range&tu=2026-03-10&den=2026-03-01", "phải sau ngày bắt đầu"),
        ("?ky=range&tu=2026-02-30&den=2026-03-01", "Ngày không hợp lệ"),
        ("?ky=decade", "Loại kỳ báo cáo không hợp lệ"),
        ("?nhom=everything", "Cách nhóm số liệu không hợp lệ"),
    ],
)
def test_bad_choices_get_a_clear_message(client, figures, query, message):
    login(client, "tinh.lanhdaotrungtam")
    response = client.get(PAGE + query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_only_leaders_and_only_their_units(client, figures):
    _centre, ward = figures
    login(client, "tinh.tiepnhan")
    assert client.get(PAGE).status_code == 403
    login(client, "honggai.lanhdao")
    own = client.get(PAGE + MARCH).content.decode()
    assert "Đơn vị báo cáo: Ủy ban nhân dân phường Hồng Gai" in own
    province = Unit.objects.get(key="qn.ubnd")
    refused = client.get(PAGE + MARCH + f"&don_vi={province.pk}")
    assert refused.status_code == 400
    assert "Đơn vị không thuộc phạm vi của bạn." in refused.content.decode()
    # A leader at the provincial police (another root unit) reads its own subtree only.
    login(client, "congan.lanhdao")
    assert client.get(PAGE + MARCH + f"&don_vi={ward.pk}").status_code == 400


def api(client, key, query):
    return client.get("/api/v1/reports/dossiers" + query, HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def province_key(figures):
    province = Unit.objects.get(key="qn.ubnd")
    _row, key = api_client_create(
        actor=None, name="bao-cao-tinh", unit=province, role=Role.SYSTEM_ADMIN
    )
    return key


def test_api_gives_the_same_numbers_per_unit_and_field(client, figures, province_key):
    centre, _ward = figures
    body = api(client, province_key, f"?from=2026-02-15&to=2026-03-14&unit={centre.code}").json()
    assert body["start"] == "2026-02-15" and body["end"] == "2026-03-14"
    assert body["group"] == "unit_field"
    (row,) = body["rows"]
    assert (row["unit"], row["field"]) == (centre.code, "ho-kinh-doanh")
    expected = {
        "received_total": 3,
        "received_online": 1,
        "received_counter_post": 1,
        "carried_over": 1,
        "resolved_total": 2,
        "resolved_early": 1,
        "resolved_on_time": 0,
        "resolved_late": 1,
        "pending_total": 1,
        "pending_within_time": 0,
        "pending_overdue": 1,
    }
    assert {k: row[k] for k in expected} == expected
    assert body["total"] == expected
    whole = api(client, province_key, "?from=2026-02-15&to=2026-03-14&group=unit").json()
    assert whole["unit"] is None
    assert whole["total"]["received_total"] == 4
    assert [r["depth"] for r in whole["rows"]][:1] == [0]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("?from=2026-03-14&to=2026-02-15", 422, "invalid_report_period"),
        ("?from=2024-01-01&to=2026-03-14", 422, "invalid_report_period"),
        ("?from=2026-02-30&to=2026-03-14", 422, "invalid_input"),
        ("?to=2026-03-14", 422, "invalid_input"),
        ("?from=2026-02-15&to=2026-03-14&unit=999.99.99.H49", 404, "unit_not_found"),
        ("?from=2026-02-15&to=2026-03-14&group=all", 422, "invalid_input"),
    ],
)
def test_api_errors(client, province_key, query, status, code):
    response = api(client, province_key, query)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_api_refuses_units_outside_the_keys_account(client, figures):
    centre, ward = figures
    _row, key = api_client_create(
        actor=None, name="bao-cao-phuong", unit=ward, role=Role.DEPARTMENT_LEADER
    )
    refused = api(client, key, f"?from=2026-02-15&to=2026-03-14&unit={centre.code}")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    missing = api(client, key, "?from=2026-02-15&to=2026-03-14")
    assert (missing.status_code, missing.json()["error"]["code"]) == (422, "unit_required")
    own = api(client, key, f"?from=2026-02-15&to=2026-03-14&unit={ward.code}").json()
    assert own["total"]["pending_within_time"] == 1


def test_a_report_that_cannot_be_signed_is_not_handed_out(
    client, figures, signing_settings, settings
):
    settings.EGOV_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"
    login(client, "tinh.lanhdaotrungtam")
    response = client.get("/staff/bao-cao/bieu-06.pdf" + MARCH)
    assert response.status_code == 503
    assert "Chưa ký số được báo cáo" in response.content.decode()


def test_calendar_periods_and_free_ranges_on_the_page(client, figures):
    login(client, "tinh.lanhdaotrungtam")
    calendar = client.get(PAGE + "?ky=month&nam=2026&so=3&quy_uoc=calendar").content.decode()
    assert "Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026" in calendar
    free = client.get(PAGE + "?ky=range&tu=2026-03-02&den=2026-03-02").content.decode()
    assert "Kỳ báo cáo: từ ngày 02/03/2026 đến ngày 02/03/2026" in free
    quarter = client.get(PAGE + "?ky=quarter&nam=2026&so=1").content.decode()
    assert "Kỳ báo cáo: từ ngày 15/12/2025 đến ngày 14/03/2026" in quarter
