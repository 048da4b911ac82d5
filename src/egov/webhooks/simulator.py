"""A partner's subscriber, protocol-true, for the tests and the benchmark: an HTTP server on
loopback that verifies each delivery with ``verification.verify_webhook`` (the helper the
documentation gives partners), refuses a forged or replayed message with 401, and processes
each ``webhook-id`` once (idempotent receiver): a repeated id is answered 200 and ignored.

``down`` makes it answer 503 (an outage); ``slow_once`` makes the next request be processed
but answered too late (a lost answer, after which the sender retries the same id).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from egov.contrib.simulation import HttpSimulator
from egov.webhooks.verification import InvalidWebhook, verify_webhook


class SubscriberSimulator(HttpSimulator):
    def __init__(self, secret: str = "", port: int = 0) -> None:
        super().__init__(port)
        self.secret = secret
        self.lock = threading.Lock()
        self.processed: dict[str, dict[str, Any]] = {}  # id → CloudEvent, in arrival order
        self.arrival_times: dict[str, float] = {}
        self.requests = 0
        self.duplicates = 0
        self.refused: list[str] = []
        self.down = False
        self.status_when_down = 503
        self.slow_once = 0.0

    def handle_post(self, handler: BaseHTTPRequestHandler) -> None:
        body = self.body(handler)
        with self.lock:
            self.requests += 1
            if self.down:
                self.answer(handler, self.status_when_down, {"error": "unavailable"})
                return
        try:
            msg_id = verify_webhook(self.secret, handler.headers, body)
        except InvalidWebhook as exc:
            with self.lock:
                self.refused.append(str(exc))
            self.answer(handler, 401, {"error": str(exc)})
            return
        with self.lock:
            if msg_id in self.processed:
                self.duplicates += 1
            else:
                self.processed[msg_id] = json.loads(body)
                self.arrival_times[msg_id] = time.time()
            delay, self.slow_once = self.slow_once, 0.0
        if delay:
            time.sleep(delay)
        # A broken pipe: the sender stopped waiting (the lost answer this simulates).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.answer(handler, 200, {"ok": True})

    def events(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.processed.values())
