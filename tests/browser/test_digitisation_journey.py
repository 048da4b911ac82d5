"""Digitisation at reception (issue 16 §2; TT 01/2023/TT-VPCP Điều 8): the desk scans two
components with the counter reception, checks both against the originals and signs their
"kết quả số hóa"; the dossier page then says "Đã số hóa". axe checks every page on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from egov.core.tests.scan_samples import document_pdf, good_scan_png
from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser


def test_counter_scans_checked_against_originals_and_signed(
    page, live_quang_ninh, settings, signing_settings, tmp_path
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    scan_png = tmp_path / "to-khai.png"
    scan_png.write_bytes(good_scan_png())
    scan_pdf = tmp_path / "giay-to.pdf"
    scan_pdf.write_bytes(document_pdf())

    sign_in(page, base, "tinh.tiepnhan")
    page.goto(base + "/staff/tiep-nhan/?thu-tuc=qn-cap-phieu-ly-lich-tu-phap")
    page.get_by_label("Họ tên / tên tổ chức").fill("Phạm Thị Dung")
    page.get_by_label("Số định danh cá nhân", exact=True).fill("022190000321")
    rows = page.locator("tr", has=page.locator("input[type=file][name^=scan_]"))
    for index, scan in enumerate((scan_png, scan_pdf)):
        row = rows.nth(index)
        row.get_by_role("spinbutton").first.fill("1")  # the original was shown
        row.locator("input[type=file]").set_input_files(str(scan))
    page.get_by_role("button", name="Tiếp nhận và in Giấy tiếp nhận").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    code = page.get_by_role("heading", level=1).inner_text().removeprefix("Hồ sơ ").strip()
    expect(page.get_by_test_id("digitisation-status")).to_have_text("Đang số hóa")

    form = page.get_by_test_id("digitise-form")
    first = form.get_by_test_id(f"pending-{code}-SH1")
    first.get_by_label("Số, ký hiệu").fill("01/TK")
    first.get_by_label("Ngày cấp").fill("2026-01-05")
    form.get_by_test_id("digitise-all").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Đã ký số kết quả số hóa: {code}-SH1, {code}-SH2."
    )
    expect(page.get_by_test_id("digitisation-status")).to_have_text("Đã số hóa")
    documents = page.get_by_test_id("store-documents")
    expect(documents.get_by_role("row")).to_have_count(3)
    expect(documents).to_contain_text(re.compile(r"Có giá trị sử dụng.*Có giá trị sử dụng", re.S))
    expect(documents).to_contain_text("01/TK")
    expect(page.get_by_test_id("timeline")).to_contain_text("Đối chiếu bản chính, số hóa")
