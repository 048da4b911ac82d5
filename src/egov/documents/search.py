"""Search over official documents: metadata and the PDF text layer, with no case, no
diacritics and đ folded to d (``core.text.fold``), as the catalog search does.

Each document keeps a folded ``search_text``: số and ký hiệu, trích yếu, issuer, signer,
type, and the text layer of its latest PDF (``core.printing.official.pdf_text``). The event
path keeps it current (``index_event`` is a subscriber of ``documents.events``): every
receipt, registration, new version or signature refreshes it.

Queries match every word of the query (the last one also as a prefix: people type "quyet
đi…"):
- PostgreSQL: a stored generated ``search_vector`` (``to_tsvector('simple', search_text)``)
  with a GIN index (migration 0002), matched with ``to_tsquery('simple', 'w1 & w2:*')``;
- SQLite: the folded words of ``search_text``, stored between spaces, matched with LIKE.
Results are what the actor may see (``documents.permissions``), newest first, one page at a
time by keyset (``after`` is the previous page's ``next_after``); no totals are counted.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from egov.accounts.actors import Actor, person
from egov.core.models import StoredFile
from egov.core.printing.official import ConversionError, pdf_text
from egov.core.text import fold, fold_words
from egov.core.uploads import open_private
from egov.documents.models import (
    IncomingDocument,
    IncomingEvent,
    OutgoingDocument,
    OutgoingEvent,
)
from egov.documents.permissions import (
    office_clerk_agencies,
    units_in_scope,
    visible_incoming,
    visible_outgoing,
)

logger = logging.getLogger(__name__)
MAX_TERMS = 12
# Matches sorted directly when there are at most this many (see ``_page``).
CANDIDATES = 20000
# Rows walked newest first before asking the GIN index (see ``_page``).
RECENT = 2000
# Above this many units in an actor's scope the unit words are not used (``scope_tokens``).
MAX_SCOPE_UNITS = 40
# The text layer kept for search (a long report's first pages say what it is about).
MAX_TEXT_CHARS = 200_000
INCOMING, OUTGOING = "in", "out"
_RANK = {OUTGOING: 0, INCOMING: 1}
M = TypeVar("M", IncomingDocument, OutgoingDocument)


def _file_text(file: StoredFile | None) -> str:
    """The text layer of a stored PDF; empty when there is none or it cannot be read (an
    unreadable file never stops the registration or signature that indexes it)."""
    if file is None or file.content_type != "application/pdf":
        return ""
    try:
        with open_private(file.key) as handle:
            data = handle.read()
        return " ".join(pdf_text(data))[:MAX_TEXT_CHARS]
    except (ConversionError, OSError):
        return ""
    except Exception:  # pypdf may fail in other ways on malformed files
        logger.warning("text layer of stored file %s unreadable", file.pk, exc_info=True)
        return ""


def _folded(parts: list[str]) -> str:
    # Between spaces, so that SQLite matches whole words with LIKE '% word %'.
    return f" {fold(' '.join(p for p in parts if p))} "


def unit_token(pk: int) -> str:
    """A word naming a unit in the indexed text, so that the GIN index narrows a search to
    the units an actor works in before any row is read (``_page``)."""
    return f"zzu{pk}"


def person_token(pk: int) -> str:
    return f"zzp{pk}"


def incoming_search_text(document: IncomingDocument) -> str:
    scope = [unit_token(document.agency_id)]
    for unit_id, person_id in document.assignments.values_list("unit_id", "person_id"):
        scope.append(unit_token(unit_id) if unit_id else person_token(person_id))
    parts = [
        *scope,
        document.code_number,
        document.code_notation,
        f"{document.code_number}/{document.code_notation}" if document.code_number else "",
        document.type_name,
        document.subject,
        document.organ_name,
        document.signer_full_name,
        document.signer_position,
        document.description,
        str(document.arrival_number or ""),
    ]
    if not document.is_secret:
        parts.append(_file_text(document.file))
    return _folded(parts)


def outgoing_search_text(document: OutgoingDocument) -> str:
    people = [p for p in (document.created_by_id, document.signer_id) if p]
    parts = [
        unit_token(document.agency_id),
        unit_token(document.drafting_unit_id),
        *(person_token(p) for p in people),
        document.number_text,
        document.code_notation,
        document.document_type.name,
        document.subject,
        document.agency.name,
        document.drafting_unit.name,
        document.signer_full_name,
        document.signer_position,
        document.description,
    ]
    if not document.is_secret:
        version = document.versions.order_by("-number").select_related("file").first()
        parts.append(_file_text(version.file if version else None))
    return _folded(parts)


def index_incoming(document: IncomingDocument) -> None:
    text = incoming_search_text(document)
    IncomingDocument.objects.filter(pk=document.pk).update(search_text=text)
    document.search_text = text


def index_outgoing(document: OutgoingDocument) -> None:
    text = outgoing_search_text(document)
    OutgoingDocument.objects.filter(pk=document.pk).update(search_text=text)
    document.search_text = text


def index_event(event: IncomingEvent | OutgoingEvent) -> None:
    """Subscriber of the event path: refresh the search text of the event's document."""
    if isinstance(event, IncomingEvent):
        index_incoming(event.document)
    else:
        index_outgoing(event.document)


