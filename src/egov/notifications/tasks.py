"""Background delivery of the outbox (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from egov.notifications.services import deliver_due


@task()
def deliver_notifications_task() -> dict[str, int]:
    run = deliver_due()
    return {"sent": run.sent, "retried": run.retried, "failed": run.failed}
