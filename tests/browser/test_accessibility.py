"""Keyboard and small-screen checks (axe-core itself runs on every page of every journey, see
conftest.py): a visible focus indicator on each control reached with Tab, focus on the first
error after an invalid submission, no sideways scrolling at 390 px, and the receipt opening
right after a counter reception."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser

RECEPTION = "/staff/tiep-nhan/?thu-tuc=qn-cap-phieu-ly-lich-tu-phap"
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName, name: el.getAttribute("name") || el.textContent.trim().slice(0, 40),
    outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
    color: style.outlineColor, shadow: style.boxShadow,
  };
}"""


def tab_through(page, stops):
    """Press Tab ``stops`` times; each focused element shows a 3 px dark outline with a light
    halo (or the light variant on the dark header)."""
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        assert focus["outline"] == "solid" and focus["width"] == 3, focus
        assert focus["color"] in {"rgb(11, 12, 12)", "rgb(255, 255, 255)"}, focus
        assert focus["shadow"].startswith(
            ("rgb(255, 255, 255) 0px 0px 0px 2px", "rgb(11, 12, 12)")
        ), focus
        seen.append(focus["name"])
    return seen


def no_sideways_scroll(page):
    width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], width


def test_counter_form_keyboard_focus_errors_and_receipt(page, live_quang_ninh, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    sign_in(page, base, "tinh.tiepnhan")
    page.goto(base + RECEPTION)
    # Every control reached with Tab shows the focus ring, header included.
    seen = tab_through(page, 30)
    assert "applicant_name" in seen
    # The applicant's name is the first field of the form in tab order.
    fields = page.locator("form[enctype] :is(input, select, textarea):not([type=hidden])")
    expect(fields.first).to_have_attribute("name", "applicant_name")

    # An invalid submission: every problem at once, focus on the first field with an error.
    page.get_by_label("Họ tên / tên tổ chức").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân", exact=True).fill("12345")
    page.get_by_label("Điện thoại").fill("0123")
    page.get_by_label("Phí, lệ phí đã thu (đồng)").fill("-5")
    page.get_by_role("button", name="Tiếp nhận và in Giấy tiếp nhận").click()
    expect(page.get_by_role("alert").filter(has_text="mục cần sửa")).to_contain_text(
        "Có 3 mục cần sửa"
    )
    personal_id = page.get_by_label("Số định danh cá nhân", exact=False).first
    expect(personal_id).to_be_focused()
    expect(personal_id).to_have_accessible_description(
        "Số định danh cá nhân phải gồm đúng 12 chữ số."
    )
    expect(page.get_by_label("Điện thoại")).to_have_attribute("aria-invalid", "true")
    # A link in the error summary takes the focus to its field.
    page.get_by_role("link", name=re.compile("^Phí, lệ phí đã thu")).click()
    expect(page.get_by_label("Phí, lệ phí đã thu (đồng)")).to_be_focused()

    # Corrected: the dossier's page opens, and the receipt opens in a new tab to print.
    page.get_by_label("Số định danh cá nhân", exact=True).fill("022084000123")
    page.get_by_label("Điện thoại").fill("0912 345 678")
    page.get_by_label("Phí, lệ phí đã thu (đồng)").fill("")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Tiếp nhận và in Giấy tiếp nhận").click()
    receipt = opened.value
    receipt.wait_for_load_state()
    assert re.search(r"/staff/ho-so/[^/]+/giay-tiep-nhan\.pdf$", receipt.url)
    expect(page.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    expect(page.get_by_test_id("print-receipt")).to_be_visible()
    assert "?in=" not in page.url  # reloading the page does not open the receipt again


@pytest.mark.parametrize("size", [(390, 844), (1366, 900)])
def test_counter_pages_fit_the_screen(page, live_quang_ninh, settings, size):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    page.set_viewport_size({"width": size[0], "height": size[1]})
    sign_in(page, base, "tinh.tiepnhan")
    page.goto(base + RECEPTION)
    no_sideways_scroll(page)
    # Touch targets: inputs and buttons are at least 44 px tall.
    for locator in (
        page.get_by_label("Họ tên / tên tổ chức"),
        page.get_by_label("Ngày sinh"),
        page.get_by_label("Số bộ hồ sơ"),
        page.locator("input[type=file]").first,
        page.get_by_role("button", name="Tiếp nhận và in Giấy tiếp nhận"),
    ):
        assert locator.bounding_box()["height"] >= 44
    page.get_by_label("Họ tên / tên tổ chức").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân", exact=True).fill("022084000123")
    page.get_by_role("button", name="Tiếp nhận và in Giấy tiếp nhận").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    no_sideways_scroll(page)
    # Success is green; a destructive action has its own colour, not the primary one.
    expect(page.locator(".messages .success").first).to_have_css(
        "border-left-color", "rgb(30, 107, 52)"
    )
    primary = page.get_by_role("button", name="Chuyển hồ sơ đến cơ quan giải quyết")
    expect(primary).to_have_css("background-color", "rgb(23, 69, 110)")
    page.goto(base + "/tra-cuu-ho-so/")
    search = page.get_by_label(re.compile("Mã hồ sơ"))
    assert search.bounding_box()["height"] >= 44
    no_sideways_scroll(page)


def test_signup_focus_goes_to_the_first_error(page, live_quang_ninh):
    base = live_quang_ninh.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/accounts/signup/")
    no_sideways_scroll(page)
    expect(page.get_by_text("Mục có dấu * là bắt buộc.")).to_be_visible()
    page.get_by_label("Mật khẩu", exact=False).first.fill("Mat-khau-rat-manh-2026")
    page.get_by_label(re.compile("^Nhập lại mật khẩu")).fill("Mat-khau-rat-manh-2026")
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân").fill("12345")
    page.get_by_label("Điện thoại di động").fill("0123")
    page.get_by_role("main").get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_label("Số định danh cá nhân")).to_be_focused()
    expect(page.get_by_label("Điện thoại di động")).to_have_attribute("aria-invalid", "true")
    tab_through(page, 5)


PAGE = (
    '<!doctype html><html lang="vi"><head><title>Thử</title></head>'
    "<body><main><h1>Thử</h1>{body}</main></body></html>"
)


def test_axe_reports_a_violation_that_a_clean_page_of_another_shape_does_not_hide(page):
    # A clean page is remembered by its shape; a link that lost its text is another shape,
    # so it is checked and its violation reported (the cache skips only clean, same-shape pages).
    page.set_content(PAGE.format(body='<a href="/ho-so/1/">Hồ sơ 1</a>'))
    assert axe_violations(page) == []
    page.set_content(PAGE.format(body='<a href="/ho-so/2/">Hồ sơ 2</a>'))
    assert axe_violations(page) == []
    page.set_content(PAGE.format(body='<a href="/ho-so/3/"></a>'))
    assert [line.split(" ")[0] for line in axe_violations(page)] == ["link-name"]
    page.set_content(PAGE.format(body='<img src="/anh.png"><a href="/ho-so/4/">Hồ sơ 4</a>'))
    assert [line.split(" ")[0] for line in axe_violations(page)] == ["image-alt"]
