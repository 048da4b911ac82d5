"""Issue 17 §6: a citizen without an account sends feedback on the portal; the support centre
routes it to Sở Tư pháp; a specialist drafts the answer, the leader approves it; the centre
publishes it (personal data masked); the citizen finds it, then rates it with the tracking
code and secret. axe checks every page on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser


def _as(page: Page, base: str, username: str | None) -> None:
    page.context.clear_cookies()
    if username:
        sign_in(page, base, username)


def test_feedback_from_the_portal_to_a_rated_published_answer(page, live_quang_ninh, settings):
    from egov.org.models import Unit

    settings.EGOV_REQUIRE_STAFF_MFA = False
    settings.EGOV_FEEDBACK_CENTRE = "qn.ttpvhcc"
    justice = Unit.objects.get(key="qn.so-tu-phap").name
    base = live_quang_ninh.url

    page.goto(base + "/phan-anh-kien-nghi/")
    page.get_by_role("link", name="Gửi phản ánh, kiến nghị").click()
    page.get_by_label("Loại").select_option(label="Phản ánh")
    page.get_by_label("Tiêu đề").fill("Một cửa đòi giấy xác nhận ngoài quy định")
    page.get_by_role("textbox", name=re.compile("^Nội dung")).fill(
        "Tôi là Lê Thị Hạnh, số điện thoại 0912 345 678. Khi chứng thực bản sao, tôi bị yêu cầu "
        "nộp thêm giấy xác nhận."
    )
    page.get_by_label("Họ và tên").fill("Lê Thị Hạnh")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label(re.compile("Tôi đồng ý công khai")).check()
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã tiếp nhận phản ánh, kiến nghị")
    code = page.get_by_test_id("feedback-code").inner_text().strip()
    secret = page.get_by_test_id("feedback-secret").inner_text().strip()

    _as(page, base, "tinh.tiepnhan")
    page.goto(f"{base}/staff/phan-anh/")
    page.get_by_role("link", name=code).click()
    route = page.get_by_test_id("route-form")
    route.get_by_label("Phân loại").select_option(value="conduct")
    route.get_by_label("Đơn vị xử lý").select_option(label=justice)
    route.get_by_role("button", name="Chuyển xử lý").click()
    expect(page.get_by_test_id("feedback-state")).to_have_text("Đang xử lý tại đơn vị")

    _as(page, base, "tinh.chuyenvien")
    page.goto(f"{base}/staff/phan-anh/{code}/")
    draft = page.get_by_test_id("draft-form")
    draft.get_by_label("Nội dung trả lời").fill(
        "Bà Hạnh không phải nộp giấy xác nhận; Sở đã nhắc nhở bộ phận một cửa."
    )
    draft.get_by_role("button", name="Trình lãnh đạo duyệt").click()
    expect(page.get_by_test_id("feedback-state")).to_have_text("Chờ lãnh đạo duyệt trả lời")

    _as(page, base, "tinh.lanhdaophong")
    page.goto(f"{base}/staff/phan-anh/{code}/")
    page.get_by_role("button", name="Duyệt và gửi trả lời").click()
    expect(page.get_by_test_id("feedback-state")).to_have_text("Đã trả lời")

    _as(page, base, "tinh.tiepnhan")
    page.goto(f"{base}/staff/phan-anh/{code}/")
    publish = page.get_by_test_id("publish-form")
    expect(publish.get_by_label("Nội dung công khai")).to_have_value(
        re.compile(r"Tôi là \[họ tên đã ẩn\], số điện thoại \[số điện thoại đã ẩn\]")
    )
    publish.get_by_role("button", name="Công khai").click()
    expect(page.get_by_test_id("feedback-state")).to_have_text("Đã trả lời và công khai")

    _as(page, base, None)
    page.goto(base + "/phan-anh-kien-nghi/")
    page.get_by_label(re.compile("Tìm trong câu trả lời")).fill("giay xac nhan")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_test_id("feedback-answers").get_by_role("link").first.click()
    answer = page.get_by_test_id("feedback-answer")
    expect(answer).to_contain_text("Bà [họ tên đã ẩn] không phải nộp giấy xác nhận")
    expect(answer).not_to_contain_text("Lê Thị Hạnh")
    expect(answer).not_to_contain_text("0912")

    page.goto(base + "/phan-anh-kien-nghi/theo-doi/")
    page.get_by_label("Mã theo dõi").fill(code)
    page.get_by_label("Mã bí mật").fill(secret)
    page.get_by_role("button", name="Theo dõi").click()
    expect(page.get_by_test_id("feedback-answer-text")).to_contain_text("Bà Hạnh không phải nộp")
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_test_id("feedback-rated")).to_have_text("Ông/bà đã đánh giá: Hài lòng")
