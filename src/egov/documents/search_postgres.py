"""Document search on PostgreSQL: the search entries and the one statement that reads a page.

``documents_searchentry`` (migration 0005, PostgreSQL only, unknown to the Django models)
holds one row per document: ``kind`` (0 outgoing, 1 incoming: the order of the kinds at the
same moment), ``document_id``, ``at`` (arrival or creation time: the order of the results),
``access`` (who sees it: ``permissions.incoming_access`` / ``outgoing_access``) and
``vector``, made by the SQL function ``documents_search_vector(search_text, access, at)``:
- the words of the folded search text;
- every beginning of each word up to ``PREFIX_CHARS`` letters, marked ``~`` (``quy~``): the
  last word of a query, typed in part, is one word of the index — a prefix match
  (``quy:*``) reads the postings of every word it begins and was the slow step;
- the access words;
- time words ``~t<level>.<day >> 2·level>`` for the days since 1970-01-01 (UTC) and their
  blocks of 4, 16, 64, 256 and 1024 days, so that any range of days is a few words.
The rows are written in time order (the backfill sorts them, new documents come last), so
that the rows of a few days share few pages; the GIN indexes (one per kind) are built
without a pending list (``fastupdate = off``): a search never reads a list of recent
changes one by one. The table is never scanned in parallel (starting workers costs more
than any of these scans).

A page of one kind is one statement. Windows of time, newest first; each is read only when
those before it found fewer rows than the page needs (an ``InitPlan`` gate: PostgreSQL does
not run the scan at all otherwise):
0. rows after the anchor day (the cursor's day, or today): normally none, walked;
1. the anchor day: the planner may walk the time index there (common words fill a page
   within a few rows) or ask the GIN index; the day's time word is in the same tsquery as
   the words, so that the GIN scan cannot leave it out;
2.-5. the 3, 12, 48 and 192 days before it, each four times the one before (a quiet day
   before them, a weekend, costs at most four times the rows needed): the GIN index, the
   window's time words as the first condition (the scan skips to the window's rows) and
   the words second;
6. everything older: the GIN index alone.
Windows 2-6 are planned apart from their order (``OFFSET 0``), so that the planner never
walks the time index over a long range hoping to meet rare words soon. The words are one
tsquery: as separate conditions the planner may leave some out of the GIN scan (and read
every match of the others, as it did for "cai cach thu tuc hanh chinh", six words always
seen together that it took for a rare conjunction).

The actor's scope (``permissions.scope_access``): up to ``MAX_SCOPE_WORDS`` words it is part
of the words' tsquery (a clerk sees 1 % of the documents: the index finds them); a wider
scope (a provincial leader, who sees nearly everything) filters the rows found, the words
given once (a CTE: the planner does not estimate 400 words in every window).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection

# Keep in step with ``documents_search_vector`` (migration 0005_search_speed).
PREFIX_CHARS = 8
TIME_LEVELS = 6  # blocks of 4**level days, level 0..5
WINDOW_DAYS = (3, 12, 48, 192)  # before the anchor day (see the module's docstring)
MAX_SCOPE_WORDS = 40
OUTGOING_KIND, INCOMING_KIND = 0, 1
_DAY = dt.timedelta(days=1)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# The access words of one document travel as one text (they contain no space): PostgreSQL
# has no arrays of arrays of different lengths.
UPSERT_SQL = """
INSERT INTO documents_searchentry AS e (kind, document_id, at, access, vector)
SELECT %(kind)s, d.id, d.{time}, a.access,
       documents_search_vector(d.search_text, a.access, d.{time})
