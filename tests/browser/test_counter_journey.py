import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser


def sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def act(page, base, username, code, button, reason=None, fill=None, select=None, check=None):
    """Sign in as ``username``, take the action ``button`` on the dossier page, sign out.
    ``fill``/``select`` map field labels to values; ``check`` lists boxes to tick."""
    sign_in(page, base, username)
    page.goto(f"{base}/staff/ho-so/{code}/")
    form = page.locator("form.action-form", has=page.get_by_role("button", name=button))
    if reason:
        form.get_by_label(re.compile("^Lý do")).fill(reason)
    for label, value in (fill or {}).items():
        form.get_by_label(label, exact=True).fill(value)
    for label, value in (select or {}).items():
        form.get_by_label(label, exact=True).select_option(label=value)
    for label in check or []:
        form.get_by_label(label).check()
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
    # Lý lịch tư pháp has no competent unit in the org data since it moved to the police
    # (01/07/2026): the desk picks the handling unit.
    page.locator("#unit-hand_off").select_option("qn.so-tu-phap")
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
    page.locator("#unit-hand_off").select_option("qn.so-tu-phap")
    page.locator("form.action-form").filter(has_text="Chuyển hồ sơ").get_by_role("button").click()
    expect(page.get_by_test_id("status")).to_have_text("Đang xử lý")
    sign_out(page)

    act(
        page,
        base,
        "tinh.chuyenvien",
        code,
        "Yêu cầu bổ sung hồ sơ",
        check=["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"],
        fill={"Nội dung khác (mỗi dòng một nội dung)": "Văn bản ủy quyền có chứng thực"},
    )
    # The desk prints the Mẫu 02 listing every item for the applicant, then takes the
    # supplement.
    sign_in(page, base, "tinh.tiepnhan")
    page.goto(f"{base}/staff/ho-so/{code}/")
    link = page.get_by_role("link", name="Phiếu yêu cầu bổ sung lần 1 (Mẫu 02, PDF)")
    notice = page.request.get(base + link.get_attribute("href"))
    assert notice.ok and notice.body().startswith(b"%PDF")
    sign_out(page)
    act(page, base, "tinh.tiepnhan", code, "Nhận hồ sơ bổ sung")

    # The competent unit's head apologises and sets a new date (NĐ 61/2018 Điều 19 khoản 9;
    # within the allowed extension) — once only.
    from egov.dossiers.models import Dossier
    from egov.workdays.engine import VIETNAM_TZ

    new_due = (Dossier.objects.get(code=code).due_at + dt.timedelta(days=20)).astimezone(VIETNAM_TZ)
    sign_in(page, base, "tinh.lanhdaophong")
    page.goto(f"{base}/staff/ho-so/{code}/")
    page.get_by_label("Ngày, giờ hẹn mới").fill(f"{new_due:%Y-%m-%d}T16:00")
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
    expect(status).to_contain_text(f"{new_due:%d/%m/%Y}")
    expect(status).to_contain_text("Yêu cầu bổ sung hồ sơ")


def test_journey_with_assignment_interagency_and_result_by_post(page, live_quang_ninh, settings):
    from egov.dossiers.services.postal import book_shipments

    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    sign_in(page, base, "tinh.tiepnhan")
    page.goto(base + "/staff/tiep-nhan/?thu-tuc=qn-cap-phieu-ly-lich-tu-phap")
    page.get_by_label("Họ tên / tên tổ chức").fill("Lê Thị Cúc")
    page.get_by_label("Số định danh cá nhân", exact=True).fill("022190000789")
    page.get_by_label("Địa chỉ").fill("Tổ 3, khu 5, phường Hồng Gai")
    page.get_by_label("Nhận kết quả").select_option(label="Qua bưu chính")
    page.get_by_role("button", name="Tiếp nhận và in Giấy tiếp nhận").click()
    code = page.get_by_role("heading", level=1).inner_text().removeprefix("Hồ sơ ").strip()
    page.locator("#unit-hand_off").select_option("qn.so-tu-phap")
    page.locator("form.action-form").filter(has_text="Chuyển hồ sơ").get_by_role("button").click()
    sign_out(page)

    act(
        page,
        base,
        "tinh.lanhdaophong",
        code,
        "Phân công chuyên viên xử lý",
        select={"Chuyên viên thụ lý": "Đinh Thị Xuân"},
    )
    # Xuân's own queue lists it; she sends it to the ward for verification (liên thông).
    sign_in(page, base, "tinh.chuyenvien2")
    page.goto(base + "/staff/ho-so/?cua-toi=1")
    expect(page.get_by_test_id("queue")).to_contain_text(code)
    sign_out(page)
    act(
        page,
        base,
        "tinh.chuyenvien2",
        code,
        "Chuyển liên thông đến cơ quan phối hợp",
        reason="Xác minh nơi cư trú",
        select={"Cơ quan phối hợp": "Ủy ban nhân dân phường Hồng Gai"},
    )
    act(page, base, "honggai.chuyenvien", code, "Cơ quan phối hợp xử lý xong, chuyển trả")
    act(page, base, "tinh.chuyenvien2", code, "Thẩm định xong, trình lãnh đạo")
    act(page, base, "tinh.lanhdaophong", code, "Phê duyệt kết quả")
    act(page, base, "tinh.tiepnhan", code, "Gửi kết quả qua bưu chính")
    assert book_shipments().booked == 1  # what the worker does after the commit
    sign_in(page, base, "tinh.buudien")
    page.goto(f"{base}/staff/ho-so/{code}/")
    expect(page.get_by_test_id("tracking")).to_have_text(re.compile(r"^RR\d{9}VN$"))
    sign_out(page)
    act(
        page,
        base,
        "tinh.buudien",
        code,
        "Bưu chính đã phát kết quả",
        fill={"Người đã nhận bưu gửi": "Lê Thị Cúc"},
    )
    page.goto(f"{base}/tra-cuu-ho-so/?ma={code}")
    status = page.get_by_test_id("dossier-status")
    expect(status).to_contain_text("Đã trả kết quả")
    expect(status).to_contain_text("Chuyển liên thông đến cơ quan phối hợp")
    expect(status).to_contain_text("Bưu chính đã phát kết quả")
