"""The service index's staff pages and API: who may see them, what they show (the numbers of
test_service_index.py's March data set) and their errors."""

import re

import pytest
from django.urls import reverse
from tests.english_words import english_words

from egov.accounts.models import Role, User
from egov.accounts.services import api_client_create
from egov.org.models import Unit
from egov.reports.tests.service_index_data import centre

pytestmark = pytest.mark.django_db
API = "/api/v1/reports/service-index"


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False


def page(client, username, **query):
    client.force_login(User.objects.get(username=username))
    return client.get(reverse("workspace:service_index"), query)


def drill(client, username, **query):
    client.force_login(User.objects.get(username=username))
    return client.get(reverse("workspace:service_index_dossiers"), query)


def codes(response):
    return re.findall(r'href="/staff/ho-so/([^/"]+)/"', response.content.decode())


def test_a_centre_leader_sees_the_index_with_each_number(march, client):
    response = page(client, "tinh.lanhdaotrungtam", ky="2026-03", don_vi=centre().pk)
    assert response.status_code == 200
    text = response.content.decode()
    row = text[text.index('data-indicator="ON_TIME"') :]
    row = row[: row.index("</tr>")]
    # Numerator 4, denominator 6, 66.67 %, 13.33 of 20 points, linear.
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    numbers = [re.sub(r"<[^>]+>", "", c).strip() for c in cells[:5]]
    assert numbers == ["4", "6", "66,67 %", "13,33", "20"]
    assert "Tuyến tính" in row and "Theo cách tính quan sát được" in row
    assert "Chưa có dữ liệu" in text and "Chỉ hiển thị tỷ lệ" in text
    incomplete = text[text.index('data-testid="incomplete-groups"') :].split("</p>")[0]
    assert "Công khai, minh bạch" in incomplete and "Tiến độ" not in incomplete
    assert "38,08 điểm trên 64,00 điểm tính được" in text


def test_from_the_late_count_to_the_late_dossiers(march, client):
    response = page(client, "tinh.giamsat", ky="2026-03", don_vi=centre().pk)
    text = response.content.decode()
    row = text[text.index('data-indicator="ON_TIME"') :]
    late_url = re.search(r'href="([^"]*tap=chua_dat[^"]*)"', row).group(1).replace("&amp;", "&")
    late = client.get(late_url)
    assert late.status_code == 200
    assert codes(late) == [march["b"].code, march["d"].code]
    # Each dossier links to its staff page, which the supervisor may open.
    assert client.get(reverse("workspace:dossier", args=[march["b"].code])).status_code == 200
    unsigned = drill(
        client,
        "tinh.giamsat",
        ky="2026-03",
        don_vi=centre().pk,
        chi_so="ORIGINAL_RESULT_AVAILABLE",
        tap="chua_dat",
    )
    assert codes(unsigned) == [march["f"].code]
    assert english_words(unsigned.content.decode()) == []
    assert english_words(late.content.decode()) == []


