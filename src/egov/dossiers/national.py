"""Mapping of our dossier statuses and channels to the national public-service portal's codes
(TrangThaiHoSo 1–10; intake channel 1–3), kept as a versioned data file for the later sync."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

MAPPING_FILE = Path(__file__).resolve().parent / "data" / "national-status-codes.json"


@lru_cache(maxsize=1)
def national_mapping() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MAPPING_FILE.read_text(encoding="utf-8"))
    return data


def national_status_code(status: str) -> int:
    return int(national_mapping()["statuses"][status])


def national_channel_code(channel: str) -> int:
    return int(national_mapping()["channels"][channel])
