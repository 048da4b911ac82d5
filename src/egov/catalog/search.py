"""Vietnamese full-text search over the current published procedure versions.

Both databases search a pre-folded text (``core.text.fold``: no case, no diacritics, đ→d),
so "dang ky ho kinh doanh" finds "Đăng ký thành lập hộ kinh doanh":
- SQLite: an FTS5 table ``catalog_search`` over the folded name, scored by bm25;
- PostgreSQL: a stored generated ``search_vector`` column (``to_tsvector('simple',
  search_text)``) with a GIN index, scored by ``ts_rank``.
A procedure matches when its name contains every word of the query (``matching_ids``; the
last word also matches as a prefix, people type "kinh doa…"), best score first (bm25 /
``ts_rank``: shorter, closer names), with the number of matches counted up to ``COUNT_CAP``.
Names holding only some of the words are not results: "ho chieu" must not list every "hộ …"
procedure (issue 13). When nothing matches all the words of a query of three or more words,
``near_ids`` gives, for a separate, labelled list, the names holding at least two thirds of
them (a word typed in excess, "dang ky ho kinh doanh ca the"); two-word queries get none.
Codes (1.001612, …H49) are matched exactly by the selector before the text search.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import connection

from egov.catalog.models import ProcedureVersion, VersionStatus
from egov.core.text import fold, fold_words

MAX_TERMS = 12
RERANK_WINDOW = 200
# Above this many matches the page says "hơn 1.000" rather than counting them all.
COUNT_CAP = 1000


def search_name(version: ProcedureVersion) -> str:
    return fold(version.name)


def index_version(version: ProcedureVersion) -> None:
    """Refresh the search data of one version; drafts are never searchable (the selectors
    restrict results to the versions in force on the day)."""
    name = search_name(version)
    ProcedureVersion.objects.filter(pk=version.pk).update(search_text=name)
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_search WHERE rowid = %s", [version.pk])
        if version.status != VersionStatus.DRAFT:
            cursor.execute(
                "INSERT INTO catalog_search(rowid, name) VALUES (%s, %s)", [version.pk, name]
            )


def query_terms(query: str) -> list[str]:
    terms = []
    for term in fold_words(query):
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def _fts5_term(term: str, *, prefix: bool) -> str:
    return f'("{term}" OR {term}*)' if prefix and len(term) >= 2 else f'"{term}"'


def _coverage(name: str, terms: list[str]) -> int:
    words = name.split()
    last = len(terms) - 1
    count = 0
    for index, term in enumerate(terms):
        if term in words or (index == last and any(w.startswith(term) for w in words)):
            count += 1
    return count


def _count(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def matching_ids(
    query: str, candidate_sql: str, params: list[Any], limit: int, offset: int
) -> tuple[list[int], int]:
    """Ids of the versions whose name holds every word of ``query``, best first, and how
    many there are, counted up to COUNT_CAP + 1 (that value means "more than COUNT_CAP").
    ``candidate_sql`` is a ``SELECT id FROM catalog_procedureversion WHERE …`` restricting
    the candidates."""
    terms = query_terms(query)
    if not terms:
        return [], 0
    last = len(terms) - 1
    if connection.vendor == "sqlite":
        match = " AND ".join(_fts5_term(t, prefix=i == last) for i, t in enumerate(terms))
        # MATERIALIZED: run the full-text match once, then filter its hits (otherwise SQLite
        # may probe the FTS index once per candidate row).
        # Only placeholders and fixed SQL are interpolated below.
        hits = (
            "WITH hits AS MATERIALIZED (SELECT rowid AS id, bm25(catalog_search) AS score "
            "FROM catalog_search WHERE catalog_search MATCH %s) "
        )
        page_sql = (
            f"{hits}SELECT id FROM hits WHERE id IN ({candidate_sql}) "  # noqa: S608
            "ORDER BY score, id LIMIT %s OFFSET %s"
        )
        count_sql = (
            f"{hits}SELECT count(*) FROM (SELECT 1 FROM hits WHERE id IN ({candidate_sql}) "  # noqa: S608
            "LIMIT %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(page_sql, [match, *params, limit, offset])
            ids = [row[0] for row in cursor.fetchall()]
        return ids, _count(count_sql, [match, *params, COUNT_CAP + 1])
    every = " & ".join(f"{t}:*" if i == last else t for i, t in enumerate(terms))
    where = (
        "FROM catalog_procedureversion v "
        f"WHERE v.search_vector @@ to_tsquery('simple', %s) AND v.id IN ({candidate_sql}) "
    )
    page_sql = (
        f"SELECT v.id {where}"
        "ORDER BY ts_rank(v.search_vector, to_tsquery('simple', %s), 1) DESC, v.id "
        "LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(page_sql, [every, *params, every, limit, offset])
        ids = [row[0] for row in cursor.fetchall()]
    count_sql = f"SELECT count(*) FROM (SELECT 1 {where}LIMIT %s) AS found"  # noqa: S608
    return ids, _count(count_sql, [every, *params, COUNT_CAP + 1])


def near_ids(query: str, candidate_sql: str, params: list[Any], limit: int) -> list[int]:
    """For a query of three or more words that no name holds in full: the versions whose
    name holds at least two thirds of its words (never all of them: those are
    ``matching_ids``), most words first, then the database's score."""
    terms = query_terms(query)
    if len(terms) < 3:
        return []
    least = math.ceil(len(terms) * 2 / 3)
    last = len(terms) - 1
    if connection.vendor == "sqlite":
        # bm25 picks a generous shortlist inside SQLite; the word coverage (how many of the
        # query's words a name contains) then filters and orders it, in Python.
        match = " OR ".join(_fts5_term(t, prefix=i == last) for i, t in enumerate(terms))
        sql = (
            "WITH hits AS MATERIALIZED (SELECT rowid AS id, name, bm25(catalog_search) AS score "  # noqa: S608
            "FROM catalog_search WHERE catalog_search MATCH %s) "
            f"SELECT id, name FROM hits WHERE id IN ({candidate_sql}) ORDER BY score LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, *params, RERANK_WINDOW])
            rows = cursor.fetchall()
        covered = [
            (_coverage(name, terms), position, pk) for position, (pk, name) in enumerate(rows)
        ]
        ranked = sorted((-count, position, pk) for count, position, pk in covered if count >= least)
        return [pk for _count_, _position, pk in ranked[:limit]]
    term_queries = [f"{t}:*" if i == last else t for i, t in enumerate(terms)]
    matched = " + ".join("(v.search_vector @@ to_tsquery('simple', %s))::int" for _ in terms)
    sql = (
        "SELECT v.id FROM catalog_procedureversion v "  # noqa: S608 — placeholders only
        f"WHERE v.search_vector @@ to_tsquery('simple', %s) AND v.id IN ({candidate_sql}) "
        f"AND ({matched}) >= %s "
        f"ORDER BY ({matched}) DESC, "
        "ts_rank(v.search_vector, to_tsquery('simple', %s), 1) DESC, v.id LIMIT %s"
    )
    any_term = " | ".join(term_queries)
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [any_term, *params, *term_queries, least, *term_queries, any_term, limit]
        )
        return [row[0] for row in cursor.fetchall()]
