"""`lock_name`: a named lock for the rest of a transaction (PostgreSQL advisory lock)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from egov.core.locks import lock_name


def test_outside_a_transaction_it_refuses():
    with pytest.raises(RuntimeError, match="inside atomic"):
        lock_name("anything")


@pytest.mark.django_db(transaction=True)
def test_a_second_transaction_waits_for_the_name_and_another_name_is_free():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writing transactions already (IMMEDIATE)")
    order: list[str] = []
    holds, other_taken = threading.Event(), threading.Event()

    def run(work):
        def wrapped() -> None:
            try:
                with transaction.atomic():
                    work()
            finally:
                connections.close_all()

        return threading.Thread(target=wrapped)

    def first() -> None:
        lock_name("phone:+84912000001")
        holds.set()
        # Held until another name has been taken in another transaction (it does not wait
        # for this one), then a moment more: a second taker of this name must still wait.
        other_taken.wait(timeout=10)
        time.sleep(0.3)
        order.append("first done")

    def same() -> None:
        holds.wait(timeout=10)
        lock_name("phone:+84912000001")
        order.append("second got it")

    def other() -> None:
        holds.wait(timeout=10)
        lock_name("phone:+84912000002")
        order.append("other free")
        other_taken.set()

    threads = [run(first), run(same), run(other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert order == ["other free", "first done", "second got it"]
