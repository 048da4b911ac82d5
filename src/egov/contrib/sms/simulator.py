"""An eSMS-style gateway for tests and local trials: checks the keys and the fields, drops a
repeated RequestId (answering the first SMSID), and can be switched off (HTTP 503) to play an
outage."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any

from egov.contrib.simulation import HttpSimulator


class SmsSimulator(HttpSimulator):
    def __init__(self, api_key: str, secret_key: str) -> None:
        super().__init__()
        self.api_key = api_key
        self.secret_key = secret_key
        self.down = False
        self.delivered: dict[str, dict[str, Any]] = {}  # RequestId → message
        self.calls = 0
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"{self.base_url}/MainService.svc/json/SendMultipleMessage_V4_post_json/"

    def handle_post(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.calls += 1
            if self.down:
                self.answer(handler, 503, {"error": "unavailable"})
                return
        try:
            message = json.loads(self.body(handler).decode("utf-8"))
        except ValueError:
            self.answer(handler, 400, {"CodeResult": "99", "ErrorMessage": "bad json"})
            return
        if (message.get("ApiKey"), message.get("SecretKey")) != (self.api_key, self.secret_key):
            self.answer(handler, 200, {"CodeResult": "101", "ErrorMessage": "Sai ApiKey"})
            return
        phone = str(message.get("Phone", ""))
        if not (phone.startswith("0") and phone.isdigit() and len(phone) == 10):
            self.answer(handler, 200, {"CodeResult": "104", "ErrorMessage": "Sai số điện thoại"})
            return
        if message.get("SmsType") != "2" or not message.get("RequestId"):
            self.answer(handler, 200, {"CodeResult": "99", "ErrorMessage": "Thiếu trường"})
            return
        with self._lock:
            key = str(message["RequestId"])
            if key not in self.delivered:
                self.delivered[key] = {**message, "SMSID": f"SIM{len(self.delivered) + 1:08d}"}
            sms_id = self.delivered[key]["SMSID"]
        self.answer(handler, 200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms_id})
