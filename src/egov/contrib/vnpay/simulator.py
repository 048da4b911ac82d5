"""The VNPAY simulator's rules (integration.md §1.2.8): what a payment request must satisfy,
and the signed result it produces."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping

from django.conf import settings
from django.utils import timezone

from egov.contrib.vnpay import protocol
from egov.contrib.vnpay.models import SimulatedTransaction

REQUIRED = (
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_Amount",
    "vnp_CurrCode",
    "vnp_TxnRef",
    "vnp_OrderInfo",
    "vnp_Locale",
    "vnp_ReturnUrl",
    "vnp_IpAddr",
    "vnp_CreateDate",
    "vnp_SecureHash",
)
OUTCOMES = {
    "success": ("00", "00"),
    "cancel": ("24", "02"),
    "insufficient": ("51", "02"),
    "timeout": ("11", "02"),
}


def request_problem(params: Mapping[str, str]) -> str | None:
    """Why VNPAY would reject this payment request (None: acceptable)."""
    missing = [name for name in REQUIRED if not params.get(name)]
    if missing:
        return "Thiếu tham số: " + ", ".join(missing)
    if params["vnp_Version"] != protocol.VERSION or params["vnp_Command"] != "pay":
        return "Sai phiên bản hoặc lệnh"
    if params["vnp_TmnCode"] != settings.EGOV_VNPAY_TMN_CODE:
        return "Mã website (vnp_TmnCode) không tồn tại"
    if "vnp_SecureHashType" in params:
        return "vnp_SecureHashType không dùng ở phiên bản 2.1.0"
    amount = params["vnp_Amount"]
    if not (amount.isdigit() and len(amount) <= 12 and int(amount) % 100 == 0 and int(amount)):
        return "Số tiền không hợp lệ"
    if params["vnp_CurrCode"] != "VND" or params["vnp_Locale"] not in ("vn", "en"):
        return "Loại tiền hoặc ngôn ngữ không hợp lệ"
    for name in ("vnp_CreateDate", "vnp_ExpireDate"):
        if name in params and protocol.parse_vnpay_time(params[name]) is None:
            return f"{name} sai định dạng yyyyMMddHHmmss"
    if not re.fullmatch(r"[A-Za-z0-9 ]{1,255}", params["vnp_OrderInfo"]):
        return "vnp_OrderInfo phải là tiếng Việt không dấu, không ký tự đặc biệt"
    if not protocol.verify(params, settings.EGOV_VNPAY_HASH_SECRET):
        return "Sai chữ ký (vnp_SecureHash)"
    expires = protocol.parse_vnpay_time(params.get("vnp_ExpireDate", ""))
    if expires is not None and expires < timezone.now():
        return "Giao dịch đã hết hạn"
    day = timezone.localdate()
    if SimulatedTransaction.objects.filter(
        txn_ref=params["vnp_TxnRef"], day=day, response_code="00"
    ).exists():
        return "vnp_TxnRef đã được thanh toán trong ngày"
    return None


def play(params: Mapping[str, str], outcome: str) -> dict[str, str]:
    """Record the outcome the tester chose and return the signed result parameters."""
    response_code, status = OUTCOMES[outcome]
    now = timezone.now()
    transaction, _ = SimulatedTransaction.objects.update_or_create(
        txn_ref=params["vnp_TxnRef"],
        day=timezone.localdate(),
        defaults={
            "amount": params["vnp_Amount"],
            "order_info": params["vnp_OrderInfo"],
            "create_date": params["vnp_CreateDate"],
            "pay_date": protocol.vnpay_time(now),
            "response_code": response_code,
            "transaction_status": status,
        },
    )
    result = {
        "vnp_Amount": params["vnp_Amount"],
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": f"VNP{transaction.transaction_no}",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": params["vnp_OrderInfo"],
        "vnp_PayDate": transaction.pay_date,
        "vnp_ResponseCode": response_code,
        "vnp_TmnCode": params["vnp_TmnCode"],
        "vnp_TransactionNo": transaction.transaction_no if response_code == "00" else "0",
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": params["vnp_TxnRef"],
    }
    result["vnp_SecureHash"] = protocol.sign(result, settings.EGOV_VNPAY_HASH_SECRET)
    return result


def call_ipn(ipn_url: str, result: Mapping[str, str]) -> str:
    """Notify the merchant server to server, as VNPAY does; returns its RspCode."""
    query = protocol.signed_string(result) + "&vnp_SecureHash=" + result["vnp_SecureHash"]
    try:
        with urllib.request.urlopen(f"{ipn_url}?{query}", timeout=10) as response:  # noqa: S310
            answer = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, ValueError, OSError):
        return ""
    code = str(answer.get("RspCode", ""))
    SimulatedTransaction.objects.filter(
        txn_ref=result["vnp_TxnRef"], day=timezone.localdate()
    ).update(merchant_answer=code)
    return code


def querydr(body: Mapping[str, str]) -> dict[str, str]:
    """Answer a transaction query (pipe checksums, integration.md §1.2.5)."""
    secret = settings.EGOV_VNPAY_HASH_SECRET
    expected = protocol.pipe_checksum(body, protocol.QUERYDR_REQUEST_FIELDS, secret)
    answer: dict[str, str] = {
        "vnp_ResponseId": f"SIM{timezone.now():%H%M%S%f}",
        "vnp_Command": "querydr",
        "vnp_TmnCode": str(body.get("vnp_TmnCode", "")),
        "vnp_TxnRef": str(body.get("vnp_TxnRef", "")),
    }
    found = (
        SimulatedTransaction.objects.filter(txn_ref=str(body.get("vnp_TxnRef", "")))
        .order_by("-day")
        .first()
    )
    if str(body.get("vnp_SecureHash", "")).lower() != expected:
        answer.update(vnp_ResponseCode="97", vnp_Message="Invalid checksum")
    elif found is None:
        answer.update(vnp_ResponseCode="91", vnp_Message="Transaction not found")
    else:
        answer.update(
            vnp_ResponseCode="00",
            vnp_Message="QueryDR Success",
            vnp_Amount=found.amount,
            vnp_BankCode="NCB",
            vnp_PayDate=found.pay_date,
            vnp_TransactionNo=found.transaction_no,
            vnp_TransactionType="01",
            vnp_TransactionStatus=found.transaction_status,
            vnp_OrderInfo=found.order_info,
        )
    answer["vnp_SecureHash"] = protocol.pipe_checksum(
        answer, protocol.QUERYDR_RESPONSE_FIELDS, secret
    )
    return answer
