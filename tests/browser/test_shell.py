import re
import time

import pytest
from conftest import totp_code
from playwright.sync_api import expect

from egov.demo.accounts import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_portal_language_switch_and_receptionist_sign_in_with_mfa(page, live_quang_ninh, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = True
    settings.MFA_TOTP_TOLERANCE = 1
    base = live_quang_ninh.url

    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dịch vụ công trực tuyến tỉnh Quảng Ninh"
    )
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_be_visible()
    # The local stylesheet is applied (no CDN): the banner has the portal's red background.
    expect(page.get_by_role("banner")).to_have_css("background-color", "rgb(164, 22, 26)")

    # Keyboard users reach the skip link first.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_focused()

    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quảng Ninh online public services")
    page.get_by_label("Language").select_option("vi")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dịch vụ công trực tuyến tỉnh Quảng Ninh"
    )

    # Sign in as the demo receptionist; staff must enrol TOTP first.
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill("tinh.tiepnhan")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(base + "/staff/")
    # Changing two-factor settings asks for the password once more (allauth reauthentication).
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận quyền truy cập")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bật ứng dụng xác thực")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Mã xác thực").fill(totp_code(secret))
    page.get_by_role("button", name="Bật").click()

    page.goto(base + "/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Trần Thị Bình")
    expect(page.get_by_test_id("roles")).to_contain_text("Cán bộ tiếp nhận (Một cửa)")
    expect(page.get_by_test_id("roles")).to_contain_text(
        "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh"
    )

    # Sign out and back in: now the second factor is asked for.
    page.get_by_role("button", name="Đăng xuất").click()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill("tinh.tiepnhan")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực hai lớp")
    page.get_by_role("textbox", name="Mã").fill(totp_code(secret, at=time.time() + 30))
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(base + "/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Trần Thị Bình")
