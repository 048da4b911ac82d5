"""The VNPAY 2.1.0 protocol (shared/domain/integration.md §1.2): what is signed and how.

- Payment URL, return URL and IPN: every ``vnp_`` parameter except the hash fields and empty
  values, sorted by name, each name and value form-encoded (``quote_plus``), joined with ``&``;
  ``vnp_SecureHash`` = lower-case hex HMAC-SHA512 of that string with the hash secret.
- querydr: a pipe-joined list of fields in a fixed order, not sorted, not encoded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Mapping
from urllib.parse import quote_plus

from egov.core.text import without_diacritics

VERSION = "2.1.0"
VIETNAM = dt.timezone(dt.timedelta(hours=7))
HASH_FIELDS = ("vnp_SecureHash", "vnp_SecureHashType")

# IPN answers: exactly these codes and messages (VNPAY's samples).
IPN_OK = ("00", "Confirm Success")
IPN_ORDER_NOT_FOUND = ("01", "Order not found")
IPN_ALREADY_CONFIRMED = ("02", "Order already confirmed")
IPN_INVALID_AMOUNT = ("04", "Invalid amount")
IPN_BAD_SIGNATURE = ("97", "Invalid signature")
IPN_UNKNOWN_ERROR = ("99", "Unknown error")

QUERYDR_REQUEST_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERYDR_RESPONSE_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)


def signed_string(params: Mapping[str, str]) -> str:
    kept = sorted(
        (name, str(value))
        for name, value in params.items()
        if name.startswith("vnp_") and name not in HASH_FIELDS and str(value) != ""
    )
    return "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in kept)


def hmac_sha512(secret: str, message: str) -> str:
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha512).hexdigest()


def sign(params: Mapping[str, str], secret: str) -> str:
    return hmac_sha512(secret, signed_string(params))


def verify(params: Mapping[str, str], secret: str) -> bool:
    received = str(params.get("vnp_SecureHash", ""))
    return bool(received) and hmac.compare_digest(received.lower(), sign(params, secret))


def payment_url(base_url: str, params: Mapping[str, str], secret: str) -> str:
    query = signed_string(params)
    return f"{base_url}?{query}&vnp_SecureHash={hmac_sha512(secret, query)}"


def pipe_checksum(values: Mapping[str, str], fields: tuple[str, ...], secret: str) -> str:
    return hmac_sha512(secret, "|".join(str(values.get(name, "") or "") for name in fields))


def vnpay_time(moment: dt.datetime) -> str:
    """yyyyMMddHHmmss in GMT+7, as every VNPAY date field."""
    return moment.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")


def parse_vnpay_time(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)
    except ValueError:
        return None


def order_info(text: str) -> str:
    """VNPAY wants the description in Vietnamese without diacritics nor special characters."""
    plain = re.sub(r"[^A-Za-z0-9 ]+", " ", without_diacritics(text))
    return " ".join(plain.split())[:255]
