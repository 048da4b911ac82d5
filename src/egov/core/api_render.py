"""How the API writes JSON: one rule for every moment in every answer.

Every datetime leaves as RFC 3339 in Việt Nam time with its offset, ``2026-05-04T17:00:00+07:00``
(milliseconds only when there are any) — the time an officer and a citizen read on the receipt,
and the same instant for any program that honours the offset (docs/api-conventions.md). The
moments stored inside event data as text (``applicant_until``, ``new_due``…) are written the
same way by ``normalise_moments``. Inputs must carry an offset (``pydantic.AwareDatetime``);
any offset is accepted."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

API_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Text that is a whole RFC 3339 / ISO 8601 moment with an offset (event data keeps them so).
_MOMENT_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$"
)


def rfc3339(value: dt.datetime) -> str:
    """An aware moment as the API writes it; a naive one is taken as Việt Nam time."""
    moment = value.replace(tzinfo=API_TZ) if value.tzinfo is None else value.astimezone(API_TZ)
    text = moment.isoformat(timespec="milliseconds" if moment.microsecond else "seconds")
    return text


def normalise_moments(value: Any) -> Any:
    """``value`` (JSON data) with every text that is a moment with an offset rewritten by
    ``rfc3339``; other text, numbers and dates unchanged."""
    if isinstance(value, dict):
        return {key: normalise_moments(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise_moments(item) for item in value]
    if isinstance(value, str) and _MOMENT_RE.match(value):
        try:
            return rfc3339(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value
    return value


class ApiJSONEncoder(NinjaJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            return rfc3339(o)
        return super().default(o)


class ApiRenderer(JSONRenderer):
    encoder_class = ApiJSONEncoder
