"""Booking a result's delivery with a postal operator.

Two gateways behind one interface (``EGOV_POSTAL_GATEWAY``):

- ``local``: the desk's own register. The tracking number is made here in the UPU S10 format
  the operators use (two letters, eight digits, a check digit, "VN"), for a demo, the tests,
  or a desk that copies the operator's number by hand later.
- ``http``: an operator's booking API reached over HTTPS with a bearer key. The contract is
  small and ours — ``POST {url}`` with the shipment as JSON, answer ``201`` with
  ``{"tracking_number": "...", "operator": "..."}`` — because the national operator's API
  specification was not available to us; an operator-specific adapter maps onto it.
  ``simulator.py`` implements the contract for tests.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from typing import Protocol

from django.conf import settings

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
S10_RE = re.compile(r"^[A-Z]{2}\d{9}[A-Z]{2}$")


class PostalError(Exception):
    """The operator could not book the shipment now; the booking is tried again later."""


@dataclass(frozen=True)
class ShipmentRequest:
    reference: str  # our dossier code
    serial: int  # our shipment id, unique
    recipient_name: str
    recipient_phone: str
    address: str
    sender_unit: str
    content: str = "Kết quả giải quyết thủ tục hành chính"


@dataclass(frozen=True)
class Booking:
    tracking_number: str
    operator: str


def s10_check_digit(serial: str) -> int:
    """UPU S10 check digit of the 8-digit serial number."""
    if not re.fullmatch(r"\d{8}", serial):
        raise ValueError("S10 serial numbers have 8 digits")
    remainder = sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    return {10: 0, 11: 5}.get(check, check)


def s10_number(serial: int, *, service: str = "RR", country: str = "VN") -> str:
    digits = f"{serial % 10**8:08d}"
    return f"{service}{digits}{s10_check_digit(digits)}{country}"


def is_valid_s10(number: str) -> bool:
    number = number.strip().upper()
    if not S10_RE.fullmatch(number):
        return False
    return s10_check_digit(number[2:10]) == int(number[10])


class PostalGateway(Protocol):
    def book(self, request: ShipmentRequest) -> Booking: ...


class LocalPostalGateway:
    operator = "Sổ bưu gửi của Bộ phận Một cửa"

    def book(self, request: ShipmentRequest) -> Booking:
        return Booking(s10_number(request.serial), self.operator)


class HttpPostalGateway:
    def __init__(self, url: str, api_key: str, timeout: int) -> None:
        if not url.startswith(("https://", "http://")):
            raise PostalError("EGOV_POSTAL_API_URL is not set")
        self.url = url
        self.api_key = api_key
        self.timeout = timeout

    def book(self, request: ShipmentRequest) -> Booking:
        body = json.dumps(asdict(request), ensure_ascii=False).encode("utf-8")
        http_request = urllib.request.Request(  # noqa: S310 (the URL is configuration, http(s) only)
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.api_key}",
                "Idempotency-Key": f"{request.reference}/{request.serial}",
            },
        )
        try:
            with urllib.request.urlopen(http_request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
            raise PostalError(f"postal operator unreachable or invalid answer: {exc}") from None
        number = str(answer.get("tracking_number", "")).strip().upper()
        if status not in (200, 201) or not is_valid_s10(number):
            raise PostalError(f"postal operator answered {status} without a valid number")
        return Booking(number, str(answer.get("operator", ""))[:50])


def postal_gateway() -> PostalGateway:
    if settings.EGOV_POSTAL_GATEWAY == "http":
        return HttpPostalGateway(
            settings.EGOV_POSTAL_API_URL,
            settings.EGOV_POSTAL_API_KEY,
            settings.EGOV_POSTAL_TIMEOUT_SECONDS,
        )
    return LocalPostalGateway()