def test_drill_down_pages_follow_the_next_link(march, client, monkeypatch):
    monkeypatch.setattr("egov.reports.service_index.PAGE_SIZE", 4)
    first = drill(
        client, "tinh.giamsat", ky="2026-03", don_vi=centre().pk, chi_so="ON_TIME", tap="mau_so"
    )
    next_url = re.search(r'href="([^"]+)" rel="next"', first.content.decode()).group(1)
    second = client.get(next_url.replace("&amp;", "&"))
    everyone = sorted(march.values(), key=lambda d: d.pk)
    assert codes(first) + codes(second) == [d.code for d in everyone]
    assert 'rel="next"' not in second.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"ky": "2026-13"}, "Tháng phải từ 1 đến 12."),
        ({"ky": "03/2026"}, "Kỳ không hợp lệ"),
        ({"ky": "2026-03", "don_vi": "abc"}, "Đơn vị phải là số nguyên."),
    ],
)
def test_bad_input_is_a_clear_error(quang_ninh, client, query, message):
    response = page(client, "tinh.lanhdaotrungtam", **query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_bad_drill_down_input_is_a_clear_error(quang_ninh, client):
    base = {"ky": "2026-03", "don_vi": centre().pk}
    unknown = drill(client, "tinh.giamsat", **base, chi_so="PUBLISH_ON_TIME", tap="tu_so")
    assert unknown.status_code == 400
    assert "Chỉ số này không có danh sách hồ sơ." in unknown.content.decode()
    no_part = drill(client, "tinh.giamsat", **base, chi_so="ON_TIME", tap="x")
    assert no_part.status_code == 400


def test_only_leaders_and_supervisors_of_the_unit(quang_ninh, client):
    assert page(client, "tinh.tiepnhan").status_code == 403
    assert page(client, "tinh.chuyenvien").status_code == 403
    other = Unit.objects.get(key="qn.x.ha-long.ubnd")
    assert page(client, "tinh.lanhdaotrungtam", don_vi=other.pk).status_code == 403
    assert page(client, "tinh.lanhdaotrungtam").status_code == 200
    # The provincial administrator reaches every unit.
    assert page(client, "tinh.quantri", don_vi=other.pk).status_code == 200


# --- API ------------------------------------------------------------------------------------


def key(role=Role.CENTRE_LEADER, unit="qn.ttpvhcc", scopes=None):
    _row, secret = api_client_create(
        actor=None,
        name=f"index-{role}-{unit}-{len(scopes or [])}",
        unit=Unit.objects.get(key=unit),
        role=role,
        scopes=scopes,
    )
    return secret


def get(client, secret, **query):
    return client.get(API, query, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_api_gives_groups_indicators_and_total(march, client):
    unit = centre()
    response = get(client, key(), period="2026-03", unit=unit.code)
    assert response.status_code == 200
    body = response.json()
    assert body["unit"] == {"code": unit.code, "name": unit.name}
    assert body["period"] == {
        "period": "2026-03",
        "first_day": "2026-03-01",
        "last_day": "2026-03-31",
    }
    indicators = {i["code"]: i for i in body["indicators"]}
    assert indicators["ON_TIME"] | {"source": "", "note": "", "name": ""} == {
        "code": "ON_TIME",
        "name": "",
        "group": "progress",
        "numerator": 4,
        "denominator": 6,
        "numerator_measure": "on_time",
        "denominator_measure": "received",
        "counted": "dossiers",
        "ratio": 0.6667,
        "points": 13.33,
        "max_points": 20.0,
        "rule": "linear",
        "threshold": None,
        "zero_denominator": "no_data",
        "status": "computed",
        "source": "",
        "confidence": "observed",
        "note": "",
    }
    assert indicators["REUSED_DIGITIZED_DATA"]["threshold"] == 0.8
    assert indicators["PUBLISH_ON_TIME"]["status"] == "no_data"
    assert indicators["PUBLISH_ON_TIME"]["points"] is None
    assert indicators["FULL_ONLINE_DOSSIERS"]["status"] == "ratio_only"
    assert body["total"] == {
        "points": 38.08,
        "computed_max_points": 64.0,
        "max_points": 100.0,
        "complete": False,
        "incomplete_groups": ["transparency", "digitisation", "online"],
    }
    groups = {g["code"]: g for g in body["groups"]}
    assert groups["online_payment"]["parent"] == "online"
    assert groups["progress"]["complete"] is True


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"period": "2026-13", "unit": "qn.ttpvhcc"}, 422, "invalid_index_period"),
        ({"period": "2021-05", "unit": "qn.ttpvhcc"}, 422, "invalid_index_period"),
        ({"period": "2026-03-01", "unit": "qn.ttpvhcc"}, 422, "invalid_input"),
        ({"period": "2026-03", "unit": "000.99.99.Z99"}, 404, "unit_not_found"),
        ({"period": "2026-03", "unit": "qn.x.ha-long.ubnd"}, 403, "unit_forbidden"),
        ({"unit": "qn.ttpvhcc"}, 422, "invalid_input"),
    ],
)
def test_api_errors(quang_ninh, client, query, status, code):
    response = get(client, key(), **query)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_the_api_needs_a_key_with_reports_read(quang_ninh, client):
    assert client.get(API, {"period": "2026-03", "unit": "qn.ttpvhcc"}).status_code == 401
    receptionist = key(Role.RECEPTIONIST)
    refused = get(client, receptionist, period="2026-03", unit="qn.ttpvhcc")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "insufficient_scope")
    # A key with the scope but no leader's role at the unit is refused too.
    scoped = key(Role.RECEPTIONIST, scopes=["reports.read"])
    refused = get(client, scoped, period="2026-03", unit="qn.ttpvhcc")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "unit_forbidden")
