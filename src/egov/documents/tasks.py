"""Background tasks of the documents app (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from egov.documents.reminders import send_document_reminders


@task()
def send_document_reminders_task() -> dict[str, int]:
    run = send_document_reminders()
    return {"due_soon": run.due_soon, "overdue": run.overdue}
