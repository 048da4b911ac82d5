"""Background tasks of the data store (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

# OCR takes seconds to minutes a file: a queue of its own, with its own worker
# (``manage.py db_worker --queue-name ocr``), so notifications and the outbox are not held up.
OCR_QUEUE = "ocr"


@task(queue_name=OCR_QUEUE)
def recognise_store_document_task(document_id: int) -> str:
    """Recognise the text of a store document's file (``recognition.recognise``); returns the
    OCR status it ended in."""
    from egov.datastore.recognition import recognise

    return recognise(document_id=document_id)
