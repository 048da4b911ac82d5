"""Zalo Notification Service (shared/domain/integration.md §4.2): ``POST
…/message/template`` with the OA's ``access_token`` header and
``{"phone": "84…", "template_id", "template_data", "tracking_id"}``; ``error == 0`` means sent
and ``data.msg_id`` identifies it. A non-zero ``error`` (phone not on Zalo, template not
approved…) will not improve by retrying: the caller falls back to SMS."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


class ZnsError(Exception):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class ZnsGateway:
    url: str
    access_token: str
    timeout: int = 10

    def send(
        self, *, phone: str, template_id: str, template_data: dict[str, Any], tracking_id: str
    ) -> str:
        body = {
            "phone": phone.removeprefix("+"),
            "template_id": template_id,
            "template_data": template_data,
            "tracking_id": tracking_id,
        }
        request = urllib.request.Request(  # noqa: S310 (configured https URL)
            self.url,
            data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/json", "access_token": self.access_token},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
            raise ZnsError(f"ZNS unreachable or invalid answer: {exc}", permanent=False) from None
        if answer.get("error") != 0:
            raise ZnsError(f"ZNS refused: error {answer.get('error')}", permanent=True)
        return str((answer.get("data") or {}).get("msg_id", ""))
