"""An SMS brandname gateway with the eSMS JSON API (shared/domain/integration.md §4.1):
``POST …/SendMultipleMessage_V4_post_json/`` with ApiKey, SecretKey, Phone, Content,
Brandname, SmsType "2" (customer care), IsUnicode, Sandbox and RequestId (the gateway drops a
repeated RequestId, which makes our retries safe); ``{"CodeResult": "100", "SMSID": …}`` means
accepted."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass


class SmsError(Exception):
    """The gateway did not accept the message now."""


@dataclass(frozen=True)
class EsmsGateway:
    url: str
    api_key: str
    secret_key: str
    brandname: str
    sandbox: bool = False
    timeout: int = 10

    def send(self, *, phone: str, text: str, request_id: str) -> str:
        """Send ``text`` to ``phone`` (E.164, +84…); returns the gateway's SMSID."""
        national = "0" + phone.removeprefix("+84") if phone.startswith("+84") else phone
        body = {
            "ApiKey": self.api_key,
            "SecretKey": self.secret_key,
            "Phone": national,
            "Content": text,
            "Brandname": self.brandname,
            "SmsType": "2",
            "IsUnicode": "0" if text.isascii() else "1",
            "Sandbox": "1" if self.sandbox else "0",
            "RequestId": request_id,
        }
        request = urllib.request.Request(  # noqa: S310 (configured https URL)
            self.url,
            data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
            raise SmsError(f"SMS gateway unreachable or invalid answer: {exc}") from None
        if str(answer.get("CodeResult")) != "100":
            raise SmsError(f"SMS gateway refused: CodeResult {answer.get('CodeResult')}")
        return str(answer.get("SMSID", ""))
