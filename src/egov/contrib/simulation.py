"""What every simulator of an outside system shares: a local HTTP server on a free port, in a
thread, answering JSON."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class HttpSimulator:
    def __init__(self, port: int = 0) -> None:
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                simulator.handle_get(self)

            def do_POST(self) -> None:
                simulator.handle_post(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        # A short poll interval: stop() waits for the next poll (0.5 s by default, per test).
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def body(handler: BaseHTTPRequestHandler) -> bytes:
        return handler.rfile.read(int(handler.headers.get("Content-Length") or 0))

    @staticmethod
    def answer(handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def handle_get(self, handler: BaseHTTPRequestHandler) -> None:
        self.answer(handler, 405, {"error": "method not allowed"})

    def handle_post(self, handler: BaseHTTPRequestHandler) -> None:
        self.answer(handler, 405, {"error": "method not allowed"})
