"""Not asking again (NĐ 45/2020 Điều 16): a person whose căn cước card is already in the data
store, checked and signed, files a second dossier — at the counter the desk takes the card from
the store (no paper, no scan), online it is pre-selected and nothing is uploaded for it."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from egov.core.tests.scan_samples import document_pdf
from tests.browser.accessibility import axe_violations
from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser

PERSONAL_ID = "022084000123"


def _card(account=None, code="SH-AN-1"):
    from egov.accounts.models import User
    from egov.dossiers.tests.store_samples import stored_document

    return stored_document(User.objects.get(username="tinh.tiepnhan"), code=code, account=account)


def test_the_desk_takes_the_card_from_the_store(page, live_quang_ninh, settings):
    from egov.catalog.selectors import version_by_code
    from egov.dossiers.models import Dossier

    settings.EGOV_REQUIRE_STAFF_MFA = False
    document = _card()
    version = version_by_code("2.000884")
    card = version.components.get(document_kind__code="the-can-cuoc")
    base = live_quang_ninh.url
    sign_in(page, base, "tinh.tiepnhan")
    page.goto(base + "/staff/tiep-nhan/?thu-tuc=2.000884")
    page.get_by_label("Họ tên / tên tổ chức").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân", exact=True).fill(PERSONAL_ID)
    page.get_by_role("button", name="Tra cứu kho dữ liệu").click()
    expect(page.get_by_test_id("store-lookup-status")).to_contain_text(
        "Có 1 giấy tờ còn giá trị trong kho dữ liệu của người nộp"
    )
    cell = page.get_by_test_id(f"store-{card.pk}")
    choice = cell.get_by_label(re.compile("Thẻ căn cước, số 022084000123, Bộ Công an"))
    # With JavaScript only the store cells were replaced: what was typed is still there.
    expect(page.get_by_label("Họ tên / tên tổ chức")).to_have_value("Nguyễn Văn An")
    assert axe_violations(page) == []
    choice.check()
    page.get_by_label(f"Bản chính: {card.name}").fill("0")
    page.get_by_role("button", name="Tiếp nhận và in Giấy tiếp nhận").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    code = page.get_by_role("heading", level=1).inner_text().removeprefix("Hồ sơ ").strip()
    row = Dossier.objects.get(code=code).components.get(component=card)
    assert (row.store_document_id, row.reused, row.originals, row.copies, row.scan_id) == (
        document.pk,
        True,
        0,
        0,
        None,
    )


def test_online_the_card_needs_no_upload(page, live_quang_ninh, tmp_path):
    from egov.accounts.citizens import ProfileInput, citizen_profile_save
    from egov.accounts.models import User
    from egov.catalog.models import DocumentKind
    from egov.catalog.selectors import version_by_code
    from egov.dossiers.models import Dossier
    from egov.org.models import Unit
    from egov.portal.services import draft_save_applicant, draft_start

    # The household business's "legal paper of the person" asks for a căn cước card here.
    version = version_by_code("1.001612")
    card = version.components.get(name__startswith="Bản sao giấy tờ pháp lý")
    card.document_kind = DocumentKind.objects.get(code="the-can-cuoc")
    card.save(update_fields=["document_kind"])
    account = User.objects.create_user("an.nguyen", email="an.nguyen@example.vn")
    citizen_profile_save(
        actor=account,
        user=account,
        data=ProfileInput(full_name="Nguyễn Văn An", personal_id=PERSONAL_ID, phone="0912345678"),
    )
    document = _card(account=account)
    draft = draft_start(actor=account, version=version)
    draft_save_applicant(
        actor=account,
        draft=draft,
        values=draft.applicant,
        unit=Unit.objects.get(key="qn.ttpvhcc"),
        delivery="online",
    )
    client = Client()
    client.force_login(account)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    base = live_quang_ninh.url
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}]
    )
    page.goto(f"{base}/ho-so-nhap/{draft.pk}/giay-to/")
    block = page.locator(f"#component-block-{card.pk}")
    expect(block).to_contain_text("Đã có trong kho dữ liệu — không cần tải lên lại")
    expect(block.get_by_label(re.compile("Thẻ căn cước — số 022084000123"))).to_be_checked()
    scan = tmp_path / "don.pdf"
    scan.write_bytes(document_pdf())
    for other in version.components.filter(required=True).exclude(pk=card.pk):
        section = page.locator(f"#component-block-{other.pk}")
        section.locator('input[type="file"]').set_input_files(str(scan))
        expect(page.get_by_test_id(f"files-{other.pk}")).to_contain_text("don.pdf")
    page.get_by_role("button", name="Tiếp tục: xem lại").click()
    expect(page.get_by_test_id(f"stored-{card.pk}")).to_contain_text("SH-AN-1")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_test_id("my-status")).to_have_text("Chờ tiếp nhận trực tuyến")
    dossier = Dossier.objects.get(owner=account)
    row = dossier.components.get(component=card)
    assert (row.store_document_id, row.reused) == (document.pk, True)
    assert list(dossier.files.filter(component=card).values_list("source", "code")) == [
        ("reused", "SH-AN-1")
    ]
