"""The axis simulator's protocol, over real HTTP: authentication, routing on the edXML
header, idempotent sends, the pending list, fetch, acknowledge, the directory, outages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from egov.contrib.axis.__main__ import main
from egov.contrib.axis.headers import HeaderError, read_header
from egov.contrib.axis.simulator import AxisSimulator
from egov.contrib.axis.store import AxisStore
from egov.contrib.axis.tests.conftest import DEPARTMENT, MINISTRY, PROVINCE, edoc, status

SECRETS = {PROVINCE: "s-province", DEPARTMENT: "s-dept", MINISTRY: "s-ministry"}


def call(
    axis: AxisSimulator, method: str, path: str, organ: str, **kwargs: Any
) -> requests.Response:
    headers = {"systemid": organ, "secretkey": SECRETS[organ], **kwargs.pop("headers", {})}
    return requests.request(method, axis.base_url + path, headers=headers, timeout=5, **kwargs)


def test_wrong_secret_or_unknown_system_is_401(axis: AxisSimulator) -> None:
    bad = requests.get(
        axis.base_url + "/agencies", headers={"systemid": PROVINCE, "secretkey": "x"}, timeout=5
    )
    assert bad.status_code == 401
    assert bad.json() == {
        "status": "FAIL",
        "errorCode": "UNAUTHORIZED",
        "errorDesc": "unknown systemid or wrong secretkey",
    }
    assert requests.get(axis.base_url + "/agencies", timeout=5).status_code == 401


def test_directory_lists_every_agency(axis: AxisSimulator) -> None:
    answer = call(axis, "GET", "/agencies", MINISTRY).json()
    assert answer["data"] == [
        {"code": MINISTRY, "name": "Văn phòng Chính phủ", "status": "active", "via": ""},
        {"code": PROVINCE, "name": "UBND tỉnh Quảng Ninh", "status": "active", "via": ""},
        {"code": DEPARTMENT, "name": "Sở Nội vụ", "status": "active", "via": PROVINCE},
    ]


def test_send_routes_to_each_recipient_until_acknowledged(axis: AxisSimulator) -> None:
    package = edoc(MINISTRY, [PROVINCE, DEPARTMENT], "000.00.00.G22,2026/12/01,15/VPCP-TH")
    sent = call(axis, "POST", "/edoc/send", MINISTRY, data=package, headers={"messagetype": "edoc"})
    assert sent.status_code == 200
    assert sent.json()["duplicate"] is False
    # The province's system also speaks for the department it hosts.
    pending = call(axis, "GET", "/edoc/received", PROVINCE).json()["data"]
    assert [(p["to"], p["from"], p["documentId"], p["messagetype"]) for p in pending] == [
        (PROVINCE, MINISTRY, "000.00.00.G22,2026/12/01,15/VPCP-TH", "edoc"),
        (DEPARTMENT, MINISTRY, "000.00.00.G22,2026/12/01,15/VPCP-TH", "edoc"),
    ]
    # The department connecting by itself sees only its own.
    assert [p["to"] for p in call(axis, "GET", "/edoc/received", DEPARTMENT).json()["data"]] == [
        DEPARTMENT
    ]
    fetched = call(axis, "GET", f"/edoc/{pending[0]['docId']}", PROVINCE)
    assert fetched.headers["Content-Type"] == "application/xml"
    assert fetched.content == package
    # Another agency cannot read it.
    assert call(axis, "GET", f"/edoc/{pending[0]['docId']}", MINISTRY).status_code == 404
    done = call(
        axis, "POST", f"/edoc/{pending[0]['docId']}/status", PROVINCE, json={"status": "done"}
    )
    assert done.json() == {"status": "OK", "docId": pending[0]["docId"]}
    left = call(axis, "GET", "/edoc/received", PROVINCE).json()["data"]
    assert [p["to"] for p in left] == [DEPARTMENT]
    # Acknowledging again is harmless; a fetched package stays readable.
    again = call(
        axis, "POST", f"/edoc/{pending[0]['docId']}/status", PROVINCE, json={"status": "done"}
    )
    assert again.status_code == 200
    assert call(axis, "GET", f"/edoc/{pending[0]['docId']}", PROVINCE).content == package


def test_same_document_id_twice_is_one_message(axis: AxisSimulator) -> None:
    package = edoc(PROVINCE, [MINISTRY], "000.00.00.H49,2026/12/01,7/UBND-VX")
    first = call(axis, "POST", "/edoc/send", PROVINCE, data=package).json()
    second = call(axis, "POST", "/edoc/send", PROVINCE, data=package).json()
    assert second["docId"] == first["docId"]
    assert (first["duplicate"], second["duplicate"]) == (False, True)
    assert len(call(axis, "GET", "/edoc/received", MINISTRY).json()["data"]) == 1
    # A recall of the same document is another message.
    recall = edoc(PROVINCE, [MINISTRY], "000.00.00.H49,2026/12/01,7/UBND-VX", business=1)
    third = call(axis, "POST", "/edoc/send", PROVINCE, data=recall).json()
    assert third["docId"] != first["docId"]
    pending = call(axis, "GET", "/edoc/received", MINISTRY).json()["data"]
    assert [p["businessType"] for p in pending] == ["0", "1"]


def test_status_goes_back_to_the_organ_of_the_document(axis: AxisSimulator) -> None:
    message = status(MINISTRY, PROVINCE, "000.00.00.H49,2026/12/01,7/UBND-VX", "03")
    sent = call(
        axis, "POST", "/edoc/send", MINISTRY, data=message, headers={"messagetype": "status"}
    )
    assert sent.status_code == 200
    assert call(axis, "GET", "/edoc/received?messagetype=edoc", PROVINCE).json()["data"] == []
    [pending] = call(axis, "GET", "/edoc/received?messagetype=status", PROVINCE).json()["data"]
    assert (pending["from"], pending["businessType"], pending["messagetype"]) == (
        MINISTRY,
        "03",
        "status",
    )


@pytest.mark.parametrize(
    ("body", "kind", "expected"),
    [
        (b"not xml", "edoc", (400, "BAD_PACKAGE")),
        (edoc(MINISTRY, [PROVINCE], "x"), "edoc", (403, "FORBIDDEN_SENDER")),
        (edoc(PROVINCE, ["000.00.00.Z99"], "x"), "edoc", (422, "UNKNOWN_RECIPIENT")),
        (edoc(PROVINCE, [MINISTRY], ""), "edoc", (400, "BAD_PACKAGE")),
        (edoc(PROVINCE, [MINISTRY], "x"), "fax", (400, "BAD_PACKAGE")),
    ],
)
def test_bad_sends_are_refused(
    axis: AxisSimulator, body: bytes, kind: str, expected: tuple[int, str]
) -> None:
    answer = call(axis, "POST", "/edoc/send", PROVINCE, data=body, headers={"messagetype": kind})
    assert (answer.status_code, answer.json()["errorCode"]) == expected
    assert call(axis, "GET", "/edoc/received", MINISTRY).json()["data"] == []


def test_entities_are_not_resolved() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
        b"<edXML><MessageHeader><From><OrganId>&e;</OrganId></From>"
        b"<To><OrganId>A</OrganId></To><DocumentId>d</DocumentId></MessageHeader></edXML>"
    )
    with pytest.raises(HeaderError, match="no From/OrganId"):
        read_header(evil, "edoc")


def test_out_of_service_answers_503_then_recovers(axis: AxisSimulator) -> None:
    axis.available = False
    assert call(axis, "GET", "/agencies", PROVINCE).status_code == 503
    axis.available = True
    axis.failures_left = 1
    assert call(axis, "GET", "/agencies", PROVINCE).status_code == 503
    assert call(axis, "GET", "/agencies", PROVINCE).status_code == 200


def test_the_store_survives_a_restart_on_its_file(tmp_path: Path) -> None:
    path = str(tmp_path / "axis.sqlite3")
    store = AxisStore(path)
    store.register(code=PROVINCE, name="UBND", secret="s-province")
    store.register(code=MINISTRY, name="VPCP", secret="s-ministry")
    first = AxisSimulator(store).start()
    call(first, "POST", "/edoc/send", MINISTRY, data=edoc(MINISTRY, [PROVINCE], "d-1"))
    first.stop()
    store.close()
    again = AxisStore(path)
    second = AxisSimulator(again).start()
    try:
        pending = call(second, "GET", "/edoc/received", PROVINCE).json()["data"]
        assert [p["documentId"] for p in pending] == ["d-1"]
    finally:
        second.stop()
        again.close()


def test_command_line_refuses_a_bad_agency(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", ":memory:", "--agency", "000.00.00.H49=secret"])
    assert exit_info.value.code == 2
    assert "CODE=SECRET=NAME[=VIA]" in capsys.readouterr().err
