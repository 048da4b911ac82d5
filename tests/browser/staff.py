"""Steps the staff journeys share."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from egov.demo.accounts import DEMO_PASSWORD


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign a demo officer in through the one door (staff MFA is off in the demo)."""
    page.goto(base + "/accounts/login/")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
