"""Vietnamese full-text search over the current published procedure versions.

Both databases search a pre-folded text (``core.text.fold``: no case, no diacritics, đ→d),
so "dang ky ho kinh doanh" finds "Đăng ký thành lập hộ kinh doanh":
- SQLite: an FTS5 table ``catalog_search`` over the folded name, scored by bm25;
- PostgreSQL: a stored generated ``search_vector`` column (``to_tsvector('simple',
  search_text)``) with a GIN index, scored by ``ts_rank``.
Terms are OR-ed, so a word that is in no procedure does not empty the result; names matching
more of the words rank first, then the shorter/closer ones. The last term also matches as a
prefix (people type "kinh doa…"). Codes (1.001612, …H49) are matched exactly by the
selector before the text search.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from egov.catalog.models import ProcedureVersion, VersionStatus
from egov.core.text import fold, fold_words

MAX_TERMS = 12
RERANK_WINDOW = 200


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


def ranked_ids(
    query: str, candidate_sql: str, params: list[Any], limit: int, offset: int
) -> list[int]:
    """Ids of versions matching ``query``, best first: most query words matched, then the
    database's relevance score (which prefers shorter names). ``candidate_sql`` is a
    ``SELECT id FROM catalog_procedureversion WHERE …`` restricting the candidates."""
    terms = query_terms(query)
    if not terms:
        return []
    last = len(terms) - 1
    if connection.vendor == "sqlite":
        # bm25 picks a generous shortlist inside SQLite; the word coverage (how many of the
        # query's words a name contains) then orders it, in Python.
        shortlist = max(RERANK_WINDOW, (offset + limit) * 4)
        match = " OR ".join(_fts5_term(t, prefix=i == last) for i, t in enumerate(terms))
        # MATERIALIZED: run the full-text match once, then filter its hits (otherwise SQLite
        # may probe the FTS index once per candidate row).
        # Only placeholders and fixed SQL are interpolated below.
        sql = (
            "WITH hits AS MATERIALIZED (SELECT rowid AS id, name, bm25(catalog_search) AS score "  # noqa: S608
            "FROM catalog_search WHERE catalog_search MATCH %s) "
            "SELECT id, name FROM hits "
            f"WHERE id IN ({candidate_sql}) ORDER BY score LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, *params, shortlist])
            rows = cursor.fetchall()
        ranked = sorted(enumerate(rows), key=lambda item: (-_coverage(item[1][1], terms), item[0]))
        return [row[0] for _position, row in ranked[offset : offset + limit]]
    term_queries = [f"{t}:*" if i == last else t for i, t in enumerate(terms)]
    matched = " + ".join("(v.search_vector @@ to_tsquery('simple', %s))::int" for _ in terms)
    sql = (
        "SELECT v.id FROM catalog_procedureversion v "  # noqa: S608 — placeholders only
        f"WHERE v.search_vector @@ to_tsquery('simple', %s) AND v.id IN ({candidate_sql}) "
        f"ORDER BY ({matched}) DESC, "
        "ts_rank(v.search_vector, to_tsquery('simple', %s), 1) DESC, v.id LIMIT %s OFFSET %s"
    )
    any_term = " | ".join(term_queries)
    with connection.cursor() as cursor:
        cursor.execute(sql, [any_term, *params, *term_queries, any_term, limit, offset])
        return [row[0] for row in cursor.fetchall()]
