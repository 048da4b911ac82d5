"""Webhook fan-out benchmark (PostgreSQL): 10,000 dossier events fanned out to 5 subscribers
(the tests' subscriber simulator, verifying every signature, on loopback) while one delivery
worker sends them — fan-out rate (events/s, each in its own transaction as in production),
end-to-end rate (events delivered to all 5 subscribers per second) and the delivery latency
from the fan-out's commit to the subscriber's receipt (p50/p95/p99). The fan-out, the delivery
worker and the subscribers run in three processes, as they would in production.

Run by `make bench` (bench/run.py); prints one JSON line of results.
Usage: DATABASE_URL=… EGOV_VAR_DIR=… python bench/webhooks_bench.py [events]
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
os.environ["EGOV_WEBHOOKS_ALLOW_LOOPBACK_HTTP"] = "true"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from egov.accounts.models import Role, User  # noqa: E402
from egov.accounts.services import api_client_create  # noqa: E402
from egov.catalog.selectors import version_by_code  # noqa: E402
from egov.dossiers.models import Dossier, DossierEvent  # noqa: E402
from egov.dossiers.services.reception import Applicant, Reception, dossier_receive  # noqa: E402
from egov.org.models import Unit  # noqa: E402
from egov.webhooks.delivery import deliver_due  # noqa: E402
from egov.webhooks.fanout import NAMESPACE, on_dossier_event  # noqa: E402
from egov.webhooks.models import Delivery, DeliveryState  # noqa: E402
from egov.webhooks.services import SubscriptionInput, subscription_create  # noqa: E402
from egov.webhooks.simulator import SubscriberSimulator  # noqa: E402

SUBSCRIBERS = 5
TYPE = "dossier.status_changed"


def serve_subscribers() -> None:
    """Child process: the 5 subscribers (their own process and GIL, as a partner's server
    would be). Prints their URLs; reads their secrets, one a line; on "report" prints what
    they received."""
    simulators = [SubscriberSimulator().start() for _ in range(SUBSCRIBERS)]
    print(json.dumps([s.base_url for s in simulators]), flush=True)
    for simulator in simulators:
        simulator.secret = sys.stdin.readline().strip()
    sys.stdin.readline()  # "report"
    for simulator in simulators:
        simulator.stop()
    print(
        json.dumps(
            {
                "arrivals": {i: t for s in simulators for i, t in s.arrival_times.items()},
                "received": sum(len(s.processed) for s in simulators),
                "duplicates": sum(s.duplicates for s in simulators),
                "refused": sum(len(s.refused) for s in simulators),
            }
        ),
        flush=True,
    )


def setup(n: int, urls: list[str]) -> tuple[Dossier, list[DossierEvent], list[str]]:
    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("load_demo")
    centre = Unit.objects.get(key="qn.ttpvhcc")
    version = version_by_code("1.001612")
    assert version is not None
    dossier = dossier_receive(
        actor=User.objects.get(username="tinh.tiepnhan"),
        reception=Reception(
            unit=centre,
            version=version,
            channel="counter",
            applicant=Applicant(
                kind="citizen", name="Nguyễn Văn An", personal_id="022084000123", phone="0912345678"
            ),
            components={c.pk: (1, 0) for c in version.components.filter(required=True)},
        ),
    )
    now = timezone.now()
    # The domain events themselves are not what is measured: written in bulk beforehand.
    events = DossierEvent.objects.bulk_create(
        DossierEvent(
            dossier=dossier,
            sequence=2 + i,
            action="hand_off",
            from_status="received",
            to_status="processing",
            at=now,
        )
        for i in range(n)
    )
    client, _key = api_client_create(
        actor=None, name="bench", unit=Unit.objects.get(key="qn.ubnd"), role=Role.SYSTEM_ADMIN
    )
    secrets = []
    for url in urls:
        created = subscription_create(
            actor=client.user,
            owner=client,
            data=SubscriptionInput(url=url + "/hook", event_types=[TYPE]),
        )
        secrets.append(created.secret)
    dossier = Dossier.objects.select_related(
        "receiving_unit", "handling_unit", "procedure_version__procedure"
    ).get(pk=dossier.pk)
    return dossier, events, secrets


def deliver_until_done(producing: Any) -> None:
    """Worker process: one delivery worker, as ``db_worker`` runs the delivery task."""
    connection.close()
    while True:
        run = deliver_due(limit=500)
        if not (run.delivered or run.retried or run.dead):
            if (
                not producing.is_set()
                and not Delivery.objects.exclude(state=DeliveryState.DELIVERED).exists()
            ):
                break
            time.sleep(0.05)
    connection.close()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    partner = subprocess.Popen(
        [sys.executable, __file__, "--subscribers"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert partner.stdin is not None and partner.stdout is not None
    urls = json.loads(partner.stdout.readline())
    dossier, events, secrets = setup(n, urls)
    partner.stdin.write("\n".join(secrets) + "\n")
    partner.stdin.flush()
    committed: dict[str, float] = {}
    context = multiprocessing.get_context("fork")
    producing = context.Event()
    producing.set()
    connection.close()
    worker = context.Process(target=deliver_until_done, args=(producing,))
    began = time.perf_counter()
    worker.start()
    for event in events:
        event.dossier = dossier
        with transaction.atomic():
            on_dossier_event(event)
        committed[str(uuid.uuid5(NAMESPACE, f"dossier-event:{event.pk}:{TYPE}"))] = time.time()
    fanout_seconds = time.perf_counter() - began
    producing.clear()
    worker.join()
    total_seconds = time.perf_counter() - began
    partner.stdin.write("report\n")
    partner.stdin.flush()
    report = json.loads(partner.stdout.readline())
    partner.wait()
    latencies = sorted((t - committed[i]) * 1000 for i, t in report["arrivals"].items())
    quantiles = statistics.quantiles(latencies, n=100)
    received = report["received"]
    print(
        json.dumps(
            {
                "events": n,
                "subscribers": SUBSCRIBERS,
                "deliveries": received,
                "lost": n * SUBSCRIBERS - received,
                "duplicates": report["duplicates"],
                "refused": report["refused"],
                "fanout_events_per_s": round(n / fanout_seconds, 1),
                "end_to_end_events_per_s": round(n / total_seconds, 1),
                "deliveries_per_s": round(received / total_seconds, 1),
                "total_s": round(total_seconds, 1),
                "latency_p50_ms": round(quantiles[49], 1),
                "latency_p95_ms": round(quantiles[94], 1),
                "latency_p99_ms": round(quantiles[98], 1),
                "load_average": os.getloadavg()[0],
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--subscribers"]:
        serve_subscribers()
    else:
        main()
