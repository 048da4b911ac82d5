import io
import re
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_citizen_finds_a_procedure_reads_fee_and_time_and_downloads_a_form(page, live_quang_ninh):
    base = live_quang_ninh.url
    page.goto(base + "/")
    page.get_by_label("Tìm thủ tục hành chính").fill("dang ky ho kinh doanh")
    page.get_by_role("button", name="Tìm kiếm").click()
    first = page.locator("ol.results li").first
    expect(first).to_contain_text("Đăng ký thành lập hộ kinh doanh")
    first.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký thành lập hộ kinh doanh")
    expect(page.get_by_test_id("channel-counter")).to_contain_text("3 ngày làm việc")
    expect(page.get_by_test_id("channel-counter")).to_contain_text("Lệ phí đăng ký hộ kinh doanh")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Giấy đề nghị đăng ký hộ kinh doanh")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    document = Document(io.BytesIO(Path(download.path()).read_bytes()))
    assert any("GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH" in p.text for p in document.paragraphs)

    # A rule-based fee with its worked example, reached by searching without diacritics.
    page.goto(base + "/thu-tuc/?q=chung+thuc+ban+sao")
    page.locator("ol.results li").first.get_by_role("link").click()
    expect(page.get_by_test_id("fee-example")).to_contain_text("Tổng 7.000 đ")
    expect(page.get_by_test_id("channel-counter")).to_contain_text("nhận sau 15:00")
