"""The support centre (issue 17 §7): the hotline operator searches the knowledge base without
diacritics while on a call, picks the question used and logs the call with a follow-up; a
citizen finds the same question on the procedure's page. axe-core checks every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser


def test_operator_answers_from_the_knowledge_base_and_logs_the_call(
    page, live_quang_ninh, settings
):
    from egov.helpdesk.models import HotlineCall

    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    sign_in(page, base, "tinh.tongdaivien")
    page.get_by_role("link", name="Tổng đài hỗ trợ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng đài hỗ trợ")

    # The caller asks about the fee of registering temporary residence.
    form = page.get_by_test_id("call-form")
    form.get_by_label("Họ tên người gọi").fill("Nguyễn Thị Hoa")
    form.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Từ khóa (gõ không dấu cũng được)").fill("le phi dang ky tam tru")
    page.get_by_role("button", name="Tìm", exact=True).click()
    found = page.get_by_test_id("kb-results")
    expect(found).to_contain_text("Lệ phí đăng ký tạm trú là bao nhiêu?")
    found.get_by_text("Câu trả lời").first.click()
    expect(found).to_contain_text("Nộp trực tuyến: 7.000 đồng")
    found.get_by_label(re.compile("Lệ phí đăng ký tạm trú")).check()
    # A second search keeps the typed call and the question already chosen.
    page.get_by_label("Từ khóa (gõ không dấu cũng được)").fill("tach ho")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.get_by_test_id("kb-chosen")).to_contain_text("Lệ phí đăng ký tạm trú")
    expect(page.get_by_test_id("kb-results")).to_contain_text("Tách hộ có mất phí không")
    expect(form.get_by_label("Họ tên người gọi")).to_have_value("Nguyễn Thị Hoa")

    form.get_by_label("Nội dung hỏi").fill("Hỏi lệ phí đăng ký tạm trú")
    form.get_by_label("Nội dung đã trả lời").fill(
        "15.000 đồng nộp trực tiếp, 7.000 đồng nộp trực tuyến."
    )
    form.get_by_label(re.compile(r"^Cần xử lý tiếp")).check()
    form.get_by_label("Việc cần làm tiếp").fill("Gửi đường dẫn nộp trực tuyến qua SMS")
    form.get_by_role("button", name="Lưu cuộc gọi").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi cuộc gọi số")
    expect(page.get_by_test_id("calls")).to_contain_text("Hỏi lệ phí đăng ký tạm trú")
    follow_ups = page.get_by_test_id("follow-ups")
    expect(follow_ups).to_contain_text("Gửi đường dẫn nộp trực tuyến qua SMS")

    call = HotlineCall.objects.get()
    assert [q.question[:22] for q in call.questions.all()] == ["Lệ phí đăng ký tạm trú"]
    assert call.caller_phone == "0912345678"

    # The follow-up is done from the call's page.
    follow_ups.get_by_role("link").click()
    page.get_by_label("Kết quả xử lý tiếp").fill("Đã gửi SMS")
    page.get_by_role("button", name="Đã xử lý xong").click()
    expect(page.get_by_test_id("follow-up-state")).to_contain_text("Đã xong lúc")


def test_citizen_finds_the_question_on_the_procedure_page(page, live_quang_ninh):
    base = live_quang_ninh.url
    page.goto(base + "/thu-tuc/1.000894/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký kết hôn")
    block = page.get_by_test_id("procedure-faq")
    expect(block.get_by_role("heading")).to_have_text("Câu hỏi thường gặp")
    block.get_by_role("link", name=re.compile("mất lệ phí")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đăng ký kết hôn có mất lệ phí")
    expect(page.get_by_test_id("faq-answer")).to_contain_text("miễn lệ phí")
    # The knowledge base, searched without diacritics.
    page.get_by_role("link", name="Hỏi đáp", exact=True).first.click()
    page.get_by_label("Tìm câu hỏi").fill("dang ky ket hon")
    page.get_by_role("button", name="Tìm kiếm").click()
    results = page.get_by_test_id("faq-results")
    expect(results.locator("li")).to_have_count(2)
    expect(results).to_contain_text("Đi đăng ký kết hôn cần mang theo những giấy tờ gì?")
