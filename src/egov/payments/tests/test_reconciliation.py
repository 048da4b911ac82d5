"""Settling payments whose IPN was lost (querydr against the simulator over HTTP) and the
unit's reconciliation report (page and Excel)."""

import io
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from egov.contrib.vnpay import simulator
from egov.dossiers.models import DossierStatus
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.payments.models import OnlinePayment, PaymentStatus
from egov.payments.services import reconcile_pending


def awaiting_payment(amount=300_000):
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    dossier = dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off")
    return dossier_transition(
        actor=user("tinh.chuyenvien"),
        dossier=dossier,
        action="request_payment",
        data={"amount": amount},
    )


def start(client, dossier):
    location = client.post(f"/thanh-toan/{dossier.code}/")["Location"]
    return dict(parse_qsl(urlsplit(location).query))


@pytest.mark.django_db(transaction=True)
def test_lost_ipn_is_settled_by_querydr(quang_ninh, client, live_server, settings):
    settings.EGOV_VNPAY_API_URL = live_server.url + "/vnpay-sim/merchant_webapi/api/transaction"
    paid_dossier, unpaid_dossier, abandoned_dossier = (awaiting_payment() for _ in range(3))
    paid_request = start(client, paid_dossier)
    simulator.play(paid_request, "success")  # the gateway took the money; its IPN was lost
    unpaid_request = start(client, unpaid_dossier)
    simulator.play(unpaid_request, "insufficient")
    start(client, abandoned_dossier)  # the citizen closed the gateway's page
    assert reconcile_pending().paid == 0  # nothing has expired yet
    later = timezone.now() + timezone.timedelta(minutes=30)
    run = reconcile_pending(now=later)
    assert (run.paid, run.failed, run.unknown) == (1, 2, 0)
    paid_dossier.refresh_from_db()
    unpaid_dossier.refresh_from_db()
    assert paid_dossier.status == DossierStatus.PROCESSING
    assert unpaid_dossier.status == DossierStatus.AWAITING_PAYMENT
    statuses = dict(OnlinePayment.objects.values_list("dossier_id", "status"))
    assert statuses[paid_dossier.pk] == PaymentStatus.PAID
    assert statuses[abandoned_dossier.pk] == PaymentStatus.FAILED
    assert reconcile_pending(now=later) == type(run)(0, 0, 0)  # settled once
    # The gateway cannot be reached: the payment stays pending, to be asked again later.
    settings.EGOV_VNPAY_API_URL = "http://127.0.0.1:9/merchant_webapi/api/transaction"
    awaiting = awaiting_payment()
    start(client, awaiting)
    assert reconcile_pending(now=later + timezone.timedelta(hours=1)).unknown == 1
    assert OnlinePayment.objects.get(dossier=awaiting).status == PaymentStatus.PENDING


@pytest.mark.django_db
def test_reconciliation_page_and_excel(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier = awaiting_payment(amount=120_000)
    request = start(client, dossier)
    result = simulator.play(request, "success")
    client.get("/thanh-toan/vnpay/ipn/", result)
    start(client, awaiting_payment(amount=80_000))
    client.force_login(user("tinh.tiepnhan"))
    page = client.get("/staff/thanh-toan/").content.decode()
    assert dossier.code in page and request["vnp_TxnRef"] in page
    assert "1 giao dịch, 120.000 đ" in page and "1 giao dịch, 80.000 đ" in page
    workbook = client.get("/staff/thanh-toan/", {"xlsx": "1"})
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "Mã hồ sơ" and any(row[1] == dossier.code for row in rows)
    assert any(row[0] == "Đã thanh toán" and row[5] == 120_000 for row in rows)
    client.force_login(user("honggai.tiepnhan"))  # another unit sees none of it
    assert dossier.code not in client.get("/staff/thanh-toan/").content.decode()
    bad = client.get("/staff/thanh-toan/", {"tu": "2026-13-01"})
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.content.decode()
