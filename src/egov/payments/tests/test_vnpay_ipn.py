"""Paying a financial obligation online: the signed URL, and the IPN answered exactly as VNPAY
documents — 97 tampered, 01 unknown order, 04 wrong amount, 02 replayed, 00 recorded."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings

from egov.contrib.vnpay import protocol
from egov.dossiers.models import DossierPayment, DossierStatus
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.notifications.models import Message
from egov.payments.models import GatewayMessage, OnlinePayment, PaymentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(quang_ninh):
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    dossier = dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off")
    return dossier_transition(
        actor=user("tinh.chuyenvien"),
        dossier=dossier,
        action="request_payment",
        data={"amount": 500_000, "description": "Lệ phí trước bạ"},
    )


def start(client, dossier):
    response = client.post(f"/thanh-toan/{dossier.code}/")
    assert response.status_code == 302
    url = response["Location"]
    return url, dict(parse_qsl(urlsplit(url).query))


def gateway_result(request, *, code="00", status="00", amount=None):
    """What VNPAY sends back for ``request`` (the payment URL's parameters), signed."""
    result = {
        "vnp_Amount": amount or request["vnp_Amount"],
        "vnp_BankCode": "NCB",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": request["vnp_OrderInfo"],
        "vnp_PayDate": "20261127101500",
        "vnp_ResponseCode": code,
        "vnp_TmnCode": request["vnp_TmnCode"],
        "vnp_TransactionNo": "14226112",
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": request["vnp_TxnRef"],
    }
    return {**result, "vnp_SecureHash": protocol.sign(result, settings.EGOV_VNPAY_HASH_SECRET)}


def ipn(client, params):
    response = client.get("/thanh-toan/vnpay/ipn/", params)
    assert response.status_code == 200
    return response.json()


def test_payment_url_is_signed_with_the_obligation(awaiting, client):
    page = client.get(f"/thanh-toan/{awaiting.code}/").content.decode()
    assert "500000" in page and "Lệ phí trước bạ" in page
    url, params = start(client, awaiting)
    assert url.startswith(settings.EGOV_VNPAY_PAY_URL + "?")
    assert protocol.verify(params, settings.EGOV_VNPAY_HASH_SECRET)
    assert params["vnp_Amount"] == "50000000" and params["vnp_Version"] == "2.1.0"
    assert params["vnp_OrderInfo"].isascii() and "vnp_SecureHashType" not in params
    assert params["vnp_ReturnUrl"].endswith("/thanh-toan/vnpay/ket-qua/")
    assert OnlinePayment.objects.get().status == PaymentStatus.PENDING


def test_ipn_answers_exactly_as_documented(awaiting, client):
    _, request = start(client, awaiting)
    good = gateway_result(request)
    tampered = {**good, "vnp_Amount": "100"}
    assert ipn(client, tampered) == {"RspCode": "97", "Message": "Invalid signature"}
    assert ipn(client, {k: v for k, v in good.items() if k != "vnp_SecureHash"})["RspCode"] == "97"
    unknown = gateway_result({**request, "vnp_TxnRef": "KHONGCO"})
    assert ipn(client, unknown) == {"RspCode": "01", "Message": "Order not found"}
    wrong_amount = gateway_result(request, amount="100")
    assert ipn(client, wrong_amount) == {"RspCode": "04", "Message": "Invalid amount"}
    awaiting.refresh_from_db()
    assert awaiting.status == DossierStatus.AWAITING_PAYMENT and not DossierPayment.objects.exists()
    assert ipn(client, good) == {"RspCode": "00", "Message": "Confirm Success"}
    awaiting.refresh_from_db()
    assert awaiting.status == DossierStatus.PROCESSING
    paid = DossierPayment.objects.get()
    assert (paid.amount, paid.method, paid.purpose) == (500_000, "online", "obligation")
    assert "14226112" in paid.reference and paid.recorded_by is None
    event = awaiting.events.last()
    assert (event.action, event.actor) == ("paid", None)
    assert Message.objects.filter(event="paid").exists()
    assert ipn(client, good) == {"RspCode": "02", "Message": "Order already confirmed"}
    assert DossierPayment.objects.count() == 1  # a replay changes nothing
    assert [m.answer for m in GatewayMessage.objects.filter(kind="ipn")] == [
        "97",
        "97",
        "01",
        "04",
        "00",
        "02",
    ]


def test_failed_payment_is_recorded_and_can_be_tried_again(awaiting, client):
    _, request = start(client, awaiting)
    assert ipn(client, gateway_result(request, code="24", status="02"))["RspCode"] == "00"
    assert OnlinePayment.objects.get().status == PaymentStatus.FAILED
    awaiting.refresh_from_db()
    assert awaiting.status == DossierStatus.AWAITING_PAYMENT
    back = client.get("/thanh-toan/vnpay/ket-qua/", gateway_result(request, code="24", status="02"))
    assert "Bạn đã hủy giao dịch." in back.content.decode()
    _, second = start(client, awaiting)
    assert second["vnp_TxnRef"] != request["vnp_TxnRef"]
    assert ipn(client, gateway_result(second))["RspCode"] == "00"
    awaiting.refresh_from_db()
    assert awaiting.status == DossierStatus.PROCESSING


def test_return_page_shows_but_never_records_and_rejects_forgeries(awaiting, client):
    _, request = start(client, awaiting)
    result = gateway_result(request)
    page = client.get("/thanh-toan/vnpay/ket-qua/", result).content.decode()
    assert "đang chờ cổng thanh toán xác nhận" in page  # the IPN has not come yet
    assert OnlinePayment.objects.get().status == PaymentStatus.PENDING
    forged = client.get("/thanh-toan/vnpay/ket-qua/", {**result, "vnp_ResponseCode": "00x"})
    assert forged.status_code == 400 and "sai chữ ký" in forged.content.decode()
    ipn(client, result)
    done = client.get("/thanh-toan/vnpay/ket-qua/", result).content.decode()
    assert "Thanh toán thành công." in done
    receipt = client.get(f"/thanh-toan/bien-lai/{request['vnp_TxnRef']}.pdf")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    assert client.get("/thanh-toan/bien-lai/KHONGCO.pdf").status_code == 404


def test_nothing_to_pay_is_said_clearly(quang_ninh, client):
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    page = client.get(f"/thanh-toan/{dossier.code}/")
    assert page.status_code == 409
    assert "không có khoản nào cần thanh toán" in page.content.decode()
    refused = client.post(f"/thanh-toan/{dossier.code}/")
    assert refused.status_code == 200 and not OnlinePayment.objects.exists()
    assert client.get("/thanh-toan/khong-phai-ma/").status_code == 404


def test_simulator_checks_requests_like_the_gateway(awaiting, client):
    url, request = start(client, awaiting)
    path = urlsplit(url).path
    page = client.get(path, request)
    assert page.status_code == 200 and "500000 VND" in page.content.decode()
    odd = client.get(path, {**request, "vnp_Amount": "50000001"})
    assert "Số tiền không hợp lệ" in odd.content.decode()
    bad = client.get(path, {**request, "vnp_Amount": "50000100"})
    assert bad.status_code == 400 and "Sai chữ ký" in bad.content.decode()
    unsigned = {k: v for k, v in request.items() if k != "vnp_SecureHash"}
    assert "Thiếu tham số: vnp_SecureHash" in client.get(path, unsigned).content.decode()
    resigned = {**request, "vnp_SecureHashType": "HmacSHA512"}
    assert "2.1.0" in client.get(path, resigned).content.decode()


def test_online_dossier_fee_is_paid_online_without_moving_the_dossier(awaiting, client):
    from egov.dossiers.models import Dossier
    from egov.payments.services import amount_due, fee_outstanding

    Dossier.objects.filter(pk=awaiting.pk).update(
        channel="online", fee_quoted=50_000, status=DossierStatus.PROCESSING
    )
    awaiting.refresh_from_db()
    assert amount_due(awaiting) == (50_000, "Phí, lệ phí của thủ tục", "fee")
    _, request = start(client, awaiting)
    assert request["vnp_Amount"] == "5000000"
    assert ipn(client, gateway_result(request))["RspCode"] == "00"
    awaiting.refresh_from_db()
    assert awaiting.status == DossierStatus.PROCESSING  # a fee does not move the dossier
    fee = DossierPayment.objects.get()
    assert (fee.purpose, fee.amount, fee.method) == ("fee", 50_000, "online")
    event = awaiting.events.order_by("-sequence").first()
    assert (event.action, event.from_status, event.to_status, event.data, event.actor) == (
        "record_payment",
        "processing",
        "processing",
        {"purpose": "fee", "amount": 50_000, "method": "online"},
        None,
    )
    assert fee_outstanding(awaiting) == 0 and amount_due(awaiting) is None
    # Counter dossiers pay their fee at the desk.
    Dossier.objects.filter(pk=awaiting.pk).update(channel="counter")
    awaiting.refresh_from_db()
    assert fee_outstanding(awaiting) == 0
