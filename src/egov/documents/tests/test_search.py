"""Document search: folded matching (no case, no marks, đ→d), the PDF text layer, the actor's
visibility, keyset pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from egov.documents.models import IncomingDocument, OutgoingDocument
from egov.documents.search import SearchHit, parse_cursor, search_documents, tsquery
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import issued, received, text_pdf

pytestmark = pytest.mark.django_db
Docs = dict[str, IncomingDocument | OutgoingDocument]


def _found(page_hits: list[SearchHit]) -> list[tuple[str, int]]:
    return [(hit.kind, hit.document.pk) for hit in page_hits]


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
    pages: list[tuple[str, int]] = []
    after: str | None = None
    while True:
        page = search_documents(province.leader, "nghi", after=after, limit=1)
        pages.extend(_found(page.hits))
        after = page.next_after
        if after is None:
            break
    assert pages == [("in", scanned.pk), ("in", party.pk)]


def test_cursor_parsing_and_tsquery() -> None:
    assert parse_cursor("nonsense") is None
    assert parse_cursor("2026-03-02T02:00:00~in~5") is None  # no time zone
    assert parse_cursor("2026-03-02T02:00:00+00:00~in~5") == (
        dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC),
        "in",
        5,
    )
    assert tsquery(["quyet", "dinh"]) == "quyet & dinh:*"


def test_common_words_take_the_time_index_with_the_same_results(
    province: Province, documents: Docs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL more matches than ``CANDIDATES`` switch to walking the time index; the
    pages are the same either way (on SQLite both runs take the one path)."""
    from egov.documents import search

    expected = [_found(search_documents(province.leader, q).hits) for q in ("ve viec", "dang")]
    monkeypatch.setattr(search, "RECENT", 1)  # past the newest rows: the GIN candidates
    assert [_found(search_documents(province.leader, q).hits) for q in ("ve viec", "dang")] == (
        expected
    )
    monkeypatch.setattr(search, "CANDIDATES", 1)  # too many candidates: larger windows
    assert [_found(search_documents(province.leader, q).hits) for q in ("ve viec", "dang")] == (
        expected
    )
    assert search_documents(province.outsider, "dang").hits == []
    monkeypatch.setattr(search, "MAX_SCOPE_UNITS", 0)  # no unit words: the same again
    assert [_found(search_documents(province.leader, q).hits) for q in ("ve viec", "dang")] == (
        expected
    )
