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

from django.db import connection
from django.db.models import Q, QuerySet

from egov.accounts.actors import Actor
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
from egov.documents.permissions import visible_incoming, visible_outgoing

logger = logging.getLogger(__name__)
MAX_TERMS = 12
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
    incoming = _after(
        matching(visible_incoming(actor), terms), "arrival_date", INCOMING, cursor
    ).select_related("agency")
    outgoing = _after(
        matching(visible_outgoing(actor), terms), "created_at", OUTGOING, cursor
    ).select_related("agency", "document_type")
    hits = [
        SearchHit(kind=INCOMING, at=d.arrival_date, document=d)
        for d in incoming.defer("search_text").order_by("-arrival_date", "-pk")[: limit + 1]
    ] + [
        SearchHit(kind=OUTGOING, at=d.created_at, document=d)
        for d in outgoing.defer("search_text").order_by("-created_at", "-pk")[: limit + 1]
    ]
    hits.sort(key=lambda hit: hit.key, reverse=True)
    page = hits[:limit]
    more = len(hits) > limit
    return SearchPage(hits=page, next_after=page[-1].cursor if more and page else None)
