"""The DVCQG simulator and client, protocol only (no database): sessions, refusals, ordering
rules, the catalog's "changed since", national dossiers and the outage switch."""

import datetime as dt

import pytest
import time_machine

from egov.contrib.dvcqg.client import (
    VIETNAM,
    DvcqgClient,
    DvcqgConfig,
    DvcqgRefused,
    DvcqgUnavailable,
)
from egov.contrib.dvcqg.simulator import DvcqgSimulator


@pytest.fixture
def simulator():
    running = DvcqgSimulator().start()
    yield running
    running.stop()


def client_for(simulator, password=None):
    return DvcqgClient(
        DvcqgConfig(
            url=f"{simulator.base_url}/dvcqg",
            username=simulator.username,
            password=simulator.password if password is None else password,
            unit_code=simulator.unit_code,
            timeout=5,
        )
    )


def record(code, sequence, status):
    return {"MaHoSo": code, "ThuTuCapNhat": sequence, "TrangThaiHoSo": status}


def test_an_expired_session_is_renewed_once_and_a_wrong_password_refused(simulator):
    client = client_for(simulator)
    with time_machine.travel(dt.datetime(2026, 12, 7, 8, 0, tzinfo=VIETNAM), tick=False) as clock:
        assert client.call("share", "TraCuuHoSo", mahoso="X") == []
        first = client.session_token
        clock.shift(dt.timedelta(hours=2))  # sessions last an hour
        assert client.call("share", "TraCuuHoSo", mahoso="X") == []
        assert client.session_token != first
    with pytest.raises(DvcqgRefused) as refused:
        client_for(simulator, password="sai").call("share", "TraCuuHoSo", mahoso="X")
    assert refused.value.code == "01"


def test_order_rules_of_the_dossier_sync(simulator):
    client = client_for(simulator)
    answers = client.sync_dossiers([record("A", 1, 2), record("B", 1, 2)], updating=False)
    assert [(a.key, a.code) for a in answers] == [("A", "00"), ("B", "00")]
    assert [a.code for a in client.sync_dossiers([record("C", 2, 4)], updating=True)] == ["03"]
    assert [a.code for a in client.sync_dossiers([record("A", 1, 2)], updating=True)] == ["00"]
    assert [a.code for a in client.sync_dossiers([record("A", 3, 4)], updating=True)] == ["00"]
    assert [a.code for a in client.sync_dossiers([record("A", 2, 5)], updating=True)] == ["04"]
    assert [a.code for a in client.sync_dossiers([record("A", 4, 10)], updating=True)] == ["00"]
    assert [a.code for a in client.sync_dossiers([record("A", 5, 4)], updating=True)] == ["04"]
    assert [a.code for a in client.sync_dossiers([record("A", 5, 11)], updating=True)] == ["02"]
    assert simulator.store.history == [("A", 1, 2), ("B", 1, 2), ("A", 3, 4), ("A", 4, 10)]
    simulator.unknown_update = "create"
    assert [a.code for a in client.sync_dossiers([record("C", 2, 4)], updating=True)] == ["00"]


def test_catalog_changed_since_and_national_dossiers(simulator):
    client = client_for(simulator)
    simulator.publish(
        {"MATTHC": "1.1", "TENTTHC": "Một"}, at=dt.datetime(2026, 12, 1, 8, tzinfo=VIETNAM)
    )
    simulator.publish(
        {"MATTHC": "1.2", "TENTTHC": "Hai"}, at=dt.datetime(2026, 12, 2, 8, tzinfo=VIETNAM)
    )
    assert [p["MATTHC"] for p in client.call("share", "LayDanhSachTTHC")] == ["1.1", "1.2"]
    since = client.call("share", "LayDanhSachTTHC", NgayCapNhatTu="20261202080000")
    assert since == [{"MATTHC": "1.2", "TENTTHC": "Hai", "NGAYCAPNHAT": "20261202080000"}]
    assert client.call("share", "LayThuTuc", maTTHC="1.2") == [{"MATTHC": "1.2", "TENTTHC": "Hai"}]
    with pytest.raises(DvcqgRefused):
        client.call("share", "LayDanhSachTTHC", NgayCapNhatTu="hôm qua")

    simulator.submit({"MaHoSoQG": "QG-1"})
    assert client.call("share", "LayDanhSachHoSoChoTiepNhan") == [{"MaHoSoQG": "QG-1"}]
    client.call("integration", "XacNhanDaNhanHoSo", data=["QG-1"])
    assert client.call("share", "LayDanhSachHoSoChoTiepNhan") == []


def test_an_outage_and_a_stopped_portal_are_unavailable(simulator):
    client = client_for(simulator)
    simulator.down = True
    with pytest.raises(DvcqgUnavailable, match="HTTP 503"):
        client.call("share", "TraCuuHoSo", mahoso="X")
    simulator.down = False
    assert client.call("share", "TraCuuHoSo", mahoso="X") == []
    simulator.stop()
    with pytest.raises(DvcqgUnavailable, match="unreachable"):
        client.call("share", "TraCuuHoSo", mahoso="X")
