"""Ký số từ xa in the browser: the ward's leader signs from the queue, the page says it waits
for the phone and, while the signing worker runs and the (simulated) phone approves, updates
itself through htmx polling to "Đã ký số." — under the site's Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.staff import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("signing_settings")]


def test_the_waiting_page_follows_the_phone(page, live_quang_ninh, settings, dev_pki):
    from egov.accounts.models import User
    from egov.contrib.csc.simulator import CscSimulator
    from egov.documents.actions import OutgoingAction as A
    from egov.documents.catalogue import AgencySettings
    from egov.documents.models import OutgoingDocument, OutgoingStatus
    from egov.documents.selectors import document_type
    from egov.documents.services.catalogue import document_types_load_national
    from egov.documents.services.outgoing import outgoing_transition
    from egov.documents.services.outgoing_drafts import outgoing_upload
    from egov.documents.tests.test_remote_signing import remote_method, run_signing_worker
    from egov.org.models import Unit
    from egov.signing.tests.fixtures import make_pdf

    settings.EGOV_REQUIRE_STAFF_MFA = False
    document_types_load_national(actor=None)
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    AgencySettings.objects.create(agency=ward, abbreviation="UBND", place_name="Hồng Gai")
    leader = User.objects.get(username="honggai.lanhdao")
    kind = document_type(ward, "to-trinh")
    assert kind is not None
    document = outgoing_upload(
        actor=User.objects.get(username="honggai.chuyenvien"),
        agency=ward,
        drafting_unit=ward,
        document_type=kind,
        subject="Tờ trình kinh phí trực Tết",
        data=make_pdf(),
        name="to-trinh.pdf",
        signer=leader,
    )
    for action, username in (
        (A.SUBMIT, "honggai.chuyenvien"),
        (A.APPROVE_CONTENT, "honggai.lanhdao"),
        (A.APPROVE_FORMAT, "honggai.vanthu"),
    ):
        document = outgoing_transition(
            actor=User.objects.get(username=username), document=document, action=action
        )
    simulator = CscSimulator().start()
    try:
        remote_method(simulator, dev_pki, leader, settings)
        base = live_quang_ninh.url
        sign_in(page, base, "honggai.lanhdao")
        page.goto(f"{base}/staff/van-ban-di/cho-ky/")
        page.get_by_label("Tờ trình kinh phí trực Tết").check()
        page.get_by_role("button", name="Ký số các văn bản đã chọn").click()
        message = page.get_by_test_id("remote-signing-message")
        expect(message).to_have_text("Đang chờ xác nhận trên điện thoại…")

        simulator.auto_answer = "approve"  # the leader confirms on the phone
        run_signing_worker()
        expect(message).to_have_text("Đã ký số.")  # no reload: htmx asked again
        expect(page.get_by_test_id("remote-signing-status")).to_have_attribute(
            "data-state", "signed"
        )
    finally:
        simulator.stop()
    assert OutgoingDocument.objects.get(pk=document.pk).status == OutgoingStatus.SIGNED
