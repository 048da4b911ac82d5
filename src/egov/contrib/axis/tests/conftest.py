from __future__ import annotations

from collections.abc import Iterator

import pytest

from egov.contrib.axis.samples import edoc, status
from egov.contrib.axis.simulator import AxisSimulator
from egov.contrib.axis.store import AxisStore

__all__ = ["DEPARTMENT", "MINISTRY", "PROVINCE", "edoc", "status"]

PROVINCE, DEPARTMENT, MINISTRY = "000.00.00.H49", "000.00.01.H49", "000.00.00.G22"


@pytest.fixture
def axis() -> Iterator[AxisSimulator]:
    store = AxisStore()
    store.register(code=PROVINCE, name="UBND tỉnh Quảng Ninh", secret="s-province")
    store.register(code=DEPARTMENT, name="Sở Nội vụ", secret="s-dept", via=PROVINCE)
    store.register(code=MINISTRY, name="Văn phòng Chính phủ", secret="s-ministry")
    simulator = AxisSimulator(store).start()
    yield simulator
    simulator.stop()
    store.close()
