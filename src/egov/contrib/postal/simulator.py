"""A postal operator's booking API, as ``gateway.HttpPostalGateway`` expects it, for tests and
local trials: checks the bearer key, answers the same number for a repeated Idempotency-Key,
and can be told to fail for a while (an operator outage)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any

from egov.contrib.postal.gateway import s10_number
from egov.contrib.simulation import HttpSimulator


class PostalSimulator(HttpSimulator):
    def __init__(self, api_key: str = "sim-key", operator: str = "Bưu điện mô phỏng") -> None:
        super().__init__()
        self.api_key = api_key
        self.operator = operator
        self.failures_left = 0
        self.bookings: dict[str, dict[str, Any]] = {}
        self._serial = 10_000_000
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"{self.base_url}/shipments"

    def handle_post(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("Authorization") != f"Bearer {self.api_key}":
            self.answer(handler, 401, {"error": "unauthorized"})
            return
        try:
            shipment = json.loads(self.body(handler).decode("utf-8"))
            required = ("reference", "recipient_name", "address")
            if not all(str(shipment.get(k, "")).strip() for k in required):
                raise ValueError
        except ValueError:
            self.answer(handler, 400, {"error": "invalid shipment"})
            return
        with self._lock:
            if self.failures_left > 0:
                self.failures_left -= 1
                self.answer(handler, 503, {"error": "temporarily unavailable"})
                return
            key = handler.headers.get("Idempotency-Key") or shipment["reference"]
            if key not in self.bookings:
                self._serial += 1
                self.bookings[key] = {
                    "tracking_number": s10_number(self._serial, service="EB"),
                    "operator": self.operator,
                    "shipment": shipment,
                }
            booking = self.bookings[key]
        self.answer(
            handler,
            201,
            {"tracking_number": booking["tracking_number"], "operator": booking["operator"]},
        )
