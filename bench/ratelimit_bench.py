"""Cost of counting one request against a rate limit (run by bench/run.py on a fresh
PostgreSQL database): egov's counter table (one atomic upsert) against Django's database
cache (add/incr), which the limits used first. Prints one JSON line."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402

from egov.core.ratelimit import hit_key  # noqa: E402

RUNS = 2000


def per_call_ms(count) -> float:
    for _ in range(100):  # warm-up
        count()
    rounds = []
    for _ in range(5):
        began = time.perf_counter()
        for _ in range(RUNS // 5):
            count()
        rounds.append((time.perf_counter() - began) / (RUNS // 5) * 1000)
    return round(statistics.median(rounds), 3)


def cache_count() -> None:
    if not cache.add("bench:rl", 1, timeout=120):
        cache.incr("bench:rl")


def main() -> None:
    call_command("migrate", verbosity=0)
    upsert = per_call_ms(lambda: hit_key("bench", "203.0.113.7", limit=10**9, window_seconds=60))
    database_cache = per_call_ms(cache_count)
    print(json.dumps({"runs": RUNS, "upsert_ms": upsert, "database_cache_ms": database_cache}))


if __name__ == "__main__":
    main()
