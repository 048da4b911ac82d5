"""A simulated mobile phone for the demo and local trials.

With ``EGOV_SMS_BACKEND=database`` nothing leaves the building, and the outbox keeps one-time
codes masked — so a person trying the demo would never see the code sent to "their" number.
Outside production (``EGOV_SIMULATED_PHONE``) the messages the worker delivers are also
dropped into this phone's inbox, shown at /dien-thoai-mo-phong/ for any number. The inbox
lives in the shared cache for an hour, like a phone's recent messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

KEEP_SECONDS = 3600
KEEP_MESSAGES = 20


@dataclass(frozen=True)
class Received:
    at: dt.datetime
    text: str


def _key(number: str) -> str:
    return f"simulated-phone:{number}"


def receive(number: str, text: str) -> None:
    inbox = [Received(timezone.now(), text), *cache.get(_key(number), [])]
    cache.set(_key(number), inbox[:KEEP_MESSAGES], timeout=KEEP_SECONDS)


def inbox(number: str) -> list[Received]:
    messages: list[Received] = cache.get(_key(number), [])
    return messages
