"""The national public-service portal's adapter (Cổng DVC quốc gia), as seen by a province, for
tests, benchmarks and local trials: HTTP on loopback with its own small store.

The protocol follows what is public of the DVCQG adapter (shared/domain/integration.md §2.2–2.4,
observed in OpenCPS; the official VPCP specification v1.4 was seen only as a table of contents):

- ``POST /dvcqg/auth`` ``{"username", "password"}`` → ``{"session", "error_code": 0}``;
- ``POST /dvcqg/integration`` and ``POST /dvcqg/share``: JSON ``{"session", "madonvi",
  "service", …}``; ``error_code`` ``"00"`` is success, results in ``result``.

Services: ``DongBoHoSoMC`` (dossier create/update with ``TrangThaiHoSo`` 1–10), ``TraCuuHoSo``,
``LayDanhSachTTHC`` / ``LayThuTuc`` (the published procedure catalog). Everything below is
**unconfirmed** and is our own choice where the notes say nothing, kept small and explicit:
the per-record answer in ``result`` (``MaHoSo``, ``error_code``, ``message``); the error codes
(``01`` session invalid or expired, ``02`` bad request, ``03`` update of an unknown dossier,
``04`` out of order); the ordering field ``ThuTuCapNhat`` (our event sequence); the "changed
since" filter ``NgayCapNhatTu`` of ``LayDanhSachTTHC``; and the two services for dossiers
submitted on the national portal, ``LayDanhSachHoSoChoTiepNhan`` / ``XacNhanDaNhanHoSo``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from egov.contrib.dvcqg.client import VIETNAM, national_time, parse_national_time
from egov.contrib.simulation import HttpSimulator

OK, SESSION_INVALID, BAD_REQUEST, UNKNOWN_DOSSIER, OUT_OF_ORDER = "00", "01", "02", "03", "04"
# Statuses after which a dossier does not change any more on the national portal: refused,
# withdrawn, stopped, returned (TrangThaiHoSo, integration.md §2.4).
TERMINAL = frozenset({3, 7, 8, 10})


@dataclass
class StoredDossier:
    record: dict[str, Any]
    sequence: int
    status: int


@dataclass
class CatalogEntry:
    detail: dict[str, Any]
    updated_at: dt.datetime


@dataclass
class SubmittedDossier:
    """A dossier a citizen submitted on the national portal, waiting for the province."""

    record: dict[str, Any]
    acknowledged: bool = False


@dataclass
class Store:
    dossiers: dict[str, StoredDossier] = field(default_factory=dict)
    # Every accepted change, in arrival order: (MaHoSo, ThuTuCapNhat, TrangThaiHoSo).
    history: list[tuple[str, int, int]] = field(default_factory=list)
    catalog: dict[str, CatalogEntry] = field(default_factory=dict)
    submitted: dict[str, SubmittedDossier] = field(default_factory=dict)


class DvcqgSimulator(HttpSimulator):
    def __init__(
        self,
        *,
        username: str = "egov-tinh",
        password: str = "mat-khau-mo-phong",  # noqa: S107 (a simulator's own test account)
        unit_code: str = "000.00.00.H49",
        session_seconds: int = 3600,
        unknown_update: str = "refuse",
    ) -> None:
        super().__init__()
        self.username = username
        self.password = password
        self.unit_code = unit_code
        self.session_seconds = session_seconds
        # What an update (isUpdating "True") of a dossier never created does: "refuse" (03) or
        # "create" — the real behaviour is unconfirmed.
        self.unknown_update = unknown_update
        self.down = False  # an outage: every request answers 503
        self.store = Store()
        self.sessions: dict[str, float] = {}
        self.requests = 0
        self._lock = threading.Lock()

    # --- set-up helpers for tests --------------------------------------------------------
    def publish(self, detail: dict[str, Any], *, at: dt.datetime | None = None) -> None:
        """Publish (or change) a procedure in the national catalog (keys as ``LayThuTuc``)."""
        with self._lock:
            self.store.catalog[str(detail["MATTHC"])] = CatalogEntry(
                copy.deepcopy(detail), at or dt.datetime.fromtimestamp(time.time(), VIETNAM)
            )

    def submit(self, record: dict[str, Any]) -> None:
        """A citizen submits a dossier on the national portal (keyed by ``MaHoSoQG``)."""
        with self._lock:
            self.store.submitted[str(record["MaHoSoQG"])] = SubmittedDossier(copy.deepcopy(record))

    # --- HTTP ----------------------------------------------------------------------------
    def handle_post(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests += 1
            if self.down:
                self.answer(handler, 503, {"error_code": "503", "message": "Service Unavailable"})
                return
        try:
            body = json.loads(self.body(handler).decode("utf-8"))
            if not isinstance(body, dict):
                raise ValueError
        except (ValueError, UnicodeDecodeError):
            self.answer(handler, 400, {"error_code": BAD_REQUEST, "message": "invalid JSON"})
            return
        path = handler.path.split("?", 1)[0]
        if path == "/dvcqg/auth":
            self.answer(handler, 200, self._login(body))
            return
        if path not in ("/dvcqg/integration", "/dvcqg/share"):
            self.answer(handler, 404, {"error_code": BAD_REQUEST, "message": "not found"})
            return
        with self._lock:
            if not self._session_valid(str(body.get("session", ""))):
                answer: dict[str, Any] = {
                    "error_code": SESSION_INVALID,
                    "message": "session invalid or expired",
                }
            elif body.get("madonvi") != self.unit_code:
                answer = {"error_code": BAD_REQUEST, "message": "unknown madonvi"}
            else:
                answer = self._dispatch(path, body)
        self.answer(handler, 200, answer)

    def _login(self, body: dict[str, Any]) -> dict[str, Any]:
        if not (
            secrets.compare_digest(str(body.get("username", "")), self.username)
            and secrets.compare_digest(str(body.get("password", "")), self.password)
        ):
            return {"error_code": SESSION_INVALID, "message": "wrong username or password"}
        token = secrets.token_urlsafe(24)
        with self._lock:
            self.sessions[token] = time.time() + self.session_seconds
        return {"session": token, "error_code": 0}

    def _session_valid(self, token: str) -> bool:
        expires = self.sessions.get(token)
        return expires is not None and time.time() < expires

    def _dispatch(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        service = body.get("service")
        handlers = {
            "/dvcqg/integration": {
                "DongBoHoSoMC": self._sync,
                "XacNhanDaNhanHoSo": self._acknowledge,
            },
            "/dvcqg/share": {
                "TraCuuHoSo": self._lookup,
                "LayDanhSachTTHC": self._procedures,
                "LayThuTuc": self._procedure,
                "LayDanhSachHoSoChoTiepNhan": self._pending,
            },
        }[path]
        method = handlers.get(str(service))
        if method is None:
            return {"error_code": BAD_REQUEST, "message": f"unknown service {service!r}"}
        return method(body)

    # --- integration services --------------------------------------------------------------
    def _sync(self, body: dict[str, Any]) -> dict[str, Any]:
        records = body.get("data")
        updating = str(body.get("isUpdating", "False")) == "True"
        if not isinstance(records, list) or not records:
            return {"error_code": BAD_REQUEST, "message": "data must be a non-empty list"}
        return {"error_code": OK, "result": [self._sync_one(r, updating) for r in records]}

    def _sync_one(self, record: Any, updating: bool) -> dict[str, Any]:
        if not isinstance(record, dict):
            return {"MaHoSo": "", "error_code": BAD_REQUEST, "message": "record must be an object"}
        code = str(record.get("MaHoSo", ""))
        try:
            status = int(record["TrangThaiHoSo"])
            sequence = int(record["ThuTuCapNhat"])
            for name in ("NgayTiepNhan", "NgayHenTra", "NgayTra"):
                if record.get(name):
                    parse_national_time(str(record[name]))
            if not code or not 1 <= status <= 10:
                raise ValueError
        except (KeyError, TypeError, ValueError):
            return {"MaHoSo": code, "error_code": BAD_REQUEST, "message": "invalid record"}
        stored = self.store.dossiers.get(code)
        if stored is None and updating and self.unknown_update == "refuse":
            return {"MaHoSo": code, "error_code": UNKNOWN_DOSSIER, "message": "unknown dossier"}
        if stored is not None:
            if sequence == stored.sequence and status == stored.status:
                return {"MaHoSo": code, "error_code": OK, "message": "duplicate, unchanged"}
            if sequence <= stored.sequence:
                return {"MaHoSo": code, "error_code": OUT_OF_ORDER, "message": "older update"}
            if stored.status in TERMINAL and status != stored.status:
                return {"MaHoSo": code, "error_code": OUT_OF_ORDER, "message": "dossier closed"}
        self.store.dossiers[code] = StoredDossier(copy.deepcopy(record), sequence, status)
        self.store.history.append((code, sequence, status))
        return {"MaHoSo": code, "error_code": OK, "message": "ok"}

    def _acknowledge(self, body: dict[str, Any]) -> dict[str, Any]:
        ids = body.get("data")
        if not isinstance(ids, list):
            return {"error_code": BAD_REQUEST, "message": "data must be a list"}
        result = []
        for national_id in ids:
            entry = self.store.submitted.get(str(national_id))
            if entry is not None:
                entry.acknowledged = True
            result.append({"MaHoSoQG": national_id, "error_code": OK if entry else UNKNOWN_DOSSIER})
        return {"error_code": OK, "result": result}

    # --- shared services -------------------------------------------------------------------
    def _lookup(self, body: dict[str, Any]) -> dict[str, Any]:
        stored = self.store.dossiers.get(str(body.get("mahoso", "")))
        return {"error_code": OK, "result": [stored.record] if stored else []}

    def _procedures(self, body: dict[str, Any]) -> dict[str, Any]:
        since = None
        if body.get("NgayCapNhatTu"):
            try:
                since = parse_national_time(str(body["NgayCapNhatTu"]))
            except ValueError:
                return {"error_code": BAD_REQUEST, "message": "invalid NgayCapNhatTu"}
        rows = [
            {
                "MATTHC": code,
                "TENTTHC": entry.detail.get("TENTTHC", ""),
                "NGAYCAPNHAT": national_time(entry.updated_at),
            }
            for code, entry in sorted(self.store.catalog.items())
            if since is None or entry.updated_at >= since
        ]
        return {"error_code": OK, "result": rows}

    def _procedure(self, body: dict[str, Any]) -> dict[str, Any]:
        entry = self.store.catalog.get(str(body.get("maTTHC", "")))
        if entry is None:
            return {"error_code": BAD_REQUEST, "message": "unknown maTTHC"}
        return {"error_code": OK, "result": [copy.deepcopy(entry.detail)]}

    def _pending(self, body: dict[str, Any]) -> dict[str, Any]:
        rows = [
            copy.deepcopy(entry.record)
            for _, entry in sorted(self.store.submitted.items())
            if not entry.acknowledged
        ]
        return {"error_code": OK, "result": rows}
