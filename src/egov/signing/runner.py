"""pyHanko's synchronous entry points start their own asyncio loop (``asyncio.run``), which
fails in a thread whose loop is already running (an async view, Playwright's sync API in
tests). There, the work runs in a short-lived worker thread instead."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def outside_event_loop(function: Callable[[], T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="egov-signing") as pool:
        return pool.submit(function).result()
