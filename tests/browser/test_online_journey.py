import hashlib
import re

import pytest
from playwright.sync_api import expect

from egov.core.tests.scan_samples import document_pdf
from tests.browser.staff import sign_in
from tests.browser.test_counter_journey import act, sign_out

pytestmark = pytest.mark.browser

# A real (born-digital, image-free) PDF: uploaded scans are read and checked for quality.
PDF = document_pdf()
PASSWORD = "Mat-khau-rat-manh-2026"


def test_citizen_applies_online_pays_gets_the_e_result_and_rates(
    page, live_quang_ninh, settings, tmp_path, signing_settings
):
    from egov.catalog.selectors import version_by_code
    from egov.notifications.delivery import delivery_text
    from egov.notifications.models import Message

    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    settings.EGOV_VNPAY_PAY_URL = base + "/vnpay-sim/paymentv2/vpcpay.html"
    scan = tmp_path / "giay-to.pdf"
    scan.write_bytes(PDF)
    result_pdf = tmp_path / "ket-qua.pdf"
    # The result is signed by the competent agency when approved: a real PDF.
    from egov.signing.tests.fixtures import make_pdf

    result_pdf.write_bytes(make_pdf(text="GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH"))

    # Register.
    page.goto(base + "/accounts/signup/")
    page.locator('input[name="email"]').fill("cuc.le@example.vn")
    page.locator('input[name="password1"]').fill(PASSWORD)
    page.locator('input[name="password2"]').fill(PASSWORD)
    page.get_by_label("Họ và tên").fill("Lê Thị Cúc")
    page.get_by_label("Số định danh cá nhân").fill("022190000789")
    page.get_by_label("Điện thoại di động").fill("0912 000 789")
    page.locator("main form button[type=submit]").click()
    # Verify the mobile number with the code sent by SMS (what the phone receives).
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác minh số điện thoại")
    page.get_by_role("button", name="Gửi mã").click()
    body = delivery_text(Message.objects.filter(event="phone_code").latest("id"))
    page.get_by_label("Mã xác minh").fill(re.search(r"\b(\d{6})\b", body).group(1))
    page.get_by_role("button", name="Xác minh", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")

    # Apply online with uploads.
    page.goto(base + "/thu-tuc/1.001612/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_label("Số định danh cá nhân")).to_have_value("022190000789")
    page.get_by_label("Nơi nhận hồ sơ").select_option(
        label="Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh"
    )
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    for component in version_by_code("1.001612").components.filter(required=True):
        section = page.locator("section.card", has=page.get_by_role("heading", name=component.name))
        # Uploaded as soon as it is chosen (htmx), no "Tải lên" needed.
        section.locator('input[type="file"]').set_input_files(str(scan))
        expect(page.get_by_test_id(f"files-{component.pk}")).to_contain_text("giay-to.pdf")
    page.get_by_role("button", name="Tiếp tục: xem lại").click()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_test_id("my-status")).to_have_text("Chờ tiếp nhận trực tuyến")
    code = page.get_by_role("heading", level=1).inner_text().removeprefix("Hồ sơ ").strip()
    sign_out(page)

    # The desk accepts and hands off; the ward asks for the registration fee.
    act(page, base, "tinh.tiepnhan", code, "Tiếp nhận hồ sơ trực tuyến")
    act(
        page,
        base,
        "tinh.tiepnhan",
        code,
        "Chuyển hồ sơ đến cơ quan giải quyết",
        select={"Chuyển đến đơn vị": "Ủy ban nhân dân phường Hồng Gai"},
    )
    act(
        page,
        base,
        "honggai.chuyenvien",
        code,
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        fill={"Số tiền phải nộp (đồng)": "100000"},
    )

    # The citizen signs in with the phone number and pays through the VNPAY simulator.
    page.goto(base + "/accounts/login/")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill("0912000789")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{base}/ho-so-cua-toi/{code}/")
    page.get_by_role("link", name="Thanh toán trực tuyến").click()
    page.get_by_role("button", name="Thanh toán qua VNPAY").click()
    page.get_by_role("button", name="Thanh toán thành công").click()
    expect(page.get_by_test_id("payment-result")).to_contain_text("Thanh toán thành công.")
    sign_out(page)

    # The leader approves with the result file; the desk returns it online.
    sign_in(page, base, "honggai.lanhdao")
    page.goto(f"{base}/staff/ho-so/{code}/")
    form = page.locator(
        "form.action-form", has=page.get_by_role("button", name="Phê duyệt kết quả")
    )
    form.locator('input[type="file"]').set_input_files(str(result_pdf))
    form.get_by_role("button", name="Phê duyệt kết quả").click()
    expect(page.locator(".messages")).to_contain_text("Đã thực hiện")
    sign_out(page)
    act(page, base, "tinh.tiepnhan", code, "Trả kết quả")

    # The citizen downloads the e-result, checks its hash, and rates the service.
    page.goto(base + "/accounts/login/")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill("cuc.le@example.vn")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{base}/ho-so-cua-toi/{code}/")
    results = page.get_by_test_id("results")
    expect(results).to_contain_text(f"{code}-KQ1")
    link = results.get_by_role("link", name=re.compile(f"{re.escape(code)}-KQ1"))
    download = page.request.get(base + link.get_attribute("href"))
    digest = hashlib.sha256(download.body()).hexdigest()
    expect(results).to_contain_text(digest)
    # The official indices (TT 01/2018 Điều 13): one answer each, the first offered.
    questions = page.locator("fieldset[data-index]")
    expect(questions).to_have_count(4)  # indices 1, 3, 4 and 7 come from the applicant
    for fieldset in questions.all():
        fieldset.get_by_role("radio").first.check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_test_id("rated")).to_be_visible()

    events = set(
        Message.objects.filter(reference=code, channel="email").values_list("event", flat=True)
    )
    sms = set(Message.objects.filter(reference=code, channel="sms").values_list("event", flat=True))
    expected = {"submitted", "received", "awaiting_payment", "paid", "result_ready", "returned"}
    assert events == expected and sms == expected
