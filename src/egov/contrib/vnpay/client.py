"""Calls to VNPAY's merchant API: querydr (transaction query), to settle payments whose IPN
never arrived (integration.md §1.2.5: POST JSON, pipe-joined checksums both ways)."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.utils import timezone

from egov.contrib.vnpay import protocol


class VnpayError(Exception):
    """The gateway could not be asked, or its answer is not trustworthy."""


@dataclass(frozen=True)
class Merchant:
    api_url: str
    tmn_code: str
    secret: str
    server_ip: str = "127.0.0.1"
    timeout: int = 10


def querydr(
    merchant: Merchant, *, txn_ref: str, order_info: str, transaction_date: str
) -> dict[str, str]:
    body = {
        "vnp_RequestId": secrets.token_hex(16),
        "vnp_Version": protocol.VERSION,
        "vnp_Command": "querydr",
        "vnp_TmnCode": merchant.tmn_code,
        "vnp_TxnRef": txn_ref,
        "vnp_OrderInfo": order_info,
        "vnp_TransactionDate": transaction_date,
        "vnp_CreateDate": protocol.vnpay_time(timezone.now()),
        "vnp_IpAddr": merchant.server_ip,
    }
    body["vnp_SecureHash"] = protocol.pipe_checksum(
        body, protocol.QUERYDR_REQUEST_FIELDS, merchant.secret
    )
    request = urllib.request.Request(  # noqa: S310 (configured https URL)
        merchant.api_url,
        data=json.dumps(body).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=merchant.timeout) as response:  # noqa: S310
            answer = {k: str(v) for k, v in json.loads(response.read().decode("utf-8")).items()}
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
        raise VnpayError(f"querydr failed: {exc}") from None
    expected = protocol.pipe_checksum(answer, protocol.QUERYDR_RESPONSE_FIELDS, merchant.secret)
    if answer.get("vnp_SecureHash", "").lower() != expected:
        raise VnpayError("querydr answer has an invalid checksum")
    return answer
