"""Fixtures of the webhook tests: a partner API client, its subscriber (the simulator on
loopback) and a way to run the due delivery tasks as the database worker does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from egov.accounts.models import Role
from egov.accounts.services import api_client_create
from egov.org.models import Unit
from egov.webhooks.simulator import SubscriberSimulator
from egov.webhooks.tasks import TASK_PATH

T0 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    settings.EGOV_WEBHOOKS_ALLOW_LOOPBACK_HTTP = True
    settings.EGOV_WEBHOOKS_TIMEOUT_SECONDS = 1


@pytest.fixture
def partner(quang_ninh):
    """A province-wide partner system (its service account administers at the province)."""
    client, key = api_client_create(
        actor=None,
        name="Hệ thống đối tác",
        unit=Unit.objects.get(key="qn.ubnd"),
        role=Role.SYSTEM_ADMIN,
    )
    client.key = key
    return client


@pytest.fixture
def subscriber() -> Iterator[SubscriberSimulator]:
    simulator = SubscriberSimulator().start()
    yield simulator
    simulator.stop()


def run_due_tasks(limit: int = 50) -> int:
    """Run the ready delivery tasks with the database worker's own ``run_task`` (claim,
    status, result) — without its loop, whose connection recycling would end the test's
    transaction. Returns how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        result = (
            DBTaskResult.objects.ready().filter(task_path=TASK_PATH).order_by("enqueued_at").first()
        )
        if result is None:
            break
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran
