import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_citizen_pays_an_obligation_through_the_vnpay_simulator(page, live_quang_ninh, settings):
    from egov.dossiers.models import Dossier
    from egov.dossiers.services.reception import dossier_receive
    from egov.dossiers.services.transitions import dossier_transition
    from egov.dossiers.tests.helpers import reception, user

    base = live_quang_ninh.url
    settings.EGOV_VNPAY_PAY_URL = base + "/vnpay-sim/paymentv2/vpcpay.html"
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    dossier = dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off")
    dossier_transition(
        actor=user("tinh.chuyenvien"),
        dossier=dossier,
        action="request_payment",
        data={"amount": 250_000, "description": "Lệ phí cấp phiếu"},
    )
    page.goto(f"{base}/tra-cuu-ho-so/?ma={dossier.code}")
    page.get_by_role("link", name="Thanh toán trực tuyến").click()
    expect(page.get_by_test_id("payment-due")).to_contain_text("250000")
    page.get_by_role("button", name="Thanh toán qua VNPAY").click()
    expect(page.get_by_test_id("vnpay-sim")).to_contain_text("250000 VND")
    page.get_by_role("button", name="Thanh toán thành công").click()
    result = page.get_by_test_id("payment-result")
    expect(result).to_contain_text("Thanh toán thành công.")
    receipt = page.get_by_role("link", name=re.compile("biên nhận thanh toán"))
    response = page.request.get(base + receipt.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
    assert Dossier.objects.get(pk=dossier.pk).status == "processing"
    page.goto(f"{base}/tra-cuu-ho-so/?ma={dossier.code}")
    expect(page.get_by_test_id("dossier-status")).to_contain_text("Đã thực hiện nghĩa vụ tài chính")
