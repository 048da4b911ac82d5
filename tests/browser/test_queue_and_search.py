"""Issue 13: the work queue in pages with a count and a name search without diacritics; the
catalog search says when no procedure holds every word."""

import re

import pytest
from playwright.sync_api import expect

from egov.dossiers.services.reception import Applicant, dossier_receive
from egov.dossiers.tests.helpers import reception, user
from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser

BINH = Applicant(kind="citizen", name="Trần Thị Bình", personal_id="022084000456")


def test_officer_pages_through_the_queue_and_finds_binh(page, live_quang_ninh, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    receptionist = user("tinh.tiepnhan")
    for index in range(54):
        dossier_receive(
            actor=receptionist,
            reception=reception("2.000884", **({"applicant": BINH} if index == 53 else {})),
        )
    sign_in(page, base, "tinh.tiepnhan")
    page.goto(base + "/staff/ho-so/")
    expect(page.get_by_test_id("queue-count")).to_have_text("54 hồ sơ · đang hiện 1–50")
    expect(page.get_by_test_id("queue").locator("tbody tr")).to_have_count(50)
    page.get_by_role("link", name="Trang sau →").click()
    expect(page.get_by_test_id("queue-count")).to_have_text("54 hồ sơ · đang hiện 51–54")
    expect(page.get_by_test_id("queue").locator("tbody tr")).to_have_count(4)
    expect(page.get_by_test_id("queue")).to_contain_text("Trần Thị Bình")
    expect(page.get_by_role("link", name="Trang sau →")).to_have_count(0)
    page.get_by_role("link", name="← Trang đầu").click()
    expect(page.get_by_test_id("queue-count")).to_have_text("54 hồ sơ · đang hiện 1–50")

    page.get_by_label("Tìm theo mã hồ sơ, tên người nộp hoặc số định danh").fill("binh")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.get_by_test_id("queue-count")).to_have_text("1 hồ sơ · đang hiện 1–1")
    expect(page.get_by_test_id("queue").locator("tbody tr")).to_contain_text("Trần Thị Bình")


def test_citizen_searching_ho_chieu_is_told_nothing_matches(page, live_quang_ninh):
    base = live_quang_ninh.url
    page.goto(base + "/thu-tuc/?q=ho+chieu")
    expect(page.get_by_test_id("no-match")).to_contain_text(
        "Không có thủ tục nào khớp với “ho chieu”."
    )
    expect(page.locator("ol.results li")).to_have_count(0)
    page.goto(base + "/thu-tuc/?q=dang+ky+khai+sinh")
    expect(page.get_by_test_id("result-count")).to_have_text(
        re.compile(r"^3 thủ tục khớp với “dang ky khai sinh”$")
    )
    expect(page.locator("ol.results li").first).to_contain_text("Đăng ký khai sinh")