# --- querying ----------------------------------------------------------------------------


def query_terms(query: str) -> list[str]:
    terms: list[str] = []
    for term in fold_words(query):
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def tsquery(terms: list[str]) -> str:
    """``to_tsquery('simple', …)`` text: every word, the last also as a prefix (the words
    are [0-9a-z]+ after folding, so nothing needs quoting)."""
    last = len(terms) - 1
    return " & ".join(f"{t}:*" if i == last else t for i, t in enumerate(terms))


def matching(queryset: QuerySet[M], terms: list[str]) -> QuerySet[M]:
    if connection.vendor == "postgresql":
        column = f"{connection.ops.quote_name(queryset.model._meta.db_table)}.search_vector"
        return queryset.extra(  # noqa: S610 — the table name and a placeholder only
            where=[f"{column} @@ to_tsquery('simple', %s)"], params=[tsquery(terms)]
        )
    last = len(terms) - 1
    for index, term in enumerate(terms):
        pattern = f" {term}" if index == last else f" {term} "
        queryset = queryset.filter(search_text__contains=pattern)
    return queryset


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "in" (incoming) or "out" (outgoing)
    at: dt.datetime  # arrival (incoming) or creation (outgoing): the order of the results
    document: IncomingDocument | OutgoingDocument

    @property
    def key(self) -> tuple[dt.datetime, int, int]:
        return (self.at, _RANK[self.kind], self.document.pk)

    @property
    def cursor(self) -> str:
        return f"{self.at.isoformat()}~{self.kind}~{self.document.pk}"


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    next_after: str | None  # None: this is the last page


def parse_cursor(after: str | None) -> tuple[dt.datetime, str, int] | None:
    """The position ``after`` names; None when absent or malformed (the first page)."""
    if not after:
        return None
    try:
        moment, kind, pk = after.split("~")
        at = dt.datetime.fromisoformat(moment)
        if at.tzinfo is None or kind not in _RANK:
            return None
        return at, kind, int(pk)
    except ValueError:
        return None


def _after(
    queryset: QuerySet[M], field: str, kind: str, cursor: tuple[dt.datetime, str, int] | None
) -> QuerySet[M]:
    """Rows after the cursor in the order (time, kind, id), descending."""
    if cursor is None:
        return queryset
    at, cursor_kind, pk = cursor
    before: dict[str, Any] = {f"{field}__lt": at}
    same: dict[str, Any] = {field: at}
    if _RANK[kind] < _RANK[cursor_kind]:
        return queryset.filter(Q(**before) | Q(**same))
    if _RANK[kind] > _RANK[cursor_kind]:
        return queryset.filter(**before)
    return queryset.filter(Q(**before) | Q(**same, pk__lt=pk))


def _recent_matches(
    model: type[IncomingDocument] | type[OutgoingDocument],
    field: str,
    kind: str,
    cursor: tuple[dt.datetime, str, int] | None,
    query: str,
    window: int | None,
) -> list[int]:
    """Ids among the newest ``window`` rows after the cursor (all when None) whose words
    match: the window is read from the time index first (a LIMIT subquery), then matched."""
    quote = connection.ops.quote_name
    table, time = quote(model._meta.db_table), quote(field)
    where: str = ""
    params: list[Any] = []
    if cursor is not None:
        at, cursor_kind, pk = cursor
        if _RANK[kind] < _RANK[cursor_kind]:
            where, params = f"WHERE {time} <= %s", [at]
        elif _RANK[kind] > _RANK[cursor_kind]:
            where, params = f"WHERE {time} < %s", [at]
        else:
            where, params = f"WHERE ({time}, id) < (%s, %s)", [at, pk]
    sql = (
        f"SELECT w.id FROM (SELECT id, search_vector FROM {table} {where} "  # noqa: S608 — names and placeholders only
        f"ORDER BY {time} DESC, id DESC LIMIT %s) w "
        "WHERE w.search_vector @@ to_tsquery('simple', %s)"
    )
    with connection.cursor() as cursor_sql:
        cursor_sql.execute(sql, [*params, window, query])
        return [row[0] for row in cursor_sql.fetchall()]


