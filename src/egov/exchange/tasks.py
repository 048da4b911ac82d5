"""Background work of the exchange (django-tasks, database backend): sending what is queued
(woken after each commit that queued something, then at the earliest retry) and polling the
axis (a task that schedules its next run every ``EGOV_AXIS_POLL_SECONDS``; cron running
``manage.py exchange_run`` is the safety net)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from egov.exchange.axis import AxisError, configured_axis


def task_waiting(which: Any) -> bool:
    """Whether a run of ``which`` is already queued and not yet started."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY", task_path=which.module_path).exists()


@task()
def send_exchange_task() -> dict[str, int]:
    from egov.exchange.services.outbox import exchange_send_due, next_send_at

    axis = configured_axis()
    if axis is None:
        return {}
    run = exchange_send_due(axis=axis)
    next_at = next_send_at()
    if next_at is not None and not task_waiting(send_exchange_task):
        send_exchange_task.using(run_after=max(next_at, timezone.now())).enqueue()
    return {"sent": run.sent, "retried": run.retried, "failed": run.failed}


@task()
def poll_axis_task() -> dict[str, int]:
    """Poll once, then schedule the next poll."""
    from egov.exchange.services.inbox import exchange_poll

    axis = configured_axis()
    if axis is None:
        return {}
    result: dict[str, int] = {}
    try:
        run = exchange_poll(axis=axis)
        result = {
            "documents": run.documents,
            "statuses": run.statuses,
            "duplicates": run.duplicates,
        }
    except AxisError:
        result = {"unavailable": 1}
    if not task_waiting(poll_axis_task):
        later = timezone.now() + dt.timedelta(seconds=settings.EGOV_AXIS_POLL_SECONDS)
        poll_axis_task.using(run_after=later).enqueue()
    return result
