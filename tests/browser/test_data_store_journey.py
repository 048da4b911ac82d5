"""Issue 16 end to end, through the pages only: the desk digitises two papers of a counter
dossier and signs their "kết quả số hóa"; the same person's next dossier takes the căn cước
card from the data store without paper or scan; an officer certifies an electronic copy from
an original; the citizen finds all three in "Kho dữ liệu của tôi", and the certified copy and
the signed digitisation validate with pdfsig. axe-core checks every page (the ``page`` fixture).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from egov.core.tests.scan_samples import document_pdf, good_scan_png
from tests.browser.staff import sign_in
from tests.browser.test_counter_journey import sign_out

pytestmark = pytest.mark.browser

PERSONAL_ID = "022084000123"
NAME = "Nguyễn Văn An"
PASSWORD = "Mat-khau-rat-manh-2026"


@pytest.fixture
def verified_citizen(live_quang_ninh):
    """An's portal account, its personal ID verified by the national sign-in (VNeID)."""
    from egov.accounts.citizens import ProfileInput, citizen_profile_save
    from egov.accounts.models import CitizenProfile, User
    from egov.contrib.vneid.identity import IDENTITY_SOURCE

    account = User.objects.create_user("an.hanhtrinh", email="an.hanhtrinh@example.vn")
    account.set_password(PASSWORD)
    account.save()
    citizen_profile_save(
        actor=account,
        user=account,
        data=ProfileInput(full_name=NAME, personal_id=PERSONAL_ID, address="Hạ Long"),
    )
    CitizenProfile.objects.filter(user=account).update(identity_source=IDENTITY_SOURCE)
    return account


def _receive_at_counter(page, base, *, scans=(), from_store=False):
    """A counter reception of 2.000884 (chứng thực chữ ký) for An; its code."""
    page.goto(base + "/staff/tiep-nhan/?thu-tuc=2.000884")
    page.get_by_label("Họ tên / tên tổ chức").fill(NAME)
    page.get_by_label("Số định danh cá nhân", exact=True).fill(PERSONAL_ID)
    rows = page.locator("tr", has=page.locator("input[type=file][name^=scan_]"))
    if from_store:
        page.get_by_role("button", name="Tra cứu kho dữ liệu").click()
        expect(page.get_by_test_id("store-lookup-status")).to_contain_text(
            "Có 1 giấy tờ còn giá trị trong kho dữ liệu của người nộp"
        )
        card_row = rows.nth(0)
        card_row.get_by_role("radio", name=re.compile("^Thẻ căn cước")).check()
        card_row.get_by_role("spinbutton").first.fill("0")
        rows.nth(1).get_by_role("spinbutton").first.fill("1")
    for index, scan in enumerate(scans):
        row = rows.nth(index)
        row.get_by_role("spinbutton").first.fill("1")
        row.locator("input[type=file]").set_input_files(str(scan))
    page.get_by_role("button", name="Tiếp nhận và in Giấy tiếp nhận").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    return page.get_by_role("heading", level=1).inner_text().removeprefix("Hồ sơ ").strip()


