"""Background tasks of the documents app (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from egov.documents.reminders import send_document_reminders

# Remote signing waits minutes for the signer's phone: a queue of its own, with its own
# worker (``manage.py db_worker --queue-name signing``), so the outbox is not held up.
REMOTE_SIGNING_QUEUE = "signing"


@task()
def send_document_reminders_task() -> dict[str, int]:
    run = send_document_reminders()
    return {"due_soon": run.due_soon, "overdue": run.overdue}


@task(queue_name=REMOTE_SIGNING_QUEUE)
def remote_signing_task(request_id: int) -> str:
    """Ask the signer's phone for the documents of a remote signing request and sign them
    (``services.outgoing_remote_signing.outgoing_remote_sign_run``); returns the end state."""
    from egov.documents.services.outgoing_remote_signing import outgoing_remote_sign_run

    return outgoing_remote_sign_run(request_id=request_id)
