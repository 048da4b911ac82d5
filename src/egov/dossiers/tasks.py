"""Background tasks of the dossiers app (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from egov.dossiers.services.warnings import raise_due_warnings


@task()
def raise_due_warnings_task() -> dict[str, int]:
    run = raise_due_warnings()
    return {"due_soon": run.due_soon, "overdue": run.overdue}
