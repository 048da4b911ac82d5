"""A postal operator's booking API, as ``gateway.HttpPostalGateway`` expects it, for tests and
local trials: checks the bearer key, answers the same number for a repeated Idempotency-Key,
and can be told to fail for a while (an operator outage)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from egov.contrib.postal.gateway import s10_number


class PostalSimulator:
    def __init__(self, api_key: str = "sim-key", operator: str = "Bưu điện mô phỏng") -> None:
        self.api_key = api_key
        self.operator = operator
        self.failures_left = 0
        self.bookings: dict[str, dict[str, Any]] = {}
        self._serial = 10_000_000
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
        return f"http://{host!s}:{port}/shipments"

    def start(self) -> PostalSimulator:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("Authorization") != f"Bearer {self.api_key}":
            self._answer(handler, 401, {"error": "unauthorized"})
            return
        length = int(handler.headers.get("Content-Length") or 0)
        try:
            shipment = json.loads(handler.rfile.read(length).decode("utf-8"))
            required = ("reference", "recipient_name", "address")
            if not all(str(shipment.get(k, "")).strip() for k in required):
                raise ValueError
        except ValueError:
            self._answer(handler, 400, {"error": "invalid shipment"})
            return
        with self._lock:
            if self.failures_left > 0:
                self.failures_left -= 1
                self._answer(handler, 503, {"error": "temporarily unavailable"})
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
        self._answer(
            handler,
            201,
            {"tracking_number": booking["tracking_number"], "operator": booking["operator"]},
        )
