"""Văn bản đi end to end in the browser: the ward's specialist composes a thông báo → submits
→ the ward's leader approves the content → the ward's văn thư approves the format → the leader
signs it from the signing queue → the văn thư numbers and counter-signs it → issues it and
makes an electronic sao y of it → the province's committee (an internal recipient) has it as
an incoming document, both signatures valid."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.staff import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("signing_settings")]


def sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def press(page, base, username, pk, button):
    sign_in(page, base, username)
    page.goto(f"{base}/staff/van-ban-di/{pk}/")
    page.get_by_role("button", name=button).click()
    expect(page.locator(".messages")).to_contain_text(button)
    sign_out(page)


def test_outgoing_document_from_draft_to_the_recipient(page, live_quang_ninh, settings):
    from egov.documents.catalogue import AgencySettings
    from egov.documents.models import IncomingDocument, OutgoingDocument, VersionKind
    from egov.documents.services.catalogue import document_types_load_national
    from egov.org.models import Unit
    from egov.signing.verification import Verdict, verify_pdf

    settings.EGOV_REQUIRE_STAFF_MFA = False
    document_types_load_national(actor=None)
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    province = Unit.objects.get(key="qn.ubnd")
    AgencySettings.objects.create(agency=ward, abbreviation="UBND", place_name="Hồng Gai")
    AgencySettings.objects.create(agency=province, abbreviation="UBND", place_name="Hạ Long")
    base = live_quang_ninh.url

    # The specialist composes a thông báo to the province.
    sign_in(page, base, "honggai.chuyenvien")
    page.get_by_role("link", name="Văn bản đi").click()
    page.get_by_role("link", name="Soạn văn bản").click()
    page.get_by_label("Loại văn bản", exact=True).select_option(label="Thông báo (TB)")
    page.get_by_label("Trích yếu", exact=True).fill("Kết quả rà soát hộ nghèo năm 2026")
    page.get_by_label("Người ký", exact=True).select_option(label="Nguyễn Văn Nam")
    page.get_by_label("Chức vụ người ký").fill("Chủ tịch")
    page.get_by_label(re.compile("^Nội dung")).fill(
        "Ủy ban nhân dân phường thông báo kết quả rà soát.\n\nĐề nghị các đơn vị phối hợp."
    )
    page.get_by_label(province.name).check()
    page.get_by_role("button", name="Tạo dự thảo").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo dự thảo")
    expect(page.get_by_test_id("status")).to_have_text("Dự thảo")
    pk = int(page.url.rstrip("/").rsplit("/", 1)[1])
    page.get_by_role("button", name="Trình lãnh đạo đơn vị duyệt").click()
    expect(page.get_by_test_id("status")).to_have_text("Chờ lãnh đạo đơn vị duyệt nội dung")
    sign_out(page)

    press(page, base, "honggai.lanhdao", pk, "Duyệt nội dung, chuyển kiểm tra thể thức")
    press(page, base, "honggai.vanthu", pk, "Kiểm tra thể thức xong, trình ký")

    # The leader signs from the signing queue.
    sign_in(page, base, "honggai.lanhdao")
    page.goto(f"{base}/staff/van-ban-di/cho-ky/")
    page.get_by_label("Kết quả rà soát hộ nghèo năm 2026").check()
    page.get_by_role("button", name="Ký số các văn bản đã chọn").click()
    expect(page.locator(".messages")).to_contain_text(
        "Kết quả rà soát hộ nghèo năm 2026: Đã ký số."
    )
    sign_out(page)

    # The văn thư numbers, counter-signs and issues it from the release screen.
    sign_in(page, base, "honggai.vanthu")
    page.goto(f"{base}/staff/van-ban-di/cap-so/")
    page.get_by_role("button", name="Cấp số và ký số cơ quan").click()
    expect(page.locator(".messages")).to_contain_text("Đã cấp số 01/TB-UBND và ký số của cơ quan.")
    page.get_by_role("button", name="Phát hành").click()
    expect(page.locator(".messages")).to_contain_text("Đã phát hành văn bản.")
    page.goto(f"{base}/staff/van-ban-di/{pk}/")
    expect(page.get_by_test_id("status")).to_have_text("Đã phát hành")
    expect(page.get_by_test_id("number")).to_have_text("01/TB-UBND")
    signed = page.request.get(f"{base}/staff/van-ban-di/{pk}/ban/3/")
    assert signed.ok and signed.body().startswith(b"%PDF")
    # The văn thư makes an electronic sao y of it (NĐ 30/2020, Điều 25) and downloads it.
    page.get_by_role("link", name="Sao văn bản", exact=True).click()
    page.get_by_label("Mục đích sao").fill("Gửi các tổ dân phố")
    page.get_by_role("button", name="Sao và ký số").click()
    expect(page.locator(".messages")).to_contain_text("sao y số 01/SY-UBND, đã ký số của cơ quan")
    expect(page.get_by_test_id("number")).to_have_text("01/SY-UBND")
    with page.expect_download() as download:
        page.get_by_test_id("copy-file").get_by_role("link", name="Tải về").click()
    copy = download.value.path().read_bytes()
    sign_out(page)
    copied = verify_pdf(copy)
    assert copied.verdict == Verdict.VALID and len(copied.signatures) == 3

    report = verify_pdf(signed.body())
    assert [s.verdict for s in report.signatures] == [Verdict.VALID, Verdict.VALID]
    document = OutgoingDocument.objects.get(pk=pk)
    assert [v.kind for v in document.versions.order_by("number")] == [
        VersionKind.DRAFT,
        VersionKind.PERSONAL_SIGNED,
        VersionKind.AGENCY_SIGNED,
    ]
    # The province's committee received it in the same system, waiting for its văn thư.
    incoming = IncomingDocument.objects.get(source_outgoing=document)
    assert (incoming.agency, incoming.code_number, incoming.code_notation) == (
        province,
        "01",
        "TB-UBND",
    )
    assert (
        incoming.file is not None
        and incoming.file.sha256 == document.versions.get(number=3).file.sha256
    )
