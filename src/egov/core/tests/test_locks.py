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
def test_a_second_transaction_waits_for_the_name_until_the_first_commits():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writing transactions already (IMMEDIATE)")
    order: list[str] = []
    first_holds = threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                lock_name("phone:+84912000001")
                first_holds.set()
                time.sleep(0.3)
                order.append("first done")
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_holds.wait(timeout=10)
            with transaction.atomic():
                lock_name("phone:+84912000001")
                order.append("second got it")
                lock_name("phone:+84912000002")  # another name is free at once
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert order == ["first done", "second got it"]