def test_digitise_reuse_certify_and_find_it_all_in_the_store(
    page, live_quang_ninh, verified_citizen, settings, signing_settings, tmp_path, nss_db
):
    from egov.dossiers.models import Dossier
    from egov.dossiers.services.reception import dossier_receive
    from egov.dossiers.tests.helpers import reception, user
    from egov.signing.tests.fixtures import make_pdf, pdfsig

    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    card = tmp_path / "the-can-cuoc.png"
    card.write_bytes(good_scan_png())
    paper = tmp_path / "giay-to-se-ky.pdf"
    paper.write_bytes(document_pdf())

    # 1. The desk scans the card and the paper, checks both against the originals and signs.
    sign_in(page, base, "tinh.tiepnhan")
    first = _receive_at_counter(page, base, scans=(card, paper))
    expect(page.get_by_test_id("digitisation-status")).to_have_text("Đang số hóa")
    form = page.get_by_test_id("digitise-form")
    card_entry = form.get_by_test_id(f"pending-{first}-SH1")
    # The component's kind is offered: the căn cước card.
    expect(card_entry.get_by_label("Loại giấy tờ").locator("option:checked")).to_have_text(
        "Thẻ căn cước / Thẻ căn cước công dân"
    )
    card_entry.get_by_label("Số, ký hiệu").fill(PERSONAL_ID)
    card_entry.get_by_label("Cơ quan cấp").fill("Bộ Công an")
    card_entry.get_by_label("Ngày cấp").fill("2024-07-01")
    card_entry.get_by_label("Ngày hết hạn (nếu có)").fill("2049-07-01")
    form.get_by_test_id("digitise-all").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Đã ký số kết quả số hóa: {first}-SH1, {first}-SH2."
    )
    expect(page.get_by_test_id("digitisation-status")).to_have_text("Đã số hóa")

    # 2. An's next dossier: the card comes from the store — no original, no copy, no scan.
    second = _receive_at_counter(page, base, from_store=True)
    reused = Dossier.objects.get(code=second).components.get(reused=True)
    assert (reused.store_document.code, reused.originals, reused.copies, reused.scan_id) == (
        f"{first}-SH1",
        0,
        0,
        None,
    )
    expect(page.get_by_test_id(f"reused-{reused.component_id}")).to_contain_text(f"{first}-SH1")

    # 3. An asks for a certified electronic copy of a diploma shown at the desk.
    copy_dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("2.000815"))
    original = tmp_path / "bang-tot-nghiep.pdf"
    original.write_bytes(make_pdf(pages=2, text="BẰNG TỐT NGHIỆP"))
    page.goto(f"{base}/staff/ho-so/{copy_dossier.code}/")
    page.get_by_test_id("certify-link").click()
    certify = page.get_by_test_id("certify-form")
    certify.get_by_label("Tên giấy tờ, văn bản").fill("Bằng tốt nghiệp trung học phổ thông")
    certify.get_by_label("Số trang của bản chính").fill("2")
    certify.get_by_label("Số bản sao").fill("1")
    certify.get_by_label("hoặc tải bản quét bản chính").set_input_files(str(original))
    certify.get_by_label(re.compile("Tôi đã đối chiếu bản sao với bản chính")).check()
    certify.get_by_role("button", name="Chứng thực và ký số").click()
    expect(page.locator(".messages")).to_contain_text("phí 4.000 đ")
    sign_out(page)

    # 4. An finds the two digitised papers and the certified copy in the store.
    page.goto(base + "/accounts/login/")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill(
        "an.hanhtrinh@example.vn"
    )
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("navigation").get_by_role("link", name="Kho dữ liệu của tôi").click()
    rows = page.get_by_test_id("store-row")
    expect(rows).to_have_count(3)
    store = page.get_by_test_id("my-store")
    expect(store).to_contain_text("Thẻ căn cước, thẻ căn cước công dân còn thời hạn")
    expect(store).to_contain_text("Giấy tờ, văn bản mà mình sẽ ký")
    expect(store).to_contain_text("Bằng tốt nghiệp trung học phổ thông")
    expect(store).to_contain_text(first)

    for title, name in (
        ("Bằng tốt nghiệp trung học phổ thông", "ban-sao.pdf"),
        (re.compile("Thẻ căn cước"), "the-can-cuoc-ky-so.pdf"),
    ):
        page.get_by_role("link", name=title).first.click()
        with page.expect_download() as downloading:
            page.get_by_role("link", name="Tải bản đã ký số (PDF)").click()
        saved = tmp_path / name
        downloading.value.save_as(saved)
        report = pdfsig(saved, nss_db)
        assert "Signature Validation: Signature is Valid." in report
        page.go_back()
