"""The exchange's subscriber on the documents event path (``documents.events.subscribe``,
from ``ExchangeConfig.ready``): it runs in the transaction of each document step."""

from __future__ import annotations

from egov.documents.actions import OutgoingAction
from egov.documents.events import Event
from egov.documents.models import OutgoingEvent
from egov.exchange.services.inbox import status_for_event
from egov.exchange.services.outbox import queue_packages


def on_document_event(event: Event) -> None:
    if isinstance(event, OutgoingEvent):
        if event.action == OutgoingAction.ISSUE:
            queue_packages(event.document)
        return
    status_for_event(event)
