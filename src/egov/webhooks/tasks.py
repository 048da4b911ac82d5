"""Background delivery (django-tasks, database backend): woken after the commit of each
fan-out; each run sends what is due, then enqueues the next run — at once while more is due,
else at the earliest retry — so retries need no cron (``manage.py webhooks_deliver`` from cron
remains a safety net should a task row be lost)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min
from django.utils import timezone
from django_tasks import task

from egov.webhooks.delivery import DUE_STATES, deliver_due, due_deliveries
from egov.webhooks.models import Delivery, SubscriptionState

TASK_PATH = "egov.webhooks.tasks.deliver_webhooks_task"


@task()
def deliver_webhooks_task() -> dict[str, int]:
    run = deliver_due()
    schedule_next()
    return {"delivered": run.delivered, "retried": run.retried, "dead": run.dead}


def schedule_next() -> None:
    now = timezone.now()
    if Delivery.objects.filter(due_deliveries(now)).exists():
        wake()
        return
    next_at = Delivery.objects.filter(
        state__in=DUE_STATES, subscription__state=SubscriptionState.ACTIVE
    ).aggregate(at=Min("next_attempt_at"))["at"]
    if next_at is not None:
        wake(at=next_at)


def wake(at: dt.datetime | None = None) -> None:
    """Enqueue a run (at ``at``, else now) unless one is already waiting for that moment or
    earlier: a transaction that fanned out many events wakes the worker once."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    waiting = DBTaskResult.objects.filter(status="READY", task_path=TASK_PATH)
    if at is None:
        if (
            waiting.filter(run_after=get_date_max()).exists()
            or waiting.filter(run_after__lte=timezone.now()).exists()
        ):
            return
        deliver_webhooks_task.enqueue()
        return
    if (
        waiting.filter(run_after__lte=at).exists()
        or waiting.filter(run_after=get_date_max()).exists()
    ):
        return
    deliver_webhooks_task.using(run_after=at).enqueue()
