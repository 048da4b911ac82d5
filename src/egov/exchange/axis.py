"""The document axis (Trục liên thông văn bản quốc gia) as egov sees it: one interface —
send, poll (the pending list), fetch, acknowledge, send a status message, the agency
directory — and its HTTP implementation against the axis protocol of
``egov.contrib.axis`` (docs/exchange.md; the real axis's wire protocol is unconfirmed, so a
VPCP-SDK sidecar or a provincial LGSP would be another implementation of ``Axis``).

Errors are typed: ``AxisUnavailable`` (no answer, a timeout, 5xx: try again later, nothing is
lost) and ``AxisRefused`` (the axis answered no: bad credentials, a bad package, an unknown
recipient — retrying the same call will not help).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import requests
from django.conf import settings

EDOC, STATUS = "edoc", "status"


class AxisError(Exception):
    pass


class AxisUnavailable(AxisError):
    """The axis did not answer, or answered that it cannot serve now."""


class AxisRefused(AxisError):
    """The axis refused the call (its error code and description)."""

    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(f"{status} {code}: {description}")
        self.status = status
        self.code = code
        self.description = description


@dataclass(frozen=True)
class SendReceipt:
    message_id: str
    duplicate: bool


@dataclass(frozen=True)
class PendingMessage:
    id: str
    message_type: str
    from_organ: str
    to_organ: str
    document_id: str
    business_type: str


@dataclass(frozen=True)
class DirectoryEntry:
    code: str
    name: str
    status: str
    via: str


class Axis(Protocol):
    def send(self, package: bytes) -> SendReceipt: ...

    def send_status(self, package: bytes) -> SendReceipt: ...

    def pending(self, message_type: str | None = None) -> list[PendingMessage]: ...

    def fetch(self, message_id: str) -> bytes: ...

    def acknowledge(self, message_id: str) -> None: ...

    def directory(self) -> list[DirectoryEntry]: ...


class HttpAxis:
    """The axis protocol over HTTP (``requests``, a timeout on every call)."""

    def __init__(
        self,
        *,
        base_url: str,
        organ_id: str,
        secret: str,
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.organ_id = organ_id
        self._secret = secret
        self.timeout = timeout
        self.session = session or requests.Session()

    def __repr__(self) -> str:  # never the secret
        return f"HttpAxis({self.base_url!r}, organ_id={self.organ_id!r})"

    def _call(
        self,
        method: str,
        path: str,
        *,
        data: bytes | None = None,
        json_body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        all_headers = {"systemid": self.organ_id, "secretkey": self._secret, **(headers or {})}
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                data=data,
                json=json_body,
                params=params,
                headers=all_headers,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise AxisUnavailable(f"{method} {path}: {type(exc).__name__}") from None
        if response.status_code >= 500 or response.status_code == 429:
            raise AxisUnavailable(f"{method} {path}: HTTP {response.status_code}")
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            raise AxisRefused(
                response.status_code,
                str(body.get("errorCode") or "HTTP"),
                str(body.get("errorDesc") or response.reason),
            )
        return response

    def _json(self, response: requests.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            raise AxisUnavailable("the axis answered something that is not JSON") from None
        if not isinstance(body, dict) or body.get("status") != "OK":
            raise AxisUnavailable("the axis answered an unexpected body")
        return body

    def _send(self, package: bytes, message_type: str) -> SendReceipt:
        response = self._call(
            "POST",
            "/edoc/send",
            data=package,
            headers={"messagetype": message_type, "Content-Type": "application/xml"},
        )
        body = self._json(response)
        return SendReceipt(message_id=str(body["docId"]), duplicate=bool(body.get("duplicate")))

    def send(self, package: bytes) -> SendReceipt:
        return self._send(package, EDOC)

    def send_status(self, package: bytes) -> SendReceipt:
        return self._send(package, STATUS)

    def pending(self, message_type: str | None = None) -> list[PendingMessage]:
        params = {"messagetype": message_type} if message_type else None
        body = self._json(self._call("GET", "/edoc/received", params=params))
        return [
            PendingMessage(
                id=str(item["docId"]),
                message_type=str(item["messagetype"]),
                from_organ=str(item["from"]),
                to_organ=str(item["to"]),
                document_id=str(item["documentId"]),
                business_type=str(item.get("businessType", "")),
            )
            for item in body.get("data", [])
        ]

    def fetch(self, message_id: str) -> bytes:
        return self._call("GET", f"/edoc/{message_id}").content

    def acknowledge(self, message_id: str) -> None:
        self._json(self._call("POST", f"/edoc/{message_id}/status", json_body={"status": "done"}))

    def directory(self) -> list[DirectoryEntry]:
        body = self._json(self._call("GET", "/agencies"))
        return [
            DirectoryEntry(
                code=str(item["code"]),
                name=str(item["name"]),
                status=str(item["status"]),
                via=str(item.get("via", "")),
            )
            for item in body.get("data", [])
        ]


def configured_axis() -> HttpAxis | None:
    """The axis of the settings (``EGOV_AXIS_URL``, ``EGOV_AXIS_ORGAN_ID``,
    ``EGOV_AXIS_SECRET``), or None when the exchange is not configured."""
    if not settings.EGOV_AXIS_URL or not settings.EGOV_AXIS_ORGAN_ID:
        return None
    return HttpAxis(
        base_url=settings.EGOV_AXIS_URL,
        organ_id=settings.EGOV_AXIS_ORGAN_ID,
        secret=settings.EGOV_AXIS_SECRET,
        timeout=settings.EGOV_AXIS_TIMEOUT_SECONDS,
    )
