"""Reads of the knowledge base and the call log: searched, filtered lists in keyset pages
(newest first, no exact totals). Rows come from ``permissions`` (what the caller may see)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, Q, QuerySet

from egov.catalog.models import Procedure
from egov.core.cursors import decode_cursor, encode_cursor
from egov.helpdesk.models import HotlineCall, Question
from egov.helpdesk.permissions import published_questions
from egov.helpdesk.search import matching

FAQ_CURSOR = "faq"
CALL_CURSOR = "call"
EDITOR_CURSOR = "faqed"
# The procedure page shows at most this many of its questions (the rest: "xem tất cả").
PROCEDURE_BLOCK_SIZE = 5

RowT = TypeVar("RowT", bound=Model)


@dataclass(frozen=True)
class KeysetPage(Generic[RowT]):
    items: list[RowT]
    # Pass back to get the following page; None on the last page.
    next_cursor: str | None


class InvalidCursor(ValueError):
    pass


def _micros(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def _after(cursor: str, kind: str, field: str) -> Q:
    decoded = decode_cursor(kind, cursor)
    if decoded is None or len(decoded) != 2:
        raise InvalidCursor(cursor)
    micros, pk = decoded
    try:
        moment = dt.datetime.fromtimestamp(micros / 1_000_000, tz=dt.UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise InvalidCursor(cursor) from error
    return Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk})


def _page(
    rows: QuerySet[RowT], *, cursor: str, kind: str, field: str, limit: int
) -> KeysetPage[RowT]:
    if cursor:
        rows = rows.filter(_after(cursor, kind, field))
    found = list(rows.order_by(f"-{field}", "-pk")[: limit + 1])
    items = found[:limit]
    following = None
    if len(found) > limit and items:
        last = items[-1]
        moment = getattr(last, field)
        following = encode_cursor(kind, _micros(moment), int(last.pk))
    return KeysetPage(items, following)


def procedure_by_code(code: str) -> Procedure | None:
    """A procedure by national code (1.001193) or data key (procedures without one)."""
    code = code.strip()
    if not code or len(code) > 80:
        return None
    return Procedure.objects.filter(Q(national_code=code) | Q(key=code)).first()


def search_faq(
    *,
    query: str = "",
    field: str | None = None,
    procedure: Procedure | None = None,
    cursor: str = "",
    limit: int = 20,
) -> KeysetPage[Question]:
    """Published questions holding every word of ``query`` (search.matching), of a field
    (its code) and a procedure, newest first. Raises InvalidCursor for a cursor not made here."""
    questions = published_questions()
    if field:
        questions = questions.filter(field__code=field)
    if procedure is not None:
        questions = questions.filter(procedure=procedure)
    questions = matching(questions, query).select_related("procedure", "field")
    return _page(questions, cursor=cursor, kind=FAQ_CURSOR, field="published_at", limit=limit)


def procedure_questions(procedure: Procedure) -> list[Question]:
    """The published questions about ``procedure`` for its page's block."""
    return list(
        published_questions()
        .filter(procedure=procedure)
        .order_by("-published_at", "-pk")[:PROCEDURE_BLOCK_SIZE]
    )


def call_page(
    calls: QuerySet[HotlineCall], *, cursor: str = "", limit: int = 20
) -> KeysetPage[HotlineCall]:
    calls = calls.select_related("operator", "unit")
    return _page(calls, cursor=cursor, kind=CALL_CURSOR, field="received_at", limit=limit)


def pending_follow_ups(calls: QuerySet[HotlineCall]) -> list[HotlineCall]:
    """The calls still waiting for their follow-up, oldest first (the most urgent)."""
    return list(
        calls.filter(follow_up_needed=True, follow_up_done_at__isnull=True)
        .select_related("operator")
        .order_by("received_at", "pk")[:50]
    )


def editor_page(
    questions: QuerySet[Question], *, cursor: str = "", limit: int = 30
) -> KeysetPage[Question]:
    """The editors' list: last changed first."""
    questions = questions.select_related("procedure", "author")
    return _page(questions, cursor=cursor, kind=EDITOR_CURSOR, field="updated_at", limit=limit)
