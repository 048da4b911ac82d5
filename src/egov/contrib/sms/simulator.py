"""An eSMS-style gateway for tests and local trials: checks the keys and the fields, drops a
repeated RequestId (answering the first SMSID), and can be switched off (HTTP 503) to play an
outage."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class SmsSimulator:
    def __init__(self, api_key: str, secret_key: str) -> None:
        self.api_key = api_key
        self.secret_key = secret_key
        self.down = False
        self.delivered: dict[str, dict[str, Any]] = {}  # RequestId → message
        self.calls = 0
        self._lock = threading.Lock()
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                simulator._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/MainService.svc/json/SendMultipleMessage_V4_post_json/"

    def start(self) -> SmsSimulator:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.calls += 1
            if self.down:
                self._answer(handler, 503, {"error": "unavailable"})
                return
        length = int(handler.headers.get("Content-Length") or 0)
        try:
            message = json.loads(handler.rfile.read(length).decode("utf-8"))
        except ValueError:
            self._answer(handler, 400, {"CodeResult": "99", "ErrorMessage": "bad json"})
            return
        if (message.get("ApiKey"), message.get("SecretKey")) != (self.api_key, self.secret_key):
            self._answer(handler, 200, {"CodeResult": "101", "ErrorMessage": "Sai ApiKey"})
            return
        phone = str(message.get("Phone", ""))
        if not (phone.startswith("0") and phone.isdigit() and len(phone) == 10):
            self._answer(handler, 200, {"CodeResult": "104", "ErrorMessage": "Sai số điện thoại"})
            return
        if message.get("SmsType") != "2" or not message.get("RequestId"):
            self._answer(handler, 200, {"CodeResult": "99", "ErrorMessage": "Thiếu trường"})
            return
        with self._lock:
            key = str(message["RequestId"])
            if key not in self.delivered:
                self.delivered[key] = {**message, "SMSID": f"SIM{len(self.delivered) + 1:08d}"}
            sms_id = self.delivered[key]["SMSID"]
        self._answer(handler, 200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms_id})
