"""``HttpAxis`` against the axis simulator over HTTP: every operation of the interface, and the
two kinds of failure (unavailable: try later; refused: the axis said no)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from egov.contrib.axis.samples import edoc, status
from egov.contrib.axis.simulator import AxisSimulator
from egov.contrib.axis.store import AxisStore
from egov.exchange.axis import (
    AxisRefused,
    AxisUnavailable,
    DirectoryEntry,
    HttpAxis,
    PendingMessage,
)

A, B = "000.00.00.H49", "000.00.00.G22"


@pytest.fixture
def simulator() -> Iterator[AxisSimulator]:
    store = AxisStore()
    store.register(code=A, name="UBND tỉnh Quảng Ninh", secret="secret-a")
    store.register(code=B, name="Văn phòng Chính phủ", secret="secret-b")
    running = AxisSimulator(store).start()
    yield running
    running.stop()
    store.close()


def axis_of(simulator: AxisSimulator, organ: str, secret: str) -> HttpAxis:
    return HttpAxis(base_url=simulator.base_url, organ_id=organ, secret=secret, timeout=5)


def test_every_operation(simulator: AxisSimulator) -> None:
    a, b = axis_of(simulator, A, "secret-a"), axis_of(simulator, B, "secret-b")
    package = edoc(A, [B], "000.00.00.H49,2026/12/01,7/UBND-VX")
    receipt = a.send(package)
    assert receipt.duplicate is False
    assert a.send(package).message_id == receipt.message_id
    [pending] = b.pending("edoc")
    assert pending == PendingMessage(
        id=pending.id,
        message_type="edoc",
        from_organ=A,
        to_organ=B,
        document_id="000.00.00.H49,2026/12/01,7/UBND-VX",
        business_type="0",
    )
    assert b.fetch(pending.id) == package
    b.acknowledge(pending.id)
    assert b.pending() == []
    b.send_status(status(B, A, "000.00.00.H49,2026/12/01,7/UBND-VX", "01"))
    [answer] = a.pending("status")
    assert (answer.from_organ, answer.business_type) == (B, "01")
    assert a.directory() == [
        DirectoryEntry(code=B, name="Văn phòng Chính phủ", status="active", via=""),
        DirectoryEntry(code=A, name="UBND tỉnh Quảng Ninh", status="active", via=""),
    ]


def test_refusals_carry_the_axis_error(simulator: AxisSimulator) -> None:
    with pytest.raises(AxisRefused) as wrong_secret:
        axis_of(simulator, A, "nope").pending()
    assert (wrong_secret.value.status, wrong_secret.value.code) == (401, "UNAUTHORIZED")
    a = axis_of(simulator, A, "secret-a")
    with pytest.raises(AxisRefused) as unknown:
        a.send(edoc(A, ["000.00.00.Z99"], "d"))
    assert (unknown.value.status, unknown.value.code) == (422, "UNKNOWN_RECIPIENT")
    with pytest.raises(AxisRefused) as missing:
        a.fetch("no-such-id")
    assert missing.value.code == "NOT_FOUND"


def test_out_of_service_is_unavailable(simulator: AxisSimulator) -> None:
    simulator.available = False
    with pytest.raises(AxisUnavailable, match="HTTP 503"):
        axis_of(simulator, A, "secret-a").send(edoc(A, [B], "d"))
    simulator.available = True
    assert axis_of(simulator, B, "secret-b").pending() == []


def test_connection_refused_is_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    axis = HttpAxis(base_url=f"http://127.0.0.1:{port}", organ_id=A, secret="s", timeout=2)
    with pytest.raises(AxisUnavailable, match="ConnectionError"):
        axis.pending()


def test_the_secret_is_not_in_its_repr() -> None:
    axis = HttpAxis(base_url="http://127.0.0.1:1", organ_id=A, secret="very-secret")
    assert "very-secret" not in repr(axis)
