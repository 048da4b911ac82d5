"""The "Văn bản đến" inbox of one person: the incoming documents they may see, those assigned
to them or to their units (still open) first, newest first, paged by keyset; with the
overdue and due-soon markers of their own assignments (of every open assignment of the
document for those who only follow it: leaders, the clerk)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from egov.accounts.actors import Actor, person
from egov.accounts.models import RoleAssignment
from egov.documents.models import (
    Assignment,
    AssignmentStatus,
    IncomingDocument,
)
from egov.documents.permissions import visible_incoming

PAGE_SIZE = 50
# Due soon: the deadline within this window (the selectors' default, one day).
DUE_SOON = dt.timedelta(days=1)


def _my_assignments(actor: Actor) -> QuerySet[Assignment]:
    user = person(actor)
    if user is None:
        return Assignment.objects.none()
    units = RoleAssignment.objects.valid_on(timezone.localdate()).filter(user=user)
    return Assignment.objects.filter(
        Q(person=user) | Q(person__isnull=True, unit_id__in=units.values("unit_id"))
    )


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    overdue: bool = False
    mine: bool = False


@dataclass(frozen=True)
class InboxRow:
    document: IncomingDocument
    mine: bool
    overdue: bool
    due_soon: bool
    due_at: dt.datetime | None


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    next_cursor: str


def _cursor(row: IncomingDocument) -> str:
    return f"{row.mine_rank}.{row.pk}"  # type: ignore[attr-defined]


def parse_cursor(cursor: str) -> tuple[int, int] | None:
    """``rank.pk`` of the last row of the previous page; None for a malformed cursor."""
    rank, dot, pk = cursor.partition(".")
    if not dot or not rank.isdigit() or not pk.isdigit() or len(cursor) > 24:
        return None
    return int(rank), int(pk)


def incoming_inbox(
    actor: Actor,
    *,
    filters: InboxFilters = InboxFilters(),
    after: tuple[int, int] | None = None,
    limit: int = PAGE_SIZE,
    now: dt.datetime | None = None,
) -> InboxPage:
    now = now or timezone.now()
    mine = _my_assignments(actor).exclude(status=AssignmentStatus.DONE)
    documents = visible_incoming(actor).alias(has_mine=Exists(mine.filter(document=OuterRef("pk"))))
    documents = documents.annotate(
        mine_rank=Case(
            When(has_mine=True, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    )
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.mine:
        documents = documents.filter(has_mine=True)
    if filters.overdue:
        # Any open assignment of the document past its deadline: the overdue list of the
        # units' leaders and of the clerk, not only of the handler.
        late = Assignment.objects.exclude(status=AssignmentStatus.DONE).filter(
            document=OuterRef("pk"), due_at__lt=now
        )
        documents = documents.filter(Exists(late))
    if after is not None:
        rank, pk = after
        documents = documents.filter(Q(mine_rank__lt=rank) | Q(mine_rank=rank, pk__lt=pk))
    page = list(
        documents.select_related("agency", "file").order_by("-mine_rank", "-pk")[: limit + 1]
    )
    more = len(page) > limit
    page = page[:limit]
    ids = [d.pk for d in page]
    own_ids = set(mine.filter(document__in=ids).values_list("pk", flat=True))
    by_document: dict[int, list[Assignment]] = {}
    open_rows = Assignment.objects.exclude(status=AssignmentStatus.DONE).filter(document__in=ids)
    for assignment in open_rows:
        by_document.setdefault(assignment.document_id, []).append(assignment)
    rows = []
    for document in page:
        open_ = by_document.get(document.pk, [])
        # The markers follow the person's own assignments when they have some, else every
        # open assignment of the document (what a leader or the clerk follows).
        followed = [a for a in open_ if a.pk in own_ids] or open_
        dues = [a.due_at for a in followed if a.due_at is not None]
        rows.append(
            InboxRow(
                document=document,
                mine=any(a.pk in own_ids for a in open_),
                overdue=any(a.is_overdue(now) for a in followed),
                due_soon=any(a.is_due_soon(now, DUE_SOON) for a in followed),
                due_at=min(dues) if dues else None,
            )
        )
    return InboxPage(rows=rows, next_cursor=_cursor(page[-1]) if more and page else "")
