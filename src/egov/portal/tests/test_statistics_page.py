"""The public statistics page /thong-ke/: exact ratios by month and by unit on the hand-built
province, no personal data, and the figures served from the shared cache."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from egov.ratings.models import Rating
from egov.reports.tests.dashboard_data import NOW, C, T, at, build_province, unit

pytestmark = pytest.mark.django_db
PAGE = "/thong-ke/"


def rate(dossier, overall, when):
    Rating.objects.create(
        dossier=dossier,
        unit=dossier.handling_unit or dossier.receiving_unit,
        criteria_version="tt01-2018",
        answers={"overall": str(overall)} if overall else {},
        overall=overall,
        created_at=when,
    )


@pytest.fixture
def province(quang_ninh):
    data = build_province()
    rate(data["r1"], 3, at(2026, 11, 20, 9))  # rất hài lòng
    rate(data["r3"], 1, at(2026, 12, 5, 9))  # không hài lòng
    rate(data["r2"], None, at(2026, 12, 1, 9))  # did not answer the overall question
    with time_machine.travel(NOW, tick=False):
        yield data


def row(html, testid, header):
    table = html.split(f'data-testid="{testid}"')[1].split("</table>")[0]
    found = table.split(f'<th scope="row">{header}</th>')[1].split("</tr>")[0]
    return [cell.split(">", 1)[1].split("<")[0] for cell in found.split("<td")[1:]]


def test_the_province_by_month(province, client):
    page = client.get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200
    # Month, resolved, early/on time, on-time ratio, received, online, online ratio, ratings,
    # satisfied, satisfaction ratio.
    assert row(html, "public-months", "11/2026") == [
        "2",
        "1",
        "50,0 %",
        "2",
        "1",
        "50,0 %",
        "1",
        "1",
        "100,0 %",
    ]
    assert row(html, "public-months", "12/2026") == [
        "1",
        "1",
        "100,0 %",
        "9",
        "3",
        "33,3 %",
        "1",
        "0",
        "0,0 %",
    ]
    # A month without data says so instead of 0 %.
    assert row(html, "public-months", "01/2026") == ["0", "0", "—", "0", "0", "—", "0", "0", "—"]
    assert html.count('role="img"') == 2 and html.count("<caption>") == 2


def test_the_units_over_twelve_months(province, client):
    html = client.get(PAGE).content.decode()
    assert row(html, "public-units", unit(T).name) == [
        "50,0 % (1/2)",  # r1 early, r2 late
        "28,6 % (2/7)",  # d1–d4, d7, r1, r2 received; d2 and r2 online
        "100,0 % (1/1)",
    ]
    assert row(html, "public-units", unit(C).name) == [
        "100,0 % (1/1)",
        "50,0 % (1/2)",
        "0,0 % (0/1)",
    ]
    assert row(html, "public-units", unit("qn.ttpvhcc").name) == [
        "— (0/0)",
        "0,0 % (0/1)",
        "— (0/0)",
    ]


def test_one_units_months(province, client):
    html = client.get(PAGE + "?don_vi=qn.so-tu-phap").content.decode()
    assert row(html, "public-months", "11/2026")[:6] == ["2", "1", "50,0 %", "2", "1", "50,0 %"]
    assert row(html, "public-months", "12/2026")[:6] == ["0", "0", "—", "5", "1", "20,0 %"]
    for key in ("khong-co", "%00"):
        missing = client.get(PAGE + "?don_vi=" + key)
        assert missing.status_code == 404
        assert "Không có số liệu của đơn vị này." in missing.content.decode()


def test_no_personal_data(province, client):
    html = client.get(PAGE).content.decode()
    assert "Nguyễn Văn An" not in html
    assert all(d.code not in html for d in province.values())
    assert "022084000123" not in html


def test_the_figures_come_from_the_shared_cache(province, client, settings):
    settings.EGOV_PUBLIC_STATISTICS_SECONDS = 600
    first = client.get(PAGE).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(PAGE).content.decode()
    assert not [q for q in queries if "dossiers_dossier" in q["sql"]]
    assert not [q for q in queries if "ratings_rating" in q["sql"]]
    assert row(second, "public-months", "12/2026") == row(first, "public-months", "12/2026")
    # Another worker reads the same cache: a new rating changes nothing until it expires…
    rate(province["d7"], 3, at(2026, 12, 30, 9))
    assert row(client.get(PAGE).content.decode(), "public-months", "12/2026")[6] == "1"
    # …after which the figures are computed again.
    with time_machine.travel(NOW + dt.timedelta(seconds=601), tick=False):
        fresh = client.get(PAGE).content.decode()
    assert row(fresh, "public-months", "12/2026")[6:] == ["2", "1", "50,0 %"]


def test_the_portal_menu_links_the_page(quang_ninh, client):
    assert f'href="{PAGE}"' in client.get("/").content.decode()


def test_the_page_in_english(province, client):
    client.cookies["django_language"] = "en"
    try:
        html = client.get(PAGE).content.decode()
    finally:
        translation.activate("vi")  # the request left English active in this thread
    assert "Statistics of administrative procedure handling" in html
    assert "On-time ratio" in html
