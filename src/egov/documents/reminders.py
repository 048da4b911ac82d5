"""Reminders before an incoming document's deadline and one overdue notice (issue 11,
capability 3), run periodically (``manage.py document_reminders`` from cron, or the
background task ``documents.tasks.send_document_reminders_task``).

Idempotent: each open assignment gets at most one due-soon reminder and one overdue notice
for each deadline. What was sent is the notifications outbox itself: a message of that event
with the assignment's reference and deadline exists, so a second run — or one overlapping
this one, serialised by the row lock on the assignment — writes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from egov.accounts.models import Role, RoleAssignment, User
from egov.documents.events import local_moment
from egov.documents.models import Assignment, AssignmentStatus
from egov.notifications.models import Message
from egov.notifications.services import Recipient, notification_enqueue
from egov.org.models import Unit
from egov.workdays.selectors import calendar_for_unit

DUE_SOON_EVENT = "document_due_soon"
OVERDUE_EVENT = "document_overdue"
# The widest calendar span that EGOV_DOCUMENT_REMINDER_WORKING_HOURS can cover (Tết).
_SEARCH = dt.timedelta(days=21)


@dataclass(frozen=True)
class ReminderRun:
    due_soon: int
    overdue: int


def reminder_reference(assignment: Assignment) -> str:
    """The outbox reference of an assignment's reminders, one per deadline."""
    due = assignment.due_at
    stamp = f"{due:%Y%m%d%H%M}" if due else "-"
    return f"VBD-{assignment.document_id}-PP{assignment.pk}-{stamp}"


def _recipients(assignment: Assignment) -> list[User]:
    if assignment.person is not None:
        return [assignment.person]
    held = RoleAssignment.objects.valid_on(timezone.localdate()).filter(
        unit=assignment.unit, role=Role.DEPARTMENT_LEADER
    )
    return [a.user for a in held.select_related("user")]


def _notify(assignment: Assignment, event: str) -> bool:
    document = assignment.document
    reference = reminder_reference(assignment)
    if Message.objects.filter(event=event, reference=reference).exists():
        return False
    assert assignment.due_at is not None  # only assignments with a deadline get here
    written = 0
    seen: set[int] = set()
    for user in _recipients(assignment):
        if user.pk in seen or not user.email:
            continue
        seen.add(user.pk)
        written += len(
            notification_enqueue(
                event=event,
                reference=reference,
                recipient=Recipient(email=user.email),
                context={
                    "code": f"{document.code_number}/{document.code_notation}".strip("/"),
                    "organ": document.organ_name,
                    # Never the subject of a secret document in a message.
                    "subject": "(văn bản mật)" if document.is_secret else document.subject,
                    "assignee": str(assignment.person or assignment.unit),
                    "role": assignment.get_role_display(),
                    "date": local_moment(assignment.due_at),
                    "headline": document.subject[:100] if not document.is_secret else "",
                    "path": f"/staff/van-ban-den/{document.pk}/",
                },
                unit=document.agency,
            )
        )
    return written > 0


def send_document_reminders(*, now: dt.datetime | None = None) -> ReminderRun:
    """One due-soon reminder per open assignment whose deadline falls within
    ``EGOV_DOCUMENT_REMINDER_WORKING_HOURS`` working hours on the agency's calendar, and one
    overdue notice per open assignment past its deadline."""
    now = now or timezone.now()
    hours = settings.EGOV_DOCUMENT_REMINDER_WORKING_HOURS
    candidates = (
        Assignment.objects.exclude(status=AssignmentStatus.DONE)
        .filter(due_at__isnull=False, due_at__lte=now + _SEARCH)
        .order_by("due_at", "pk")
        .values_list("pk", "document__agency_id", "due_at")
    )
    horizons: dict[int, dt.datetime] = {}
    due_soon = overdue = 0
    for pk, agency_id, due_at in candidates:
        if agency_id not in horizons:
            calendar = calendar_for_unit(Unit.objects.get(pk=agency_id))
            horizons[agency_id] = calendar.add_working_hours(now, hours)
        if due_at is None or due_at > horizons[agency_id]:
            continue
        event = OVERDUE_EVENT if due_at < now else DUE_SOON_EVENT
        with transaction.atomic():
            assignment = (
                Assignment.objects.select_for_update(of=("self",))
                .select_related("document", "document__agency", "person", "unit")
                .filter(pk=pk)
                .exclude(status=AssignmentStatus.DONE)
                .first()
            )
            if assignment is None or assignment.due_at != due_at:
                continue
            if _notify(assignment, event):
                if event == OVERDUE_EVENT:
                    overdue += 1
                else:
                    due_soon += 1
    return ReminderRun(due_soon=due_soon, overdue=overdue)
