"""The owner's list of store documents: filters and keyset pages (no exact totals: counting a
large store on every page is what makes lists slow, and the owner needs the next page, not a
number)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from egov.catalog.models import DocumentKind
from egov.core.cursors import decode_cursor, encode_cursor
from egov.core.text import fold_words
from egov.datastore.models import StoreDocument

PAGE_SIZE = 20
STORE_CURSOR = "kho"
# Longer searches are cut: the folded title, number, issuer and recognised text is what matches.
MAX_QUERY = 100


@dataclass(frozen=True)
class StorePage:
    documents: list[StoreDocument]
    next_cursor: str | None


def kinds_in(documents: QuerySet[StoreDocument]) -> QuerySet[DocumentKind]:
    """The kinds of paper among ``documents`` (what the kind filter offers)."""
    return DocumentKind.objects.filter(pk__in=documents.values("kind_id")).order_by("name")


def filtered(
    documents: QuerySet[StoreDocument], *, kind_code: str = "", text: str = ""
) -> QuerySet[StoreDocument]:
    """``documents`` of one kind (by its code) and containing every word of ``text``, folded
    (no case, no diacritics, đ→d: "dang ky" finds "Đăng ký")."""
    if kind_code:
        documents = documents.filter(kind__code=kind_code[:60])
    for word in fold_words(text[:MAX_QUERY])[:10]:
        documents = documents.filter(search_text__contains=word)
    return documents


def store_page(
    documents: QuerySet[StoreDocument], *, cursor: str = "", size: int = PAGE_SIZE
) -> StorePage:
    """Newest first; ``cursor`` is the ``next_cursor`` of the previous page (anything else
    starts from the first page)."""
    position = decode_cursor(STORE_CURSOR, cursor) if cursor else None
    ordered = documents.order_by("-id")
    if position:
        ordered = ordered.filter(id__lt=position[0])
    rows = list(ordered[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return StorePage(rows, encode_cursor(STORE_CURSOR, rows[-1].pk) if more and rows else None)
