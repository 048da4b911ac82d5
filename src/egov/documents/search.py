"""Search over official documents: metadata and the PDF text layer, with no case, no
diacritics and đ folded to d (``core.text.fold``), as the catalog search does.

Each document keeps a folded ``search_text``: số and ký hiệu, trích yếu, issuer, signer,
type, and the text layer of its latest PDF (``core.printing.official.pdf_text``). The event
path keeps it current (``index_event`` is a subscriber of ``documents.events``): every
receipt, registration, distribution, new version or signature refreshes it — in the same
transaction, with the words that say who sees the document.

Queries match every word of the query (the last one also as a prefix: people type "quyet
đi…"). Results are what the actor may see (``documents.permissions``: the actor's scope is
worked out once per search), newest first, one page at a time by keyset (``after`` is the
previous page's ``next_after``); no totals are counted. A page costs three SQL statements:
the actor's scope, then the incoming and the outgoing documents of the page.
- PostgreSQL: ``documents.search_postgres`` (one search entry per document: words, their
  beginnings, access and time words under GIN indexes; time windows newest first);
- SQLite: the folded words of ``search_text``, stored between spaces, matched with LIKE,
  among the documents ``visible_incoming`` / ``visible_outgoing`` list.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from egov.accounts.actors import Actor
from egov.core.models import StoredFile
from egov.core.printing.official import ConversionError, pdf_text
from egov.core.text import fold, fold_words
from egov.core.uploads import open_private
from egov.documents import search_postgres
from egov.documents.catalogue import SECRET_LEVELS
from egov.documents.models import (
    Assignment,
    IncomingDocument,
    IncomingEvent,
    OutgoingDocument,
    OutgoingEvent,
)
from egov.documents.permissions import (
    DocumentScope,
    access_words,
    document_scope,
    incoming_access,
    outgoing_access,
    scope_access,
    visible_incoming,
    visible_outgoing,
)
from egov.documents.search_postgres import INCOMING_KIND, OUTGOING_KIND

logger = logging.getLogger(__name__)
MAX_TERMS = 12
# The text layer kept for search (a long report's first pages say what it is about).
MAX_TEXT_CHARS = 200_000
INCOMING, OUTGOING = "in", "out"
# The order of the kinds at the same moment (the kind numbers of the search entries).
_RANK = {OUTGOING: OUTGOING_KIND, INCOMING: INCOMING_KIND}
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


def incoming_search_text(document: IncomingDocument) -> str:
    parts = [
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
    parts = [
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
    if connection.vendor == "postgresql":
        search_postgres.upsert_entries(INCOMING_KIND, {document.pk: incoming_access(document)})


def index_outgoing(document: OutgoingDocument) -> None:
    text = outgoing_search_text(document)
    OutgoingDocument.objects.filter(pk=document.pk).update(search_text=text)
    document.search_text = text
    if connection.vendor == "postgresql":
        search_postgres.upsert_entries(OUTGOING_KIND, {document.pk: outgoing_access(document)})


def index_event(event: IncomingEvent | OutgoingEvent) -> None:
    """Subscriber of the event path: refresh the search text of the event's document."""
    if isinstance(event, IncomingEvent):
        index_incoming(event.document)
    else:
        index_outgoing(event.document)


def rebuild_search_entries(batch: int = 5000) -> int:
    """PostgreSQL: write the search entry of every document from its saved search text, in
    time order, and drop the entries of documents that no longer exist (after a bulk load
    or a restore; the benchmark uses it). The number of documents."""
    search_postgres.drop_orphan_entries()
    secret = [str(level) for level in SECRET_LEVELS]
    written = 0
    incoming = IncomingDocument.objects.order_by("arrival_date", "pk")
    for rows in _batches(incoming.values_list("pk", "agency_id", "confidentiality"), batch):
        assigned: dict[int, list[tuple[int | None, int | None]]] = defaultdict(list)
        for document_id, unit, user in Assignment.objects.filter(
            document_id__in=[pk for pk, *_rest in rows]
        ).values_list("document_id", "unit_id", "person_id"):
            assigned[document_id].append((unit, user))
        search_postgres.upsert_entries(
            INCOMING_KIND,
            {
                pk: access_words(
                    secret=level in secret,
                    units=[agency, *(unit for unit, _user in assigned[pk])],
                    people=[user for _unit, user in assigned[pk]],
                )
                for pk, agency, level in rows
            },
        )
        written += len(rows)
    outgoing = OutgoingDocument.objects.order_by("created_at", "pk").values_list(
        "pk", "agency_id", "drafting_unit_id", "created_by_id", "signer_id", "confidentiality"
    )
    for rows in _batches(outgoing, batch):
        search_postgres.upsert_entries(
            OUTGOING_KIND,
            {
                pk: access_words(
                    secret=level in secret, units=[agency, unit], people=[drafter, signer]
                )
                for pk, agency, unit, drafter, signer, level in rows
            },
        )
        written += len(rows)
    return written


def _batches(rows: QuerySet[Any, Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows.iterator(chunk_size=size):
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- querying ----------------------------------------------------------------------------


def query_terms(query: str) -> list[str]:
    terms: list[str] = []
    for term in fold_words(query):
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def _like_matching(queryset: QuerySet[M], terms: list[str]) -> QuerySet[M]:
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


def _page(
    model: type[M],
    actor: Actor,
    scope: DocumentScope,
    terms: list[str],
    kind: str,
    cursor: tuple[dt.datetime, str, int] | None,
    limit: int,
) -> list[M]:
    """The next ``limit`` + 1 matches of one kind, newest first, in one SQL statement."""
    field = "arrival_date" if model is IncomingDocument else "created_at"
    # What the result lists show (number, issuer or agency, subject, status), without the
    # long columns nobody reads there.
    related = () if model is IncomingDocument else ("agency",)
    unread = ("search_text", "signature_verdict") if model is IncomingDocument else ("search_text",)
    if connection.vendor == "postgresql":
        after = None if cursor is None else (cursor[0], _RANK[cursor[1]], cursor[2])
        sql, params = search_postgres.page_sql(
            kind=_RANK[kind],
            terms=terms,
            scope=scope_access(scope),
            after=after,
            limit=limit + 1,
            today=timezone.now(),
        )
        # The ids come from the entries whose access words meet the actor's
        # (``permissions.scope_access``): only documents the actor may see.
        matches = model._default_manager.filter(pk__in=RawSQL(sql, params))  # noqa: S611
    else:
        visible = visible_incoming if model is IncomingDocument else visible_outgoing
        matches = _after(_like_matching(visible(actor, scope), terms), field, kind, cursor)  # type: ignore[arg-type]
    ordered = matches.select_related(*related).defer(*unread)
    return list(ordered.order_by(f"-{field}", "-pk")[: limit + 1])


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
    scope = document_scope(actor)
    if scope.person is None:
        return SearchPage(hits=[], next_after=None)
    incoming = _page(IncomingDocument, actor, scope, terms, INCOMING, cursor, limit)
    outgoing = _page(OutgoingDocument, actor, scope, terms, OUTGOING, cursor, limit)
    hits = [SearchHit(kind=INCOMING, at=d.arrival_date, document=d) for d in incoming] + [
        SearchHit(kind=OUTGOING, at=d.created_at, document=d) for d in outgoing
    ]
    hits.sort(key=lambda hit: hit.key, reverse=True)
    page = hits[:limit]
    more = len(hits) > limit
    return SearchPage(hits=page, next_after=page[-1].cursor if more and page else None)
