"""A ZNS endpoint for tests: checks the token, the phone form (84…), the template and its
parameters; phones in ``not_on_zalo`` get an error, as for a number without a Zalo account.
The non-zero error numbers are this simulator's own (the public list was not available)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ZnsSimulator:
    def __init__(self, token: str, templates: dict[str, set[str]]) -> None:
        self.token = token
        self.templates = templates  # template id → required parameter names
        self.not_on_zalo: set[str] = set()
        self.sent: dict[str, dict[str, Any]] = {}  # tracking_id → request
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
        return f"http://{host!s}:{port}/message/template"

    def start(self) -> ZnsSimulator:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("access_token") != self.token:
            self._answer(handler, {"error": -124, "message": "Access token is invalid"})
            return
        length = int(handler.headers.get("Content-Length") or 0)
        request = json.loads(handler.rfile.read(length).decode("utf-8"))
        phone = str(request.get("phone", ""))
        template = str(request.get("template_id", ""))
        if not (phone.startswith("84") and phone.isdigit()):
            self._answer(handler, {"error": -108, "message": "Phone number is invalid"})
        elif template not in self.templates:
            self._answer(handler, {"error": -109, "message": "Template is invalid"})
        elif set(request.get("template_data") or {}) != self.templates[template]:
            self._answer(handler, {"error": -1123, "message": "Template data is invalid"})
        elif phone in self.not_on_zalo:
            self._answer(handler, {"error": -118, "message": "Zalo account not existed"})
        else:
            tracking = str(request.get("tracking_id", ""))
            self.sent.setdefault(tracking, request)
            self._answer(handler, {"error": 0, "message": "Success", "data": {"msg_id": tracking}})
