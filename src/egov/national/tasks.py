"""Background work of the national-portal sync (django-tasks, database backend)."""

from __future__ import annotations

from django.db.models import Min
from django_tasks import task

from egov.national.models import NationalSync, SyncStatus
from egov.national.services.catalog import national_catalog_pull
from egov.national.services.inbound import national_dossiers_pull
from egov.national.services.push import deliver_due


@task()
def deliver_national_sync_task() -> dict[str, int]:
    """Deliver what is due, then schedule the next run at the earliest retry, so retries need
    no cron."""
    run = deliver_due()
    if run.retried:
        next_at = NationalSync.objects.filter(status=SyncStatus.PENDING).aggregate(
            at=Min("next_attempt_at")
        )["at"]
        if next_at is not None:
            deliver_national_sync_task.using(run_after=next_at).enqueue()
    return {"sent": run.sent, "retried": run.retried, "failed": run.failed}


@task()
def pull_national_catalog_task() -> dict[str, int]:
    """Scheduled (cron: ``manage.py national_pull --catalog``, or enqueue this task)."""
    run = national_catalog_pull()
    return {"created": run.created, "changed": run.changed, "unchanged": run.unchanged}


@task()
def pull_national_dossiers_task() -> dict[str, int]:
    run = national_dossiers_pull()
    return {"received": run.received, "skipped": run.skipped}
