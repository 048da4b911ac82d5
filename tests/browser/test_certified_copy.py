"""An officer certifies an electronic copy from the original shown at the desk (issue 16 §5):
from the dossier page to the form, the signed copy downloaded and checked with pdfsig, then
the unit's register."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def copy_dossier(live_quang_ninh, signing_settings):
    """Citizen An's request for a certified copy, received at the provincial centre."""
    from egov.dossiers.services.reception import dossier_receive
    from egov.dossiers.tests.helpers import reception, user

    return dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("2.000815"))


def test_officer_certifies_a_copy_and_downloads_it(
    page, live_quang_ninh, copy_dossier, settings, tmp_path, nss_db
):
    from egov.signing.tests.fixtures import make_pdf, pdfsig

    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    original = tmp_path / "bang-tot-nghiep.pdf"
    original.write_bytes(make_pdf(pages=3, text="BẰNG TỐT NGHIỆP"))
    sign_in(page, base, "tinh.tiepnhan")
    page.goto(f"{base}/staff/ho-so/{copy_dossier.code}/")
    page.get_by_test_id("certify-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Chứng thực bản sao điện tử từ bản chính"
    )
    form = page.get_by_test_id("certify-form")
    form.get_by_label("Tên giấy tờ, văn bản").fill("Bằng tốt nghiệp trung học phổ thông")
    form.get_by_label("Số trang của bản chính").fill("3")
    form.get_by_label("Số bản sao").fill("1")
    form.get_by_label("hoặc tải bản quét bản chính").set_input_files(str(original))
    form.get_by_role("button", name="Chứng thực và ký số").click()
    # Without the officer's confirmation nothing is certified.
    expect(page.get_by_test_id("certify-error")).to_have_text(
        "Hãy xác nhận đã đối chiếu bản sao với bản chính trước khi chứng thực."
    )
    form = page.get_by_test_id("certify-form")
    form.get_by_label("hoặc tải bản quét bản chính").set_input_files(str(original))
    form.get_by_label(re.compile("Tôi đã đối chiếu bản sao với bản chính")).check()
    form.get_by_role("button", name="Chứng thực và ký số").click()
    expect(page.locator(".messages")).to_contain_text("Đã chứng thực bản sao điện tử số 1/")
    expect(page.locator(".messages")).to_contain_text("phí 5.000 đ")

    with page.expect_download() as downloading:
        page.get_by_test_id("certified-copy-download").click()
    saved = tmp_path / "ban-sao.pdf"
    downloading.value.save_as(saved)
    report = pdfsig(saved, nss_db)
    assert report.count("Signature #") == 1
    assert "Signature Validation: Signature is Valid." in report
    assert "Certificate Validation: Certificate is Trusted." in report

    page.get_by_role("link", name="Sổ chứng thực bản sao").click()
    register = page.get_by_test_id("register")
    expect(register).to_contain_text("Bằng tốt nghiệp trung học phổ thông")
    expect(register).to_contain_text("Nguyễn Văn An")
    expect(register).to_contain_text("5.000 đ")
