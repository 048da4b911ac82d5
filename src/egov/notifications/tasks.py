"""Background delivery of the outbox (django-tasks, database backend)."""

from __future__ import annotations

from django.db.models import Min
from django_tasks import task

from egov.notifications.delivery import deliver_due
from egov.notifications.models import Message, MessageStatus


@task()
def deliver_notifications_task() -> dict[str, int]:
    """Deliver what is due, then schedule the next run for the earliest retry, so retries
    need no cron (``send_notifications`` from cron remains a safety net)."""
    run = deliver_due()
    next_at = Message.objects.filter(status=MessageStatus.PENDING).aggregate(
        at=Min("next_attempt_at")
    )["at"]
    if next_at is not None and (run.retried or run.postponed):
        deliver_notifications_task.using(run_after=next_at).enqueue()
    return {"sent": run.sent, "retried": run.retried, "failed": run.failed}
