"""The document axis (Trục liên thông văn bản quốc gia) over HTTP on loopback, for tests and
the demo: agencies authenticate with their organ code and secret, send edXML packages and
status messages, poll their pending list, fetch a package by its axis id, acknowledge it
("done") and read the agency directory.

The wire protocol of the real axis is not public (it sits behind VPCP's SDK, whose operations
are sendEdoc, getReceivedEdocList, getEdoc, updateStatus "done" and the agency service);
this simulator speaks the same operations over a small JSON/XML protocol of our own, described
in docs/exchange.md — unconfirmed against the real axis.

    POST /edoc/send                 body: the package (XML); header ``messagetype``: edoc|status
    GET  /edoc/received?messagetype=edoc|status    pending deliveries of the caller
    GET  /edoc/sent                 what the caller sent, per recipient
    GET  /edoc/<id>                 the package bytes (application/xml)
    POST /edoc/<id>/status          body {"status": "done"}: acknowledge
    GET  /agencies                  the directory

Every call carries ``systemid`` (the organ code) and ``secretkey``. Answers are JSON
``{"status": "OK", …}`` or ``{"status": "FAIL", "errorCode", "errorDesc"}``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from egov.contrib.axis.headers import (
    EDOC,
    MAX_PACKAGE_BYTES,
    MESSAGE_TYPES,
    HeaderError,
    read_header,
)
from egov.contrib.axis.store import AxisStore, Delivery, UnknownRecipient
from egov.contrib.simulation import HttpSimulator


def delivery_json(delivery: Delivery) -> dict[str, str]:
    return {
        "docId": delivery.id,
        "messageId": delivery.message_id,
        "messagetype": delivery.message_type,
        "from": delivery.from_organ,
        "to": delivery.to_organ,
        "documentId": delivery.document_id,
        "businessType": delivery.business_type,
        "created": delivery.created_at,
    }


class AxisSimulator(HttpSimulator):
    def __init__(self, store: AxisStore | None = None, port: int = 0) -> None:
        super().__init__(port)
        self.store = store or AxisStore()
        # False: every call is answered 503 (the axis is up but out of service).
        self.available = True
        self.failures_left = 0
        self.calls = 0
        self._lock = threading.Lock()

    # --- plumbing -------------------------------------------------------------------------

    def fail(self, handler: BaseHTTPRequestHandler, status: int, code: str, text: str) -> None:
        self.answer(handler, status, {"status": "FAIL", "errorCode": code, "errorDesc": text})

    def _caller(self, handler: BaseHTTPRequestHandler) -> set[str] | None:
        """The organ codes the authenticated caller speaks for, or None (answered 401)."""
        with self._lock:
            self.calls += 1
            down = not self.available or self.failures_left > 0
            if self.failures_left > 0:
                self.failures_left -= 1
        if down:
            self.fail(handler, 503, "UNAVAILABLE", "the axis is temporarily unavailable")
            return None
        system = (handler.headers.get("systemid") or "").strip()
        secret = handler.headers.get("secretkey") or ""
        if not system or not self.store.authenticate(system, secret):
            self.fail(handler, 401, "UNAUTHORIZED", "unknown systemid or wrong secretkey")
            return None
        return self.store.served_by(system) | {system}

    # --- routes ---------------------------------------------------------------------------

    def handle_get(self, handler: BaseHTTPRequestHandler) -> None:
        organs = self._caller(handler)
        if organs is None:
            return
        url = urlsplit(handler.path)
        parts = [p for p in url.path.split("/") if p]
        query = parse_qs(url.query)
        if parts == ["agencies"]:
            self.answer(
                handler,
                200,
                {
                    "status": "OK",
                    "data": [
                        {"code": a.code, "name": a.name, "status": a.status, "via": a.via}
                        for a in self.store.agencies()
                    ],
                },
            )
        elif parts == ["edoc", "received"]:
            kind = (query.get("messagetype") or [""])[0]
            if kind and kind not in MESSAGE_TYPES:
                self.fail(handler, 400, "BAD_REQUEST", "messagetype is edoc or status")
                return
            pending = self.store.pending(organs, kind or None)
            self.answer(handler, 200, {"status": "OK", "data": [delivery_json(d) for d in pending]})
        elif parts == ["edoc", "sent"]:
            sent = self.store.sent(organs)
            self.answer(handler, 200, {"status": "OK", "data": [delivery_json(d) for d in sent]})
        elif len(parts) == 2 and parts[0] == "edoc":
            found = self.store.fetch(parts[1], organs)
            if found is None:
                self.fail(handler, 404, "NOT_FOUND", "no such message for this agency")
                return
            delivery, body = found
            handler.send_response(200)
            handler.send_header("Content-Type", "application/xml")
            handler.send_header("Content-Length", str(len(body)))
            handler.send_header("X-Axis-Message-Type", delivery.message_type)
            handler.send_header("X-Axis-From", delivery.from_organ)
            handler.end_headers()
            handler.wfile.write(body)
        else:
            self.fail(handler, 404, "NOT_FOUND", "no such operation")

    def handle_post(self, handler: BaseHTTPRequestHandler) -> None:
        organs = self._caller(handler)
        if organs is None:
            return
        parts = [p for p in urlsplit(handler.path).path.split("/") if p]
        length = int(handler.headers.get("Content-Length") or 0)
        if length > MAX_PACKAGE_BYTES:
            self.fail(handler, 413, "TOO_LARGE", "package too large")
            return
        body = handler.rfile.read(length)
        if parts == ["edoc", "send"]:
            self._send(handler, organs, body)
        elif len(parts) == 3 and parts[0] == "edoc" and parts[2] == "status":
            try:
                wanted = json.loads(body.decode("utf-8") or "{}").get("status")
            except (ValueError, AttributeError):
                wanted = None
            if wanted != "done":
                self.fail(handler, 400, "BAD_REQUEST", 'body must be {"status": "done"}')
                return
            if not self.store.acknowledge(parts[1], organs):
                self.fail(handler, 404, "NOT_FOUND", "no such message for this agency")
                return
            self.answer(handler, 200, {"status": "OK", "docId": parts[1]})
        else:
            self.fail(handler, 404, "NOT_FOUND", "no such operation")

    def _send(self, handler: BaseHTTPRequestHandler, organs: set[str], body: bytes) -> None:
        message_type = (handler.headers.get("messagetype") or EDOC).strip()
        try:
            header = read_header(body, message_type)
        except HeaderError as exc:
            self.fail(handler, 400, "BAD_PACKAGE", str(exc))
            return
        if header.from_organ not in organs:
            self.fail(handler, 403, "FORBIDDEN_SENDER", "From/OrganId is not this system's")
            return
        sent_by = (handler.headers.get("systemid") or "").strip()
        try:
            message_id, known = self.store.store(header, body, sent_by=sent_by)
        except UnknownRecipient as exc:
            self.fail(handler, 422, "UNKNOWN_RECIPIENT", f"not on the axis: {exc}")
            return
        answer: dict[str, Any] = {
            "status": "OK",
            "docId": message_id,
            "duplicate": known,
            "documentId": header.document_id,
        }
        self.answer(handler, 200, answer)
