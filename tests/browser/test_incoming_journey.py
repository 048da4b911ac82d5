"""Văn bản đến end to end: the clerk uploads a signed PDF (the verdict is shown) and
registers it, the leader distributes it, the lead specialist handles it and links the reply
(an outgoing document drafted in the test's setup through the services)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from egov.signing.services import sign_pdf
from egov.signing.tests.fixtures import make_pdf
from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser

AGENCY = "qn.x.hong-gai.ubnd"


def sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


@pytest.fixture
def reply(live_quang_ninh):
    from django.utils import timezone

    from egov.accounts.models import User
    from egov.documents.models import OutgoingDocument, OutgoingStatus
    from egov.documents.selectors import document_type
    from egov.documents.services.catalogue import document_types_load_national
    from egov.documents.services.outgoing import outgoing_create
    from egov.org.models import Unit

    document_types_load_national(actor=None)
    agency = Unit.objects.get(key=AGENCY)
    draft = outgoing_create(
        actor=User.objects.get(username="honggai.chuyenvien"),
        agency=agency,
        drafting_unit=agency,
        document_type=document_type(agency, "cong-van"),
        subject="Về việc báo cáo công tác văn thư năm 2026 của phường",
    )
    # A reply is linked once it has its number; the outgoing flow that numbers it has its own
    # journey (test_outgoing_journey), so here the row is put in the registered state.
    today = timezone.localdate()
    OutgoingDocument.objects.filter(pk=draft.pk).update(
        status=OutgoingStatus.REGISTERED,
        code_number=1,
        code_notation="UBND-VP",
        issued_date=today,
        year=today.year,
        register="chung",
    )
    draft.refresh_from_db()
    return draft


def test_incoming_registered_distributed_handled_and_replied(
    page, live_quang_ninh, reply, settings, signing_settings, signer_for, tmp_path
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    signed = tmp_path / "cong-van-bnv.pdf"
    signed.write_bytes(
        sign_pdf(make_pdf(text="CÔNG VĂN"), signer=signer_for("leader"), field_name="Sig")
    )

    # The clerk takes in the signed PDF: the verdict is shown, then registers it.
    sign_in(page, base, "honggai.vanthu")
    page.get_by_role("link", name="Văn bản đến").first.click()
    page.get_by_role("link", name="Tiếp nhận văn bản đến").click()
    page.get_by_label("Nguồn tiếp nhận").select_option("upload")
    page.get_by_label(re.compile("^Tệp văn bản")).set_input_files(str(signed))
    page.get_by_label("Cơ quan ban hành", exact=True).fill("Sở Nội vụ tỉnh Quảng Ninh")
    page.get_by_label("Tên loại văn bản").select_option(label="Công văn")
    page.get_by_label("Số, ký hiệu văn bản").fill("5/SNV-VP")
    page.get_by_label("Ngày ban hành").fill("2026-11-20")
    page.get_by_label("Trích yếu nội dung").fill("Về việc báo cáo công tác văn thư năm 2026")
    page.get_by_label("Độ khẩn").select_option(label="Khẩn")
    page.get_by_role("button", name="Tiếp nhận").click()
    # The số must have its leading zero: the problem is shown, the clerk corrects it.
    expect(page.get_by_test_id("errors-code")).to_contain_text("phải có số 0 ở trước")
    page.get_by_label("Số, ký hiệu văn bản").fill("05/SNV-VP")
    page.get_by_label(re.compile("^Tệp văn bản")).set_input_files(str(signed))
    page.get_by_role("button", name="Tiếp nhận").click()
    expect(page.get_by_test_id("status")).to_have_text("Chờ vào sổ")
    expect(page.get_by_test_id("verdict")).to_have_text("Chữ ký hợp lệ.")
    expect(page.get_by_test_id("signatures")).to_contain_text("Chữ ký hợp lệ.")
    expect(page.get_by_test_id("urgency")).to_have_text("KHẨN")
    page.get_by_role("button", name="Vào sổ").click()
    expect(page.locator(".messages")).to_contain_text("Đã vào sổ văn bản đến, số đến 1.")
    detail = page.url
    sign_out(page)

    # The leader distributes it: the specialist leads, with five working days.
    sign_in(page, base, "honggai.lanhdao")
    page.goto(detail)
    page.get_by_role("link", name="Phân phối văn bản").click()
    page.get_by_label("Ý kiến chỉ đạo (bút phê)").fill("Giao đồng chí Minh chủ trì tham mưu")
    page.get_by_label("Đơn vị chủ trì").select_option(str(reply.agency_id))
    page.get_by_label("Người chủ trì xử lý").select_option(
        index=_option_index(page, "Người chủ trì xử lý", "Đỗ Văn Minh", "honggai.chuyenvien")
    )
    page.get_by_label("Thời hạn chủ trì (ngày làm việc)").fill("5")
    page.get_by_role("button", name="Phân phối").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã phân phối, đang giải quyết")
    expect(page.get_by_test_id("assignments")).to_contain_text("Giao đồng chí Minh chủ trì")
    sign_out(page)

    # The lead specialist finds it in the inbox, handles it and links the reply.
    sign_in(page, base, "honggai.chuyenvien")
    page.get_by_role("link", name="Văn bản đến").first.click()
    inbox = page.get_by_test_id("incoming-inbox")
    expect(inbox).to_contain_text("Được giao")
    inbox.get_by_role("link", name="05/SNV-VP").click()
    page.get_by_role("button", name="Bắt đầu xử lý").click()
    expect(page.locator(".messages")).to_contain_text("Đã bắt đầu xử lý.")
    page.get_by_label("Kết quả, đề xuất").fill("Đã dự thảo công văn trả lời")
    page.get_by_role("button", name="Hoàn thành").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã giải quyết xong")
    page.get_by_label("Văn bản đi trả lời").select_option(str(reply.pk))
    page.get_by_role("button", name="Gắn văn bản trả lời").click()
    expect(page.locator(".messages")).to_contain_text("Đã gắn văn bản trả lời.")
    expect(page.get_by_test_id("reply")).to_have_text(
        "01/UBND-VP"
    )  # a numbered reply is shown by its number
    expect(page.get_by_test_id("trace")).to_contain_text("Gắn văn bản trả lời")
    sheet = page.request.get(
        base
        + page.get_by_role("link", name="Phiếu giải quyết văn bản đến (PDF)").get_attribute("href")
    )
    assert sheet.ok and sheet.body().startswith(b"%PDF")


def _option_index(page, label, *texts):
    options = page.get_by_label(label).locator("option").all_inner_texts()
    return next(i for i, option in enumerate(options) if any(t in option for t in texts))
