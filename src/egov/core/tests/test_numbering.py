"""core.numbering: gap-free series, restarting per period, under real concurrency."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from egov.core.numbering import (
    Series,
    SeriesExhausted,
    daily,
    last_number,
    take_number,
    yearly,
)


def _take(series: Series, *, limit: int | None = None) -> int:
    with transaction.atomic():
        return take_number(series, limit=limit)


@pytest.mark.django_db
def test_numbers_run_from_one_in_each_series_and_period():
    day = dt.date(2026, 12, 1)
    unit_42 = daily("dossier-code", "unit", 42, on=day)
    assert [_take(unit_42) for _ in range(3)] == [1, 2, 3]
    assert _take(daily("dossier-code", "unit", 43, on=day)) == 1
    assert _take(daily("dossier-code", "unit", 42, on=day + dt.timedelta(days=1))) == 1
    assert _take(daily("receipt", "unit", 42, on=day)) == 1
    assert last_number(unit_42) == 3
    assert last_number(daily("dossier-code", "unit", 44, on=day)) == 0


@pytest.mark.django_db
def test_official_document_numbers_restart_on_1_january():
    """NĐ 30/2020/NĐ-CP: per agency and register, from 01 on 1 January to 31 December."""

    def register(day: dt.date, name: str = "cong-van") -> Series:
        return yearly("official-document", "000.00.89.H49", name, on=day)

    assert register(dt.date(2026, 12, 31)) == Series(
        "official-document", ("000.00.89.H49", "cong-van"), "2026"
    )
    assert [_take(register(dt.date(2026, 1, 1))), _take(register(dt.date(2026, 12, 31)))] == [1, 2]
    assert _take(register(dt.date(2027, 1, 1))) == 1
    assert _take(register(dt.date(2026, 12, 31), "quyet-dinh")) == 1
    assert _take(register(dt.date(2026, 6, 1))) == 3
    assert _take(register(dt.date(2027, 6, 1))) == 2


@pytest.mark.django_db
def test_a_rollback_gives_the_number_back():
    series = yearly("counter-notice", "unit", 1, "guidance", on=dt.date(2026, 5, 4))
    assert _take(series) == 1
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert take_number(series) == 2
        1 / 0  # noqa: B018 — the caller's transaction fails after taking the number
    assert _take(series) == 2


@pytest.mark.django_db
def test_a_full_series_refuses_without_taking_a_number():
    series = daily("dossier-code", "unit", 7, on=dt.date(2026, 5, 4))
    assert [_take(series, limit=2) for _ in range(2)] == [1, 2]
    with transaction.atomic():
        with pytest.raises(SeriesExhausted) as refused:
            take_number(series, limit=2)
        assert last_number(series) == 2  # the refusal changed nothing, even uncommitted
    assert (refused.value.series, refused.value.limit) == (series, 2)
    assert _take(series, limit=3) == 3


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        take_number(daily("dossier-code", "unit", 1, on=dt.date(2026, 5, 4)))


def test_series_keys_are_checked():
    with pytest.raises(ValueError, match="'/'"):
        Series("x", ("a/b",), "2026")
    with pytest.raises(ValueError, match="1 to 40"):
        Series("", (), "2026")
    with pytest.raises(ValueError, match="too long"):
        Series("x", ("a" * 201,), "2026")


def run_at_once(workers: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(i)`` in ``workers`` threads released together, each on its own database
    connection; the exceptions they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


class _Abandon(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_consecutive_numbers_and_rollbacks_leave_no_gap():
    """Every third caller rolls back after taking its number: the committed numbers are
    still 1…n without a hole, on PostgreSQL (row locks) and SQLite (WAL, IMMEDIATE
    transactions, busy timeout)."""
    workers = 30 if connection.vendor == "postgresql" else 12
    series = daily("dossier-code", "unit", 9, on=dt.date(2026, 5, 4))
    kept: list[int] = []

    def work(i: int) -> None:
        try:
            with transaction.atomic():
                number = take_number(series)
                if i % 3 == 0:
                    raise _Abandon
                kept.append(number)
        except _Abandon:
            pass

    assert run_at_once(workers, work) == []
    committed = workers - len(range(0, workers, 3))
    assert sorted(kept) == list(range(1, committed + 1))
    assert last_number(series) == committed
