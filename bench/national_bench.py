"""National-portal push benchmark: drain an outbox backlog of 100,000 dossier status changes
to the DVCQG simulator on loopback (contrib/dvcqg, HTTP in a thread of this process), in order
per dossier, and report changes per second.

The backlog is 1,000 dossiers received through the service, then 100 status changes each
written straight into the event and outbox tables (the drain is measured, not the writing).
Every change is a DongBoHoSoMC record; a delivery run sends the head of each dossier's queue,
200 records per request.

Usage: EGOV_VAR_DIR=/tmp/x python bench/national_bench.py            (SQLite in that folder)
       DATABASE_URL=postgres://…/egov_bench_national python bench/national_bench.py
Prints one JSON line.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
os.environ["EGOV_NATIONAL_SYNC_ENABLED"] = "0"  # set up without the portal, then switch on

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from egov.accounts.models import User  # noqa: E402
from egov.catalog.selectors import version_by_code  # noqa: E402
from egov.contrib.dvcqg.simulator import DvcqgSimulator  # noqa: E402
from egov.dossiers.models import Dossier, DossierEvent  # noqa: E402
from egov.dossiers.services.reception import Applicant, Reception, dossier_receive  # noqa: E402
from egov.national.models import NationalSync, SyncStatus  # noqa: E402
from egov.national.payloads import event_snapshot  # noqa: E402
from egov.national.services.push import deliver_due  # noqa: E402
from egov.org.models import Unit  # noqa: E402

DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "1000"))
CHANGES = int(os.environ.get("BENCH_CHANGES", "100"))  # per dossier


def setup() -> list[Dossier]:
    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("load_demo")
    version = version_by_code("1.001612")
    assert version is not None
    unit = Unit.objects.get(key="qn.ttpvhcc")
    desk = User.objects.get(username="tinh.tiepnhan")
    components = {c.pk: (1, 0) for c in version.components.filter(required=True)}
    applicant = Applicant(kind="citizen", name="Nguyễn Văn An", personal_id="022084000123")
    return [
        dossier_receive(
            actor=desk,
            reception=Reception(
                unit=unit,
                version=version,
                channel="counter",
                applicant=applicant,
                components=components,
            ),
        )
        for _ in range(DOSSIERS)
    ]


def backlog(dossiers: list[Dossier]) -> int:
    """CHANGES status changes per dossier (processing ↔ supplement requested), each an event
    and its outbox row, as the subscriber writes them."""
    now = timezone.now()
    total = 0
    for dossier in dossiers:
        with transaction.atomic():
            events = DossierEvent.objects.bulk_create(
                DossierEvent(
                    dossier=dossier,
                    sequence=n,
                    action="hand_off" if n % 2 == 0 else "request_supplement",
                    from_status="received",
                    to_status="processing" if n % 2 == 0 else "supplement_requested",
                    at=now,
                )
                for n in range(2, CHANGES + 2)
            )
            for event in events:
                event.dossier = dossier
            NationalSync.objects.bulk_create(
                NationalSync(
                    dossier=dossier,
                    event=event,
                    payload=event_snapshot(event),
                    next_attempt_at=now,
                    created_at=now,
                )
                for event in events
            )
        total += len(events)
    return total


def main() -> None:
    dossiers = setup()
    rows = backlog(dossiers)
    simulator = DvcqgSimulator().start()
    settings.EGOV_NATIONAL_SYNC_ENABLED = True
    settings.EGOV_NATIONAL_PORTAL_URL = f"{simulator.base_url}/dvcqg"
    settings.EGOV_NATIONAL_CLIENT_ID = simulator.username
    settings.EGOV_NATIONAL_CLIENT_SECRET = simulator.password
    settings.EGOV_NATIONAL_UNIT_CODE = simulator.unit_code
    try:
        began = time.perf_counter()
        run = deliver_due()
        elapsed = time.perf_counter() - began
    finally:
        simulator.stop()
    left = NationalSync.objects.exclude(status=SyncStatus.SENT).count()
    in_order = all(
        [s for c, s, _ in simulator.store.history if c == d.code] == list(range(2, CHANGES + 2))
        for d in dossiers[:50]
    )
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "changes": rows,
                "dossiers": len(dossiers),
                "sent": run.sent,
                "left": left,
                "requests": simulator.requests,
                "seconds": round(elapsed, 1),
                "per_second": round(run.sent / elapsed),
                "in_order_sample": in_order,
            }
        )
    )


if __name__ == "__main__":
    main()
