"""The province's side of the DVCQG adapter protocol (``simulator`` has the other side and
says which parts are unconfirmed).

One ``DvcqgClient`` logs in with the province's username and password (``session`` token),
logs in again once when the portal says the session is invalid or expired (``01``), and turns
every failure to reach the portal (refused connection, timeout, HTTP 5xx, an answer that is not
the protocol's JSON) into ``DvcqgUnavailable``: the caller keeps the work and tries later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import requests

SESSION_INVALID = "01"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"  # yyyyMMddHHmmss, Asia/Ho_Chi_Minh (integration.md §2.2)


def national_time(value: dt.datetime) -> str:
    return value.astimezone(VIETNAM).strftime(DATE_FORMAT)


def parse_national_time(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, DATE_FORMAT).replace(tzinfo=VIETNAM)


class DvcqgUnavailable(Exception):
    """The portal cannot be reached or did not answer in the protocol; try again later."""


class DvcqgRefused(Exception):
    """The portal answered and refused the whole request (wrong credentials, bad request)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class RecordResult:
    key: str
    code: str
    message: str

    @property
    def ok(self) -> bool:
        return self.code == "00"


@dataclass(frozen=True)
class DvcqgConfig:
    url: str  # the adapter URL, e.g. https://…/dvcqg (unconfirmed paths below it)
    username: str
    password: str
    unit_code: str  # madonvi: the unit's electronic identifier (QĐ 20/2020/QĐ-TTg)
    timeout: float = 10.0


class DvcqgClient:
    def __init__(self, config: DvcqgConfig) -> None:
        self.config = config
        self.http = requests.Session()
        self.session_token = ""

    def close(self) -> None:
        self.http.close()

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        if not self.config.url.startswith(("https://", "http://")):
            # Kept as a retryable failure: the work waits until the URL is configured.
            raise DvcqgUnavailable("EGOV_NATIONAL_PORTAL_URL is not set")
        try:
            response = self.http.post(
                f"{self.config.url.rstrip('/')}{path}", json=body, timeout=self.config.timeout
            )
        except requests.RequestException as exc:
            raise DvcqgUnavailable(f"portal unreachable: {type(exc).__name__}") from None
        if response.status_code >= 500 or response.status_code == 429:
            raise DvcqgUnavailable(f"portal answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise DvcqgUnavailable(
                f"portal answered HTTP {response.status_code}, not JSON"
            ) from None
        if not isinstance(answer, dict):
            raise DvcqgUnavailable("portal answered JSON that is not an object")
        return answer

    def login(self) -> None:
        answer = self._post(
            "/auth", {"username": self.config.username, "password": self.config.password}
        )
        token = answer.get("session")
        if str(answer.get("error_code")) not in ("0", "00") or not token:
            raise DvcqgRefused(str(answer.get("error_code", "")), str(answer.get("message", "")))
        self.session_token = str(token)

    def call(self, endpoint: str, service: str, **fields: Any) -> list[Any]:
        """Call ``service`` on ``/integration`` or ``/share``; its ``result`` list."""
        for attempt in (1, 2):
            if not self.session_token:
                self.login()
            body = {
                "session": self.session_token,
                "madonvi": self.config.unit_code,
                "service": service,
                **fields,
            }
            answer = self._post(f"/{endpoint}", body)
            code = str(answer.get("error_code", ""))
            if code == SESSION_INVALID and attempt == 1:
                self.session_token = ""
                continue
            if code not in ("0", "00"):
                raise DvcqgRefused(code, str(answer.get("message", "")))
            result = answer.get("result", answer.get("data", []))
            return result if isinstance(result, list) else []
        raise DvcqgRefused(SESSION_INVALID, "session refused after a new login")

    def sync_dossiers(self, records: list[dict[str, Any]], *, updating: bool) -> list[RecordResult]:
        """``DongBoHoSoMC``: the portal's answer for each record, in order."""
        result = self.call(
            "integration",
            "DongBoHoSoMC",
            isUpdating="True" if updating else "False",
            data=records,
        )
        by_key = {str(item.get("MaHoSo", "")): item for item in result if isinstance(item, dict)}
        if len(by_key) != len({r["MaHoSo"] for r in records}):
            raise DvcqgUnavailable("portal answered without a result for every record")
        return [
            RecordResult(
                r["MaHoSo"],
                str(by_key[r["MaHoSo"]].get("error_code", "")),
                str(by_key[r["MaHoSo"]].get("message", ""))[:300],
            )
            for r in records
        ]
