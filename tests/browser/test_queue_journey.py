"""The queue at the provincial centre (issue 17): a citizen takes a number at the kiosk, the
receptionist calls it, the display board (polling) shows it, and the receptionist starts a
counter reception from it with the form prefilled. axe checks the kiosk, the paper ticket,
the board and the counter screen on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser


def test_kiosk_ticket_called_on_the_board_and_received(page, live_quang_ninh, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    page.goto(f"{base}/xep-hang/qn.ttpvhcc/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lấy số thứ tự")
    page.get_by_text("Nhận số qua tin nhắn (không bắt buộc)").click()
    page.get_by_label("Họ và tên (để cán bộ điền sẵn vào hồ sơ)").fill("Nguyễn Văn An")
    page.get_by_label("Số điện thoại di động").fill("0912 345 678")
    page.get_by_test_id("line-A").click()
    expect(page.get_by_test_id("ticket-number")).to_have_text("A001")
    expect(page.get_by_test_id("ticket-ahead")).to_have_text("Trước ông/bà: 0 người")
    expect(page.get_by_role("img", name="Mã QR mở trang theo dõi lượt")).to_be_visible()

    # The board, opened before the call, shows it through its 2-second poll.
    page.goto(f"{base}/xep-hang/qn.ttpvhcc/man-hinh/")
    expect(page.get_by_test_id("board")).to_contain_text("Chưa gọi số nào.")
    board = page.context.new_page()
    board.goto(f"{base}/xep-hang/qn.ttpvhcc/man-hinh/")

    sign_in(page, base, "tinh.tiepnhan")
    page.goto(f"{base}/staff/quay/")
    page.get_by_test_id("open-counter-1").click()
    page.get_by_test_id("call-next").click()
    expect(page.get_by_test_id("counter-current")).to_have_text("A001")

    expect(board.get_by_test_id("board")).to_contain_text("A001", timeout=10_000)
    expect(board.locator(".board-latest .board-counter")).to_have_text("1")
    # The board's script saw the new call and has its announcement ready.
    expect(board.locator("#board-calls")).to_have_attribute(
        "data-announced", "Mời số A 0 0 1 đến quầy số 1"
    )
    board.close()

    page.get_by_test_id("reception-A001").click()
    expect(page.get_by_test_id("reception-ticket")).to_have_text(
        "Tiếp nhận từ số thứ tự A001 (Hộ tịch, chứng thực, lý lịch tư pháp)"
    )
    page.get_by_label("Chọn thủ tục (gõ tên hoặc mã, không cần dấu)").fill("khai sinh")
    page.get_by_role("button", name="Tìm").click()
    page.locator(".results a").first.click()
    expect(page.get_by_test_id("reception-ticket")).to_contain_text("A001")
    expect(page.locator('[name="applicant_name"]')).to_have_value("Nguyễn Văn An")
    expect(page.locator('[name="applicant_phone"]')).to_have_value("0912 345 678")
