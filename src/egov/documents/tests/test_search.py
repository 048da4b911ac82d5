"""Document search: folded matching (no case, no marks, đ→d), the PDF text layer, the actor's
visibility, keyset pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
import time_machine

from egov.accounts.models import User
from egov.documents.models import IncomingDocument, OutgoingDocument
from egov.documents.search import SearchHit, parse_cursor, search_documents
from egov.documents.search_postgres import time_words, word_queries
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import issued, received, text_pdf

pytestmark = pytest.mark.django_db
Docs = dict[str, IncomingDocument | OutgoingDocument]


def _found(page_hits: list[SearchHit]) -> list[tuple[str, int]]:
    return [(hit.kind, hit.document.pk) for hit in page_hits]


def _every_page(actor: User, query: str, size: int) -> list[tuple[str, int]]:
    """The hits of every page, following ``next_after`` to the last page."""
    found: list[tuple[str, int]] = []
    after: str | None = None
    while True:
        page = search_documents(actor, query, after=after, limit=size)
        found.extend(_found(page.hits))
        after = page.next_after
        if after is None:
            return found


@pytest.fixture
def documents(province: Province) -> Docs:
    start = dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        party = received(
            province,
            subject="Về việc học tập Nghị quyết của Đảng",
            organ_name="Tỉnh ủy Thử",
            file=text_pdf("Kế hoạch triển khai"),
        )
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        decision = issued(
            province, subject="Về việc khen thưởng tập thể", text="Điều 1. Tặng bằng khen"
        )
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        scanned = received(
            province,
            subject="Giấy mời dự hội nghị",
            file=text_pdf("Hội nghị tổng kết công tác phòng chống lụt bão"),
            code_number="88",
        )
    return {"party": party, "decision": decision, "scanned": scanned}


def test_folded_metadata_matches(province: Province, documents: Docs) -> None:
    party, decision = documents["party"], documents["decision"]
    assert _found(search_documents(province.leader, "dang").hits) == [("in", party.pk)]
    assert _found(search_documents(province.leader, "NGHI QUYET dang").hits) == [("in", party.pk)]
    # "quyet dinh" finds the Quyết định by its type; the prefix of the last word counts.
    assert _found(search_documents(province.leader, "quyet dinh").hits) == [("out", decision.pk)]
    assert _found(search_documents(province.leader, "khen thuo").hits) == [("out", decision.pk)]
    # Number and notation: "01/QĐ-UBND" folds to the words 01 qd ubnd.
    assert _found(search_documents(province.leader, "01/QĐ-UBND").hits) == [("out", decision.pk)]
    # Every word must match.
    assert search_documents(province.leader, "dang khen").hits == []
    assert search_documents(province.leader, "  ").hits == []


def test_text_layer_is_searched(province: Province, documents: Docs) -> None:
    scanned, decision = documents["scanned"], documents["decision"]
    assert _found(search_documents(province.leader, "lut bao").hits) == [("in", scanned.pk)]
    # The outgoing document's latest PDF ("Điều 1. Tặng bằng khen").
    assert _found(search_documents(province.leader, "tang bang khen").hits) == [
        ("out", decision.pk)
    ]


def test_results_are_limited_to_what_the_actor_may_see(province: Province, documents: Docs) -> None:
    assert search_documents(province.outsider, "dang").hits == []
    assert search_documents(province.other_clerk, "lut bao").hits == []
    # The decision was issued to Sở Nội vụ: its people find the copy they received, never
    # the committee's outgoing document itself.
    delivered = IncomingDocument.objects.get(agency=province.other)
    assert _found(search_documents(province.outsider, "khen thuong").hits) == [("in", delivered.pk)]
    # The division's specialist sees what was distributed to the division and drafted in it.
    assert len(search_documents(province.specialist, "ve viec").hits) == 2


def test_newest_first_with_keyset_pages(province: Province, documents: Docs) -> None:
    party, decision, scanned = documents["party"], documents["decision"], documents["scanned"]
    first = search_documents(province.leader, "ve viec", limit=1)
    assert _found(first.hits) == [("out", decision.pk)]
    assert first.next_after is not None
    second = search_documents(province.leader, "ve viec", after=first.next_after, limit=1)
    assert _found(second.hits) == [("in", party.pk)]
    assert second.next_after is None
    whole = search_documents(province.leader, "ve viec", limit=5)
    assert (len(whole.hits), whole.next_after) == (2, None)
    assert _every_page(province.leader, "nghi", 1) == [("in", scanned.pk), ("in", party.pk)]


def test_cursor_parsing_and_query_words() -> None:
    assert parse_cursor("nonsense") is None
    assert parse_cursor("2026-03-02T02:00:00~in~5") is None  # no time zone
    assert parse_cursor("2026-03-02T02:00:00+00:00~in~5") == (
        dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC),
        "in",
        5,
    )
    # PostgreSQL: one query per word; the last as its indexed beginning, or a prefix match
    # when it is longer than the beginnings kept (8 letters).
    assert word_queries(["quyet", "dinh"]) == ["'quyet'", "'dinh~'"]
    assert word_queries(["so", "120000000"]) == ["'so'", "'120000000':*"]
    # Days 3..20: day 3, the blocks of 4 days from 4 to 19, day 20.
    assert time_words(3, 20) == ["~t0.3", "~t1.1", "~t1.2", "~t1.3", "~t1.4", "~t0.20"]
    assert time_words(0, 1023) == ["~t5.0"]
    assert time_words(5, 4) == []


# Moments around the documents (2 March 2026, 02:00-04:00 UTC): before them (they are in the
# future), the same day, 2, 8, 39 and 121 days later (a window each), long after.
MOMENTS = [
    dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 2, 5, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 4, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 10, tzinfo=dt.UTC),
    dt.datetime(2026, 4, 10, tzinfo=dt.UTC),
    dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
    dt.datetime(2027, 6, 1, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.date().isoformat())
@pytest.mark.parametrize("wide_scope", [False, True], ids=["scope-in-index", "scope-filtered"])
def test_every_time_window_gives_the_same_pages(
    province: Province,
    documents: Docs,
    monkeypatch: pytest.MonkeyPatch,
    moment: dt.datetime,
    wide_scope: bool,
) -> None:
    """On PostgreSQL the documents fall in another window of time at each moment (after the
    anchor day, on it, in one of the windows of days before it, older), and the scope is a
    condition of the GIN index or a filter of the rows; the pages are the same (on SQLite
    every run takes the one path)."""
    from egov.documents import search_postgres

    party, decision, scanned = documents["party"], documents["decision"], documents["scanned"]
    if wide_scope:
        monkeypatch.setattr(search_postgres, "MAX_SCOPE_WORDS", 0)
    with time_machine.travel(moment, tick=False):
        assert _found(search_documents(province.leader, "ve viec").hits) == [
            ("out", decision.pk),
            ("in", party.pk),
        ]
        assert _found(search_documents(province.leader, "NGHI QUYET dang").hits) == [
            ("in", party.pk)
        ]
        assert _found(search_documents(province.leader, "khen thuo").hits) == [("out", decision.pk)]
        assert search_documents(province.outsider, "dang").hits == []
        assert search_documents(province.other_clerk, "lut bao").hits == []
        pages = _every_page(province.leader, "nghi", 1)
        assert pages == [("in", scanned.pk), ("in", party.pk)]


@pytest.mark.parametrize("who", ["clerk", "leader", "specialist", "outsider"])
def test_a_search_page_takes_three_sql_statements(
    province: Province,
    documents: Docs,
    django_assert_num_queries: Callable[[int], AbstractContextManager[object]],
    who: str,
) -> None:
    """The actor's scope once, then the incoming and the outgoing documents of the page —
    whatever the actor's scope (the leader's spans more units than the GIN index is asked
    for: ``MAX_SCOPE_WORDS``) and on every page."""
    from egov.documents.search_postgres import MAX_SCOPE_WORDS
    from egov.org.models import Unit, UnitKind

    Unit.objects.bulk_create(
        Unit(
            key=f"t.ubnd.p{index}",
            name=f"Phòng {index}",
            kind=UnitKind.DIVISION,
            parent=province.agency,
        )
        for index in range(MAX_SCOPE_WORDS)
    )
    actor = getattr(province, who)
    with django_assert_num_queries(3):
        first = search_documents(actor, "ve viec", limit=1)
    with django_assert_num_queries(3):
        search_documents(actor, "ve viec", after=first.next_after, limit=1)
    with django_assert_num_queries(0):
        search_documents(actor, " ; ")


def test_pages_cross_the_time_windows_in_order(province: Province) -> None:
    """Documents a day, weeks, months and years apart (the windows of 1, 3, 12, 48, 192 days and
    everything older on PostgreSQL): every page size lists them all, newest first, once."""
    moments = [
        dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        dt.datetime(2026, 8, 1, tzinfo=dt.UTC),
        dt.datetime(2025, 1, 15, tzinfo=dt.UTC),
        dt.datetime(2021, 6, 1, tzinfo=dt.UTC),
    ]
    expected = []
    for index, moment in enumerate(moments):
        with time_machine.travel(moment, tick=False):
            subject = f"Về việc kiểm kê tài sản {index}"
            if index % 2:
                expected.append(("out", issued(province, subject=subject).pk))
            else:
                expected.append(("in", received(province, subject=subject).pk))
    with time_machine.travel(dt.datetime(2026, 12, 1, tzinfo=dt.UTC), tick=False):
        for size in (1, 2, 4, 10):
            assert _every_page(province.leader, "kiem ke tai", size) == expected, size
