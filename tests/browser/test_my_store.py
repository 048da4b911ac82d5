"""A citizen opens “Kho dữ liệu của tôi” (issue 16 §1): two papers — a scan checked against
the original at the desk and an issued e-result — filters them, opens one with its history
and downloads its signed file. axe-core checks every page (the ``page`` fixture)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_counter_journey import sign_out

pytestmark = pytest.mark.browser

PASSWORD = "Mat-khau-rat-manh-2026"


@pytest.fixture
def two_papers(live_quang_ninh):
    from egov.accounts.citizens import ProfileInput, citizen_profile_save
    from egov.accounts.models import User
    from egov.datastore.tests.factories import issued_result, owner, verified_scan
    from egov.dossiers.tests.helpers import user

    account = User.objects.create_user("an.kho", email="an.kho@example.vn")
    account.set_password(PASSWORD)
    account.save()
    citizen_profile_save(
        actor=account,
        user=account,
        data=ProfileInput(full_name="Nguyễn Văn An", personal_id="022084000123", address="Hạ Long"),
    )
    an = owner("022084000123", "Nguyễn Văn An", account=account)
    desk = user("tinh.tiepnhan")
    verified_scan(desk, code="SH-KHO-1", of=an, dossier_code="000.00.01.H49-261201-0001")
    issued_result(desk, code="KQ-KHO-1", of=an, title="Giấy chứng nhận đăng ký hộ kinh doanh")


def test_citizen_filters_opens_and_downloads_a_store_document(
    page, live_quang_ninh, two_papers, tmp_path
):
    base = live_quang_ninh.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill("an.kho@example.vn")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("navigation").get_by_role("link", name="Kho dữ liệu của tôi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kho dữ liệu của tôi")
    rows = page.get_by_test_id("store-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Giấy chứng nhận đăng ký hộ kinh doanh")
    expect(rows.nth(1)).to_contain_text("000.00.01.H49-261201-0001")
    expect(rows.nth(1)).to_contain_text("Chữ ký số hợp lệ của Trần Thị Bình.")

    # Filter by kind, then by a search without diacritics.
    page.get_by_label("Loại giấy tờ").select_option(label="Giấy khai sinh")
    page.get_by_role("button", name="Lọc").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Giấy khai sinh")
    page.get_by_role("link", name="Bỏ lọc").click()
    page.get_by_label("Tìm theo tên, số, cơ quan cấp").fill("ho kinh doanh")
    page.get_by_role("button", name="Lọc").click()
    expect(rows).to_have_count(1)

    # Open the scan: its history in plain words; download the signed file.
    page.get_by_role("link", name="Bỏ lọc").click()
    page.get_by_role("link", name="Giấy khai sinh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giấy khai sinh")
    expect(page.get_by_test_id("store-history")).to_contain_text(
        "Cán bộ đã đối chiếu với bản chính và ký số kết quả số hóa: có giá trị sử dụng."
    )
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Tải bản đã ký số (PDF)").click()
    saved = tmp_path / "ky-so.pdf"
    downloading.value.save_as(saved)
    assert downloading.value.suggested_filename == "SH-KHO-1-ky-so.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    sign_out(page)
