import re

import pytest
from playwright.sync_api import expect

from egov.demo.accounts import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Tên đăng nhập hoặc thư điện tử").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def act(page, base, username, code, button, reason=None):
    sign_in(page, base, username)
    page.goto(f"{base}/staff/ho-so/{code}/")
    form = page.locator("form.action-form", has=page.get_by_role("button", name=button))
    if reason:
        form.get_by_label("Lý do").fill(reason)
    form.get_by_role("button", name=button).click()
    expect(page.locator(".messages")).to_contain_text("Đã thực hiện")
    sign_out(page)


def test_counter_journey_from_reception_to_citizen_lookup(page, live_quang_ninh, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    # The receptionist receives a judicial-record request and prints the receipt.
    sign_in(page, base, "tinh.tiepnhan")
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()
    page.get_by_label(re.compile("Chọn thủ tục")).fill("ly lich tu phap")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name=re.compile("Cấp Phiếu lý lịch tư pháp")).click()
    page.get_by_label("Họ tên / tên tổ chức").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân", exact=True).fill("022084000123")
    page.get_by_label("Điện thoại").fill("0912 345 678")
    page.get_by_role("button", name="Tiếp nhận và in Giấy tiếp nhận").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    code = page.get_by_role("heading", level=1).inner_text().removeprefix("Hồ sơ ").strip()
    receipt = page.request.get(f"{base}/staff/ho-so/{code}/giay-tiep-nhan.pdf")
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    page.locator(
        "form.action-form",
        has=page.get_by_role("button", name="Chuyển hồ sơ đến cơ quan giải quyết"),
    ).get_by_role("button").click()
    expect(page.get_by_test_id("status")).to_have_text("Đang xử lý")
    sign_out(page)

    act(page, base, "tinh.chuyenvien", code, "Thẩm định xong, trình lãnh đạo")
    act(page, base, "tinh.lanhdaophong", code, "Phê duyệt kết quả")
    act(page, base, "tinh.tiepnhan", code, "Trả kết quả")

    # The citizen looks the code up on the portal.
    page.goto(base + "/tra-cuu-ho-so/")
    page.get_by_label(re.compile("Mã hồ sơ")).fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    status = page.get_by_test_id("dossier-status")
    expect(status).to_contain_text("Đã trả kết quả")
    expect(status).to_contain_text("N***** V** A*")
    expect(status).to_contain_text("Thẩm định xong, trình lãnh đạo")


def test_journey_with_a_supplement_request_and_an_apology(page, live_quang_ninh, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    sign_in(page, base, "tinh.tiepnhan")
    page.goto(base + "/staff/tiep-nhan/?thu-tuc=qn-cap-phieu-ly-lich-tu-phap")
    page.get_by_label("Họ tên / tên tổ chức").fill("Trần Thị Bé")
    page.get_by_label("Số định danh cá nhân", exact=True).fill("022190000456")
    page.get_by_role("button", name="Tiếp nhận và in Giấy tiếp nhận").click()
    code = page.get_by_role("heading", level=1).inner_text().removeprefix("Hồ sơ ").strip()
    page.locator("form.action-form").filter(has_text="Chuyển hồ sơ").get_by_role("button").click()
    expect(page.get_by_test_id("status")).to_have_text("Đang xử lý")
    sign_out(page)

    act(
        page,
        base,
        "tinh.chuyenvien",
        code,
        "Yêu cầu bổ sung hồ sơ",
        reason="Thiếu văn bản ủy quyền",
    )
    act(page, base, "tinh.tiepnhan", code, "Nhận hồ sơ bổ sung")

    # The specialist apologises and sets a new date — once only.
    sign_in(page, base, "tinh.chuyenvien")
    page.goto(f"{base}/staff/ho-so/{code}/")
    page.get_by_label("Ngày, giờ hẹn mới").fill("2099-12-30T16:00")
    page.get_by_label("Lý do chậm trễ").fill("Chờ kết quả xác minh của cơ quan công an")
    page.get_by_role("button", name="Gửi xin lỗi và hẹn lại").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi xin lỗi")
    expect(page.get_by_test_id("timeline")).to_contain_text("Xin lỗi và hẹn lại ngày trả kết quả")
    expect(page.get_by_role("button", name="Gửi xin lỗi và hẹn lại")).to_have_count(0)
    sign_out(page)

    act(page, base, "tinh.lanhdaophong", code, "Phê duyệt kết quả")
    act(page, base, "tinh.tiepnhan", code, "Trả kết quả")
    page.goto(f"{base}/tra-cuu-ho-so/?ma={code}")
    status = page.get_by_test_id("dossier-status")
    expect(status).to_contain_text("Đã trả kết quả")
    expect(status).to_contain_text("30/12/2099")
    expect(status).to_contain_text("Yêu cầu bổ sung hồ sơ")
