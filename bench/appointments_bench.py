"""Online appointments at a busy centre (issue 17 §3) on PostgreSQL: every slot of the next
14 days booked to capacity on the demo centre's lines A, B and C (two places per counter
serving the line: four a slot on A and B, two on C), then counter 2 closed — half the bookings
of line A are beyond the plan. Times, median of 30 after a warm-up:

- ``appointments_beyond_plan`` (what the leader's page adds) and the leader's whole page;
- ``bookable_days`` of line A (what the booking page computes for its day list);
- ``appointment_book`` of the last free place of a slot (the line's row lock included).

Prints one JSON line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from service_index_bench import _median_ms  # noqa: E402  (median of 30 after a warm-up)

from egov.accounts.models import User  # noqa: E402
from egov.centre.appointment_selectors import (  # noqa: E402
    appointments_beyond_plan,
    bookable_days,
    line_slots,
)
from egov.centre.appointments import appointment_book  # noqa: E402
from egov.centre.models import (  # noqa: E402
    CODE_ALPHABET,
    CODE_LENGTH,
    Appointment,
    Counter,
    CounterService,
    ServiceLine,
)
from egov.org.models import Unit  # noqa: E402
from egov.workdays.engine import VIETNAM_TZ  # noqa: E402

CENTRE = "qn.ttpvhcc"
LINES = ("A", "B", "C")
RUNS = 30


def _code(number: int) -> str:
    """A distinct check-in code per booking (base 31 over the codes' alphabet)."""
    digits = []
    for _ in range(CODE_LENGTH):
        number, digit = divmod(number, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[digit])
    return "".join(digits)


def _fill(centre: Unit, now: dt.datetime) -> int:
    """Every slot of the coming 14 days booked to capacity, leaving one place free in the
    last slot of line C (for the booking timing)."""
    CounterService.objects.filter(line__centre=centre, line__code__in=LINES).update(
        appointment_places=2
    )
    Counter.objects.filter(centre=centre, number__in=(1, 2, 3, 4)).update(active=True)
    rows: list[Appointment] = []
    today = now.astimezone(VIETNAM_TZ).date()
    for line in ServiceLine.objects.filter(centre=centre, code__in=LINES):
        for offset in range(1, 15):
            for slot in line_slots(line, today + dt.timedelta(days=offset)):
                for place in range(slot.capacity):
                    rows.append(
                        Appointment(
                            centre=centre,
                            line=line,
                            day=slot.starts_at.astimezone(VIETNAM_TZ).date(),
                            starts_at=slot.starts_at,
                            ends_at=slot.ends_at,
                            code=_code(len(rows) + 1),
                            name="Người đặt thử",
                            phone=f"+849120{len(rows):05d}",
                            booked_at=now - dt.timedelta(minutes=place),
                        )
                    )
    rows.pop()  # one place left
    Appointment.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE centre_appointment")
    return len(rows)


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("the appointments benchmark runs on PostgreSQL (set DATABASE_URL)")
    call_command("migrate", verbosity=0)
    with Path(os.devnull).open("w") as devnull:
        call_command("load_demo", stdout=devnull)
    centre = Unit.objects.get(key=CENTRE)
    now = timezone.now()
    booked = _fill(centre, now)
    Counter.objects.filter(centre=centre, number=2).update(active=False)
    conflicts = appointments_beyond_plan(centre, now=now)
    beyond = sum(len(c.beyond) for c in conflicts)
    selector_ms, selector_queries = _median_ms(lambda: appointments_beyond_plan(centre, now=now))

    leader = User.objects.get(username="tinh.lanhdaotrungtam")
    client = Client()
    client.force_login(leader)
    page = reverse("workspace:queue_today")

    def leader_page() -> None:
        response = client.get(page, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.status_code

    with override_settings(EGOV_REQUIRE_STAFF_MFA=False):
        page_ms, page_queries = _median_ms(leader_page)

    line_a = ServiceLine.objects.get(centre=centre, code="A")
    days_ms, days_queries = _median_ms(lambda: bookable_days(line_a, now=now))

    line_c = ServiceLine.objects.get(centre=centre, code="C")
    last = Appointment.objects.filter(line=line_c).order_by("-starts_at").first()
    assert last is not None
    book_times = []
    for attempt in range(RUNS):
        began = time.perf_counter()
        made = appointment_book(
            actor=None,
            line=line_c,
            starts_at=last.starts_at,
            name="Người đặt cuối",
            phone=f"+84913{attempt:06d}",
        )
        book_times.append((time.perf_counter() - began) * 1000)
        made.delete()  # the place is free again for the next run
    print(
        json.dumps(
            {
                "appointments": booked,
                "slots_beyond_plan": len(conflicts),
                "appointments_beyond_plan": beyond,
                "beyond_plan_ms": selector_ms,
                "beyond_plan_queries": selector_queries,
                "leader_page_ms": page_ms,
                "leader_page_queries": page_queries,
                "bookable_days_ms": days_ms,
                "bookable_days_queries": days_queries,
                "book_last_place_ms": round(statistics.median(book_times), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
