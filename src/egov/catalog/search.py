"""Vietnamese full-text search over the current published procedure versions.

Both databases search a pre-folded text (``core.text.fold``: no case, no diacritics, đ→d),
so "dang ky ho kinh doanh" finds "Đăng ký thành lập hộ kinh doanh":
- SQLite: an FTS5 table ``catalog_search`` over the folded name, scored by bm25;
- PostgreSQL: a GIN index on ``to_tsvector('simple', search_text)``, scored by ``ts_rank``.
Terms are OR-ed, so a word that is in no procedure does not empty the result; names matching
more of the words rank first, then the shorter/closer ones. The last term also matches as a
prefix (people type "kinh doa…"). Codes (1.001612, …H49) are matched exactly by the
selector before the text search.
"""

from __future__ import annotations

from django.db import connection

from egov.catalog.models import ProcedureVersion, VersionStatus
from egov.core.text import fold, fold_words

MAX_TERMS = 12


def search_name(version: ProcedureVersion) -> str:
    return fold(version.name)


def index_version(version: ProcedureVersion) -> None:
    """Refresh the search data of one version; only published versions are searchable."""
    name = search_name(version)
    ProcedureVersion.objects.filter(pk=version.pk).update(search_text=name)
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_search WHERE rowid = %s", [version.pk])
        if version.status == VersionStatus.PUBLISHED:
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


def ranked_ids(
    query: str, candidate_sql: str, params: list[object], limit: int, offset: int
) -> list[int]:
    """Ids of versions matching ``query``, best first: most query words matched, then the
    database's relevance score (which prefers shorter names). ``candidate_sql`` is a
    ``SELECT id FROM catalog_procedureversion WHERE …`` restricting the candidates."""
    terms = query_terms(query)
    if not terms:
        return []
    last = len(terms) - 1
    if connection.vendor == "sqlite":
        term_exprs = [_fts5_term(t, prefix=i == last) for i, t in enumerate(terms)]
        matched = " + ".join(
            "(rowid IN (SELECT rowid FROM catalog_search WHERE catalog_search MATCH %s))"
            for _ in terms
        )
        sql = (
            "SELECT rowid FROM catalog_search "
            f"WHERE catalog_search MATCH %s AND rowid IN ({candidate_sql}) "
            f"ORDER BY ({matched}) DESC, bm25(catalog_search), rowid LIMIT %s OFFSET %s"
        )
        args: list[object] = [" OR ".join(term_exprs), *params, *term_exprs, limit, offset]
    else:
        term_queries = [f"{t}:*" if i == last else t for i, t in enumerate(terms)]
        vector = "to_tsvector('simple', v.search_text)"
        matched = " + ".join(f"({vector} @@ to_tsquery('simple', %s))::int" for _ in terms)
        sql = (
            f"SELECT v.id FROM catalog_procedureversion v "
            f"WHERE {vector} @@ to_tsquery('simple', %s) AND v.id IN ({candidate_sql}) "
            f"ORDER BY ({matched}) DESC, "
            f"ts_rank({vector}, to_tsquery('simple', %s), 1) DESC, v.id LIMIT %s OFFSET %s"
        )
        any_term = " | ".join(term_queries)
        args = [any_term, *params, *term_queries, any_term, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [row[0] for row in cursor.fetchall()]