FROM unnest(%(ids)s::bigint[], %(access)s::text[]) AS x(id, words)
CROSS JOIN LATERAL string_to_array(x.words, ' ') AS a(access)
JOIN {table} d ON d.id = x.id
ON CONFLICT (kind, document_id) DO UPDATE
SET at = EXCLUDED.at, access = EXCLUDED.access, vector = EXCLUDED.vector
WHERE (e.at, e.access, e.vector) IS DISTINCT FROM (EXCLUDED.at, EXCLUDED.access, EXCLUDED.vector)
"""
TABLES = {
    INCOMING_KIND: ("documents_incomingdocument", "arrival_date"),
    OUTGOING_KIND: ("documents_outgoingdocument", "created_at"),
}


def upsert_entries(kind: int, access_by_id: dict[int, list[str]]) -> None:
    """Write the entries of these documents of ``kind`` from their saved search text, with
    their access words; an entry that would not change is left alone (no dead row, no new
    index entries)."""
    if not access_by_id:
        return
    table, time = TABLES[kind]
    ids = list(access_by_id)
    with connection.cursor() as cursor:
        cursor.execute(
            UPSERT_SQL.format(table=table, time=time),
            {"kind": kind, "ids": ids, "access": [" ".join(access_by_id[i]) for i in ids]},
        )


def drop_orphan_entries() -> None:
    """Remove the entries of documents that no longer exist (deleted outside the
    application, or emptied tables in tests): they would take places on a page."""
    with connection.cursor() as cursor:
        for kind, (table, _time) in TABLES.items():
            cursor.execute(
                f"DELETE FROM documents_searchentry e WHERE e.kind = {kind} "
                f"AND NOT EXISTS (SELECT 1 FROM {table} d WHERE d.id = e.document_id)"
            )


def _quoted(word: str) -> str:
    # Words are [0-9a-z]+ after folding and the marks are ~ . : nothing to escape.
    return f"'{word}'"


def word_queries(terms: list[str]) -> list[str]:
    """The tsquery of each word; the last word also as a prefix: its indexed beginning, or a
    prefix match when it is longer than the beginnings kept."""
    last = len(terms) - 1
    queries = [_quoted(term) for term in terms[:last]]
    final = terms[last]
    queries.append(_quoted(f"{final}~") if len(final) <= PREFIX_CHARS else f"{_quoted(final)}:*")
    return queries


def day_number(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _DAY


def time_words(first: int, last: int) -> list[str]:
    """The fewest time words covering the days ``first``..``last`` (both included): the
    largest aligned block that starts at ``first`` and fits, again and again."""
    words = []
    while first <= last:
        level = 0
        while level + 1 < TIME_LEVELS:
            span = 4 ** (level + 1)
            if first % span or first + span - 1 > last:
                break
            level += 1
        words.append(f"~t{level}.{first >> (2 * level)}")
        first += 4**level
    return words


def _day_start(day: int) -> dt.datetime:
    return _EPOCH + day * _DAY


@dataclass(frozen=True)
class _Window:
    """A range of time: ``span`` (conditions on ``at``) and/or ``days`` (its time words),
    read in one of three ways: ``walk`` the time index newest first (a range normally
    empty), let the ``planner`` choose (one day: walking or the GIN index are both
    short), or the GIN ``index`` alone."""

    how: str
    span: str = ""
    span_params: tuple[Any, ...] = ()
    days: str = ""


def _windows(day: int, first_page: bool) -> list[_Window]:
    windows = []
    if first_page:
        windows.append(_Window("walk", "at >= %s", (_day_start(day + 1),)))
    windows.append(_Window("planner", "at >= %s", (_day_start(day),), f"'~t0.{day}'"))
    newest = day - 1
    for days in WINDOW_DAYS:
        oldest = newest - days + 1
        words = " | ".join(_quoted(word) for word in time_words(oldest, newest))
        windows.append(_Window("index", days=words))
        newest = oldest - 1
    windows.append(_Window("index", "at < %s", (_day_start(newest + 1),)))
    return windows


def page_sql(
    *,
    kind: int,
    terms: list[str],
    scope: list[str],
    after: tuple[dt.datetime, int, int] | None,
    limit: int,
    today: dt.datetime,
) -> tuple[str, list[Any]]:
    """The statement of the ids of the next ``limit`` documents of ``kind`` whose words are
    ``terms`` and whose access words meet ``scope``, newest first; ``after`` is the cursor
    (time, kind, id): rows after it in the order (time, kind, id) descending."""
    place: list[str] = [f"kind = {kind}"]
    place_params: list[Any] = []
    anchor = today
    if after is not None:
        at, after_kind, pk = after
        anchor = at
        if kind > after_kind:  # this kind comes first at the same moment: already shown
            place.append("at < %s")
            place_params.append(at)
        elif kind < after_kind:
            place.append("at <= %s")
            place_params.append(at)
        else:
            place.append("(at, document_id) < (%s, %s)")
            place_params += [at, pk]
    # The words and (when narrow) the scope are one tsquery (see the module's docstring).
    query = " & ".join(word_queries(terms))
    narrow = len(scope) <= MAX_SCOPE_WORDS
    if narrow:
        query += f" & ({' | '.join(_quoted(word) for word in scope)})"
    ctes, params = [], []
    windows = _windows(day_number(anchor), after is None)
    for index, window in enumerate(windows):
        values: list[Any] = [query]
        if window.how == "planner":  # the day in the same tsquery: never left out
            values = [f"{query} & {window.days}"]
        elif window.days:  # the time words first: the GIN scan skips to the window's rows
            values = [window.days, query]
        match = ["vector @@ %s::tsquery"] * len(values)
        if not narrow:  # the words once, in the first CTE; planned without its contents
            match.append("access && (SELECT words FROM scope)")
        found = " + ".join(f"(SELECT count(*) FROM w{i})" for i in range(index))
        rows = [f"{found} < {limit}"] if index else []
        rows += [*place, *([window.span] if window.span else [])]
        order = f"ORDER BY at DESC, document_id DESC LIMIT {limit}"
        if window.how == "walk":  # the range's rows in time order, then the words
            sql = (
                f"SELECT document_id, at FROM (SELECT document_id, at, vector, access "
                f"FROM documents_searchentry WHERE {' AND '.join(rows)} "
                f"ORDER BY at DESC, document_id DESC OFFSET 0) r WHERE {' AND '.join(match)} "
                f"{order}"
            )
        else:
            where = " AND ".join(rows + match)
            sql = f"SELECT document_id, at FROM documents_searchentry WHERE {where}"
            if window.how == "index":  # planned apart from the order: never a walk
                sql = f"SELECT * FROM ({sql} OFFSET 0) m"
            sql = f"{sql} {order}"
        params += [*place_params, *window.span_params, *values]
        ctes.append(f"w{index} AS MATERIALIZED ({sql})")
    if not narrow:
        ctes.insert(0, "scope AS MATERIALIZED (SELECT %s::text[] AS words)")
        params.insert(0, scope)
    union = " UNION ALL ".join(f"SELECT * FROM w{i}" for i in range(len(windows)))
    statement = (
        f"WITH {', '.join(ctes)} SELECT document_id FROM ({union}) u "
        f"ORDER BY at DESC, document_id DESC LIMIT {limit}"
    )
    return statement, params
