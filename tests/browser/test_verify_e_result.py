"""A citizen downloads the signed e-result from their dossier page and checks it on the public
verification page /xac-thuc-van-ban/ (issue 11, capability 6)."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "Mat-khau-rat-manh-2026"


@pytest.fixture
def approved_online_dossier(live_quang_ninh, signing_settings):
    """Citizen An's online dossier, approved by the ward's leader with a real result PDF,
    which the system signed with the competent agency's certificate."""
    from egov.accounts.citizens import ProfileInput, citizen_profile_save
    from egov.accounts.models import User
    from egov.catalog.selectors import version_by_code
    from egov.core.uploads import store_private
    from egov.dossiers.services.online import OnlineSubmission, dossier_submit_online
    from egov.dossiers.services.reception import Applicant
    from egov.dossiers.services.results import dossier_approve
    from egov.dossiers.services.transitions import dossier_transition
    from egov.dossiers.tests.helpers import user
    from egov.org.models import Unit
    from egov.signing.tests.fixtures import make_pdf

    account = User.objects.create_user("an.nguyen", email="an.nguyen@example.vn")
    account.set_password(PASSWORD)
    account.save()
    citizen_profile_save(
        actor=account,
        user=account,
        data=ProfileInput(
            full_name="Nguyễn Văn An",
            personal_id="022084000123",
            phone="0912345678",
            address="Tổ 1, phường Hồng Gai",
        ),
    )
    version = version_by_code("1.001612")
    files = {
        c.pk: [
            store_private(
                io.BytesIO(make_pdf(text=c.name)),
                original_name=f"{c.pk}.pdf",
                prefix="applications",
            )
        ]
        for c in version.components.filter(required=True)
    }
    dossier = dossier_submit_online(
        actor=account,
        submission=OnlineSubmission(
            owner=account,
            unit=Unit.objects.get(key="qn.ttpvhcc"),
            version=version,
            applicant=Applicant(
                kind="citizen",
                name="Nguyễn Văn An",
                personal_id="022084000123",
                phone="0912345678",
                address="Tổ 1, phường Hồng Gai",
            ),
            files=files,
        ),
    )
    desk = user("tinh.tiepnhan")
    dossier = dossier_transition(actor=desk, dossier=dossier, action="accept_online")
    dossier = dossier_transition(
        actor=desk, dossier=dossier, action="hand_off", data={"handling_unit": "qn.x.hong-gai.ubnd"}
    )
    return dossier_approve(
        actor=user("honggai.lanhdao"),
        dossier=dossier,
        result=io.BytesIO(make_pdf(text="GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH")),
        result_name="giay-chung-nhan.pdf",
    )


def test_citizen_downloads_the_signed_e_result_and_verifies_it(
    page, live_quang_ninh, approved_online_dossier, tmp_path
):
    base = live_quang_ninh.url
    code = approved_online_dossier.code
    page.goto(base + "/accounts/login/")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill("an.nguyen@example.vn")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{base}/ho-so-cua-toi/{code}/")

    results = page.get_by_test_id("results")
    expect(results.get_by_test_id("result-signature")).to_have_text(
        "✔ Kết quả điện tử có chữ ký số hợp lệ của UBND tỉnh Quảng Ninh."
    )
    with page.expect_download() as downloading:
        results.get_by_role("link", name=f"{code}-KQ1 — giay-chung-nhan.pdf").click()
    saved = tmp_path / "ket-qua.pdf"
    downloading.value.save_as(saved)

    # The page's own link leads to the public check; the citizen uploads what they got.
    results_section = page.locator("section", has=results)
    results_section.get_by_role("link", name="Xác thực văn bản").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực văn bản có chữ ký số")
    page.get_by_label("Tệp PDF").set_input_files(str(saved))
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    expect(page.get_by_test_id("verification-summary")).to_have_text(
        "Tài liệu có 1 chữ ký số hợp lệ, do tổ chức tin cậy cấp chứng thư; nội dung không bị "
        "thay đổi sau khi ký."
    )
    signature = page.get_by_test_id("signature")
    expect(signature.get_by_role("heading")).to_have_text("Chữ ký 1")
    expect(signature.get_by_test_id("signature-message")).to_have_text("Chữ ký hợp lệ.")
    expect(signature).to_contain_text("UBND tỉnh Quảng Ninh")
    expect(signature).to_contain_text("Chưa bị thu hồi tại thời điểm ký")

    # A changed copy is caught.
    data = bytearray(saved.read_bytes())
    data[data.index(b"/Type /Page") + 2] ^= 0x01
    tampered = tmp_path / "ket-qua-da-sua.pdf"
    tampered.write_bytes(bytes(data))
    page.get_by_label("Tệp PDF").set_input_files(str(tampered))
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    expect(page.get_by_test_id("verification-summary")).to_have_text(
        "Không nên tin tài liệu này: nội dung đã ký bị thay đổi hoặc chữ ký bị hỏng."
    )
