"""The exchange tests' world: the documents tests' small province (the People's Committee
000.00.00.T01 and Sở Nội vụ 000.00.00.T02), both connected to an axis simulator through
the committee's system, and a ministry (000.00.00.G22) on the axis outside this system."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import override_settings

from egov.contrib.axis.simulator import AxisSimulator
from egov.contrib.axis.store import AxisStore
from egov.documents.tests.conftest import Province, province
from egov.exchange.axis import HttpAxis

__all__ = ["Province", "province"]

COMMITTEE, DEPARTMENT, MINISTRY = "000.00.00.T01", "000.00.00.T02", "000.00.00.G22"


@dataclass
class World:
    simulator: AxisSimulator
    axis: HttpAxis
    ministry: HttpAxis


@pytest.fixture
def world() -> Iterator[World]:
    store = AxisStore()
    store.register(code=COMMITTEE, name="Ủy ban nhân dân tỉnh Thử", secret="secret-t01")
    store.register(code=DEPARTMENT, name="Sở Nội vụ tỉnh Thử", secret="x", via=COMMITTEE)
    store.register(code=MINISTRY, name="Văn phòng Chính phủ", secret="secret-g22")
    simulator = AxisSimulator(store).start()
    with override_settings(
        EGOV_AXIS_URL=simulator.base_url,
        EGOV_AXIS_ORGAN_ID=COMMITTEE,
        EGOV_AXIS_SECRET="secret-t01",
    ):
        yield World(
            simulator=simulator,
            axis=HttpAxis(
                base_url=simulator.base_url, organ_id=COMMITTEE, secret="secret-t01", timeout=5
            ),
            ministry=HttpAxis(
                base_url=simulator.base_url, organ_id=MINISTRY, secret="secret-g22", timeout=5
            ),
        )
    simulator.stop()
    store.close()
