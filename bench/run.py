"""Runs the benchmarks of bench/ and writes docs/performance.md."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def bench_working_calendar() -> str:
    """Pure engine: 10,000 deadline computations of 1-30 working days."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    django.setup()
    from egov.core.validity import OPEN_END, OPEN_START
    from egov.workdays.engine import (
        STANDARD_WEEK,
        VIETNAM_TZ,
        ScheduleVersion,
        WorkCalendar,
        YearRules,
    )
    from egov.workdays.rules import statutory_holidays, with_compensatory_days

    def year_rules(year: int) -> YearRules:
        days = {h.date: h.name for h in with_compensatory_days(statutory_holidays(year))}
        return YearRules(days_off=days)

    calendar = WorkCalendar(
        schedules=[ScheduleVersion(OPEN_START, OPEN_END, STANDARD_WEEK)], year_rules=year_rules
    )
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=VIETNAM_TZ)
    calendar.add_working_days(start, 1)
    began = time.perf_counter()
    n = 10_000
    for i in range(n):
        calendar.add_working_days(start + dt.timedelta(minutes=37 * i), 1 + i % 30)
    elapsed = time.perf_counter() - began
    return f"| working calendar: add 1-30 working days | {n} | {elapsed / n * 1e6:.1f} µs/op |"


def main() -> int:
    rows = [bench_working_calendar()]
    out = ROOT / "docs" / "performance.md"
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    marker = "<!-- bench:results -->"
    table = "\n".join(["| benchmark | n | result |", "|---|---|---|", *rows])
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = f"{marker}\nLast run: {stamp}\n\n{table}\n"
    text = text[: text.index(marker)] + block if marker in text else text + "\n" + block
    out.write_text(text, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
