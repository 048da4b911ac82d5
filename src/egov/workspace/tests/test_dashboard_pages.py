"""The dashboard pages: each role's dashboard, numbers that link to exactly the dossiers they
count, every chart with its table, and bad input answered with a message."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine

from egov.dossiers.tests.helpers import user
from egov.reports.tests.dashboard_data import NOW, C, T, build_province, unit

pytestmark = pytest.mark.django_db
PAGE = "/staff/bang-dieu-khien/"
LIST = "/staff/bang-dieu-khien/ho-so/"


@pytest.fixture
def province(quang_ninh, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    data = build_province()
    with time_machine.travel(NOW, tick=False):
        yield data


def signed_in(client, username):
    client.force_login(user(username))
    return client


def listed_codes(html):
    table = html.split('data-testid="drill-down"')[1].split("</table>")[0]
    return sorted(re.findall(r'<th scope="row"><a href="/staff/ho-so/([^/]+)/">', table))


def test_the_leader_drills_down_from_an_overdue_count(province, client):
    page = signed_in(client, "tinh.lanhdaophong").get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đơn vị tôi phụ trách" in html
    # The unit table: the Sở Tư pháp, 1 overdue and 1 due soon, each a link.
    table = html.split('data-testid="by-unit"')[1].split("</table>")[0]
    assert unit(C).name not in html  # never another unit's numbers
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">(\d+)</a>', table)
    assert [(label, text) for _url, label, text in links] == [
        (f"1 hồ sơ quá hạn — {unit(T).name}", "1"),
        (f"1 hồ sơ sắp đến hạn — {unit(T).name}", "1"),
    ]
    overdue_url = links[0][0].replace("&amp;", "&")
    assert parse_qs(urlsplit(overdue_url).query)["so"] == ["overdue"]
    listing = client.get(overdue_url)
    assert listing.status_code == 200
    assert listed_codes(listing.content.decode()) == [province["d1"].code]
    due_soon = client.get(links[1][0].replace("&amp;", "&"))
    assert listed_codes(due_soon.content.decode()) == [province["d2"].code]


def test_every_number_of_the_province_dashboard_opens_its_dossiers(province, client):
    html = signed_in(client, "tinh.quantri").get(PAGE).content.decode()
    links = re.findall(
        r'<a href="(/staff/bang-dieu-khien/ho-so/[^"]+)"[^>]*>(?:<strong[^>]*>)?(\d+)', html
    )
    assert len(links) > 20
    for url, number in links:
        listing = client.get(url.replace("&amp;", "&"))
        assert listing.status_code == 200, url
        assert len(listed_codes(listing.content.decode())) == int(number), url


def test_every_chart_has_a_table_with_headers(province, client):
    html = signed_in(client, "tinh.quantri").get(PAGE).content.decode()
    charts = html.count('role="img"')
    assert charts == 5  # status, units, on-time line, online and payment ratios
    assert html.count("<caption>") == 4  # the two ratios share the monthly table
    assert 'scope="col"' in html and 'scope="row"' in html
    assert html.count("<title id=") == charts and html.count("<desc id=") == charts
    assert "12 tháng" in html
    # 4/11 online over the 12 months, 1 of 2 with a fee paid online.
    assert "36,4 % (4/11)" in html
    assert "50,0 % (1/2)" in html


def test_the_menu_shows_the_dashboard_to_leaders_only(province, client):
    assert (
        'href="/staff/bang-dieu-khien/"'
        in signed_in(client, "tinh.lanhdaotrungtam").get("/staff/").content.decode()
    )
    other = signed_in(client, "tinh.tiepnhan")
    assert 'href="/staff/bang-dieu-khien/"' not in other.get("/staff/").content.decode()
    assert other.get(PAGE).status_code == 403
    assert other.get(LIST + "?so=overdue").status_code == 403


def test_a_leader_cannot_open_a_dashboard_he_does_not_have(province, client):
    leader = signed_in(client, "tinh.lanhdaophong")
    response = leader.get(PAGE + "?bang=province")
    assert response.status_code == 400
    assert "Bạn không có bảng điều khiển này." in response.content.decode()
    response = leader.get(LIST + f"?bang=province&so=overdue&don_vi={unit(C).pk}")
    assert response.status_code == 400
    # His own dashboard with the police's unit: nothing listed.
    response = leader.get(LIST + f"?bang=unit&so=overdue&don_vi={unit(C).pk}")
    assert listed_codes(response.content.decode()) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("so=nothing", "Chỉ tiêu không hợp lệ."),
        ("so=resolved", "Cần chọn tháng hợp lệ (YYYY-MM)."),
        ("so=resolved&thang=2026-13", "Cần chọn tháng hợp lệ (YYYY-MM)."),
        ("so=resolved&thang=abc", "Cần chọn tháng hợp lệ (YYYY-MM)."),
        ("so=overdue&don_vi=x1", "Đơn vị không hợp lệ."),
        ("so=open&trang_thai=returned", "Chỉ tiêu không hợp lệ."),
        ("so=overdue&trang_thai=processing", "Chỉ lọc theo tình trạng"),
        ("so=overdue&sau=-1", "Liên kết trang không hợp lệ."),
        ("so=overdue&sau=" + "9" * 19, "Liên kết trang không hợp lệ."),
        ("so=overdue&don_vi=%00", "Đơn vị không hợp lệ."),
        ("so=open&trang_thai=%00", "Chỉ tiêu không hợp lệ."),
        ("bang=%00", "Bạn không có bảng điều khiển này."),
        ("so=%00", "Chỉ tiêu không hợp lệ."),
    ],
)
def test_bad_drill_down_input_gets_a_message(province, client, query, message):
    response = signed_in(client, "tinh.quantri").get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_drill_down_pages_by_keyset(province, client, monkeypatch):
    monkeypatch.setattr("egov.reports.dashboard.DRILL_PAGE", 2)
    leader = signed_in(client, "tinh.quantri")
    first = leader.get(LIST + "?so=open&bang=province").content.decode()
    shown = listed_codes(first)
    pages = [shown]
    while 'rel="next"' in first:
        next_url = re.search(r'<a href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
        first = leader.get(LIST + next_url).content.decode()
        pages.append(listed_codes(first))
    assert [len(p) for p in pages] == [2, 2, 2, 2]
    everything = sorted(code for page in pages for code in page)
    open_ = ("d1", "d2", "d3", "d4", "d5", "d6", "d7", "h1")
    assert everything == sorted(province[k].code for k in open_)
