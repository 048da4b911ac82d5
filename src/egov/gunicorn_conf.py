"""gunicorn settings shared by `make run` (demo, SQLite) and `make serve` (production).

Used as ``gunicorn -c python:egov.gunicorn_conf egov.wsgi``. Every value can be changed from the
environment: EGOV_BIND, WEB_CONCURRENCY (worker processes), EGOV_WEB_THREADS (threads per
worker), EGOV_WEB_TIMEOUT (seconds before a stuck worker is restarted).

A large listen queue (backlog) keeps a burst of clients waiting for a free thread instead of
having their connections reset; threads keep requests that wait on the database (SQLite's
single writer, PostgreSQL locks) from blocking the whole worker.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("EGOV_BIND", "127.0.0.1:8000")
workers = _int("WEB_CONCURRENCY", 2)
worker_class = "gthread"
threads = _int("EGOV_WEB_THREADS", 4)
backlog = 2048
# A request that takes longer than this (default 60 s) restarts its worker; SQLite writers wait
# at most 20 s for the lock (settings.DATABASES), well inside it.
timeout = _int("EGOV_WEB_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# Bound request lines and headers (the body is bounded by egov.core.request_size).
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"
errorlog = "-"
# Send the app's own logging to the same console.
capture_output = True
