"""A ZNS endpoint for tests: checks the token, the phone form (84…), the template and its
parameters; phones in ``not_on_zalo`` get an error, as for a number without a Zalo account.
The non-zero error numbers are this simulator's own (the public list was not available)."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import Any

from egov.contrib.simulation import HttpSimulator


class ZnsSimulator(HttpSimulator):
    def __init__(self, token: str, templates: dict[str, set[str]]) -> None:
        super().__init__()
        self.token = token
        self.templates = templates  # template id → required parameter names
        self.not_on_zalo: set[str] = set()
        self.sent: dict[str, dict[str, Any]] = {}  # tracking_id → request

    @property
    def url(self) -> str:
        return f"{self.base_url}/message/template"

    def handle_post(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("access_token") != self.token:
            self.answer(handler, 200, {"error": -124, "message": "Access token is invalid"})
            return
        request = json.loads(self.body(handler).decode("utf-8"))
        phone = str(request.get("phone", ""))
        template = str(request.get("template_id", ""))
        if not (phone.startswith("84") and phone.isdigit()):
            self.answer(handler, 200, {"error": -108, "message": "Phone number is invalid"})
        elif template not in self.templates:
            self.answer(handler, 200, {"error": -109, "message": "Template is invalid"})
        elif set(request.get("template_data") or {}) != self.templates[template]:
            self.answer(handler, 200, {"error": -1123, "message": "Template data is invalid"})
        elif phone in self.not_on_zalo:
            self.answer(handler, 200, {"error": -118, "message": "Zalo account not existed"})
        else:
            tracking = str(request.get("tracking_id", ""))
            self.sent.setdefault(tracking, request)
            self.answer(
                handler, 200, {"error": 0, "message": "Success", "data": {"msg_id": tracking}}
            )
