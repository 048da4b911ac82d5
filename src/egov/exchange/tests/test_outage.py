"""An axis outage of ten minutes — five answering 503, five refusing connections — loses
nothing: packages wait in the outbox and are retried, the poll fails and leaves everything
pending on the axis; once it is back, every package is delivered exactly once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from egov.contrib.axis.simulator import AxisSimulator
from egov.documents.models import IncomingDocument, IncomingSource
from egov.documents.tests.conftest import Province
from egov.exchange.axis import AxisUnavailable
from egov.exchange.models import SentPackage, SentState
from egov.exchange.services.inbox import exchange_poll
from egov.exchange.services.outbox import exchange_send_due
from egov.exchange.tests.conftest import DEPARTMENT, MINISTRY, World
from egov.exchange.tests.flows import issue_to

Capture = Callable[..., Any]
pytestmark = pytest.mark.usefixtures("signing_settings")


def test_ten_minutes_down_loses_nothing(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    start = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        world.simulator.available = False
        documents = [
            issue_to(
                province,
                {DEPARTMENT: "Sở Nội vụ tỉnh Thử", MINISTRY: "Văn phòng Chính phủ"},
                subject=f"Văn bản số {n}",
            )
            for n in (1, 2)
        ]
        port = world.simulator.server.server_address[1]
        store = world.simulator.store
        tries = 0
        for minute in range(1, 11):
            if minute == 6:  # from now on nothing even listens on the port
                world.simulator.available = True
                world.simulator.stop()
            clock.shift(dt.timedelta(minutes=1))
            run = exchange_send_due(axis=world.axis)
            assert run.sent == 0
            tries += run.retried
            with pytest.raises(AxisUnavailable):
                exchange_poll(axis=world.axis)
        assert tries >= 4
        rows = SentPackage.objects.filter(outgoing__in=documents)
        assert {r.state for r in rows} == {SentState.QUEUED}
        assert all(r.next_attempt_at > timezone.now() - dt.timedelta(minutes=10) for r in rows)
        # The axis is back on the same address, with what it had stored.
        world.simulator = AxisSimulator(store, port=port).start()
        try:
            clock.shift(dt.timedelta(minutes=10))  # past the longest delay
            assert exchange_send_due(axis=world.axis).sent == 4
            with django_capture_on_commit_callbacks(execute=True):
                assert exchange_poll(axis=world.axis).documents == 2
            assert exchange_send_due(axis=world.axis).sent == 2  # the two "đã đến" statuses
            assert exchange_send_due(axis=world.axis).sent == 0
            with django_capture_on_commit_callbacks(execute=True):
                again = exchange_poll(axis=world.axis)
            # Only the two statuses come back: no document twice.
            assert (again.documents, again.statuses, again.duplicates) == (0, 2, 0)
            pending = world.ministry.pending("edoc")
            assert sorted(p.document_id for p in pending) == sorted(
                SentPackage.objects.filter(to_organ=MINISTRY).values_list("document_id", flat=True)
            )
            assert len(pending) == 2
        finally:
            world.simulator.stop()
    received = IncomingDocument.objects.filter(
        agency=province.other, source=IncomingSource.EXCHANGE
    ).order_by("subject")
    assert [d.subject for d in received] == ["Văn bản số 1", "Văn bản số 2"]
    assert {r.state for r in SentPackage.objects.all()} == {SentState.SENT}
    assert {r.receiver_status for r in SentPackage.objects.filter(to_organ=DEPARTMENT)} == {"01"}