def scope_tokens(actor: Actor) -> list[str] | None:
    """The unit and person words of everything ``actor`` may see (a superset: the exact
    rules are applied to the rows afterwards); None when the scope is too wide to be worth
    it (a provincial leader sees nearly everything)."""
    user = person(actor)
    if user is None:
        return []
    units = {*units_in_scope(actor), *office_clerk_agencies(actor)}
    if len(units) > MAX_SCOPE_UNITS:
        return None
    return [*(unit_token(pk) for pk in sorted(units)), person_token(user.pk)]


def _page(
    visible: QuerySet[M],
    terms: list[str],
    field: str,
    kind: str,
    cursor: tuple[dt.datetime, str, int] | None,
    limit: int,
    related: tuple[str, ...],
    scope: list[str] | None,
) -> QuerySet[M]:
    """The next ``limit`` + 1 matches of one kind, newest first.

    PostgreSQL, in bounded steps whatever the planner guesses of the words:
    1. the newest ``RECENT`` rows after the cursor, read from the time index: common words
       fill a page there;
    2. else up to ``CANDIDATES`` + 1 ids from the GIN index alone (no table scan), narrowed
       by the actor's unit and person words (``scope_tokens``): when there are no more, only
       those rows are checked against the visibility rules and sorted;
    3. else (more matches than ``CANDIDATES`` but too few among the newest rows: rare) ever
       larger windows of the newest rows, then the whole table."""
    matches = _after(matching(visible, terms), field, kind, cursor)
    if connection.vendor != "postgresql":
        ordered = matches.select_related(*related).defer("search_text")
        return ordered.order_by(f"-{field}", "-pk")[: limit + 1]
    model = visible.model
    order = (f"-{field}", "-pk")
    query = tsquery(terms)

    def newest(window: int | None) -> list[int] | None:
        found = _recent_matches(model, field, kind, cursor, query, window)
        ids = visible.filter(pk__in=found).order_by(*order).values_list("pk", flat=True)
        page = list(ids[: limit + 1])
        return page if len(page) > limit or window is None else None

    page = newest(RECENT)
    if page is None:
        column = f"{connection.ops.quote_name(model._meta.db_table)}.search_vector"
        wanted = query if scope is None else f"({query}) & ({' | '.join(scope) or 'zzunone'})"
        candidates = _after(
            model._default_manager.extra(  # noqa: S610 — the table name and a placeholder
                where=[f"{column} @@ to_tsquery('simple', %s)"], params=[wanted]
            ),
            field,
            kind,
            cursor,
        )
        with transaction.atomic(), connection.cursor() as sql:
            # The index, never a scan of the table: the planner cannot know how rare a
            # conjunction of words (or a prefix) is.
            sql.execute("SET LOCAL enable_seqscan = off")
            sql.execute("SET LOCAL enable_indexscan = off")
            ids = list(candidates.order_by().values_list("pk", flat=True)[: CANDIDATES + 1])
        if len(ids) <= CANDIDATES:
            ranked = visible.filter(pk__in=ids).order_by(*order).values_list("pk", flat=True)
            page = list(ranked[: limit + 1])
        else:
            for window in (RECENT * 8, RECENT * 64, None):
                page = newest(window)
                if page is not None:
                    break
    assert page is not None
    matches = visible.filter(pk__in=page)
    ordered = matches.select_related(*related).defer("search_text")
    return ordered.order_by(f"-{field}", "-pk")[: limit + 1]


def search_documents(
    actor: Actor, query: str, *, after: str | None = None, limit: int = 20
) -> SearchPage:
    """The incoming and outgoing documents ``actor`` may see whose metadata or text layer
    contain every word of ``query``, newest first, ``limit`` at a time."""
    terms = query_terms(query)
    limit = max(1, min(limit, 100))
    if not terms:
        return SearchPage(hits=[], next_after=None)
    cursor = parse_cursor(after)
    scope = scope_tokens(actor) if connection.vendor == "postgresql" else None
    incoming = _page(
        visible_incoming(actor),
        terms,
        "arrival_date",
        INCOMING,
        cursor,
        limit,
        ("agency",),
        scope,
    )
    outgoing = _page(
        visible_outgoing(actor),
        terms,
        "created_at",
        OUTGOING,
        cursor,
        limit,
        ("agency", "document_type"),
        scope,
    )
    hits = [SearchHit(kind=INCOMING, at=d.arrival_date, document=d) for d in incoming] + [
        SearchHit(kind=OUTGOING, at=d.created_at, document=d) for d in outgoing
    ]
    hits.sort(key=lambda hit: hit.key, reverse=True)
    page = hits[:limit]
    more = len(hits) > limit
    return SearchPage(hits=page, next_after=page[-1].cursor if more and page else None)
