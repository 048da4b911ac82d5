"""edXML status messages: one golden file per status code, refusals."""

from __future__ import annotations

import dataclasses

import pytest

from egov.exchange.codes import StatusKind
from egov.exchange.errors import InvalidValue, MissingElement, SignatureInvalid
from egov.exchange.status import build_status_package, package_kind, parse_status_package
from egov.exchange.tests.conftest import drop, resign, set_text
from egov.exchange.tests.samples import check_golden, status_message

# Research notes §2.3 [S: STATUS-CS, LGSP-JOB].
WIRE = {
    StatusKind.ARRIVED: "01",
    StatusKind.REJECTED: "02",
    StatusKind.ACCEPTED: "03",
    StatusKind.ASSIGNED: "04",
    StatusKind.IN_PROGRESS: "05",
    StatusKind.COMPLETED: "06",
    StatusKind.RECALL_REQUESTED: "13",
    StatusKind.RECALL_AGREED: "15",
    StatusKind.RECALL_REFUSED: "16",
}
STATUS = "edXMLEnvelope/edXMLHeader/Status"


def test_every_status_has_a_code():
    assert set(WIRE) == set(StatusKind)


@pytest.mark.parametrize("kind", list(StatusKind))
def test_status_golden_file_both_ways(kind, golden_signer, golden_trust):
    name = f"status_{WIRE[kind]}_{kind.value}.xml"
    data = build_status_package(status_message(kind), signer=golden_signer)
    golden = check_golden(name, data)
    assert data == golden
    assert f"<edXML:StatusCode>{WIRE[kind]}</edXML:StatusCode>".encode() in golden
    parsed = parse_status_package(golden, trust=golden_trust)
    assert parsed.message == status_message(kind)
    assert (
        parsed.signer_subject == "CN=UBND tỉnh Quảng Ninh (thử nghiệm),O=UBND tỉnh Quảng Ninh,C=VN"
    )
    assert package_kind(golden) == "status"


def test_tampered_status_is_refused(golden_trust):
    data = check_golden("status_02_rejected.xml", b"")
    tampered = data.replace("Gửi nhầm".encode(), "Gửi nhần".encode(), 1)
    with pytest.raises(SignatureInvalid) as caught:
        parse_status_package(tampered, trust=golden_trust)
    assert caught.value.message == (
        "Chữ ký số của gói tin không hợp lệ: nội dung đã bị thay đổi sau khi ký."
    )


@pytest.mark.parametrize("kind", [StatusKind.REJECTED, StatusKind.RECALL_REFUSED])
def test_rejection_and_refused_recall_need_a_reason(kind, golden_signer, golden_trust):
    # NĐ 30/2020, Điều 21.2.b (return to the sender) and Phụ lục VI III.8 (recall).
    with pytest.raises(MissingElement) as caught:
        build_status_package(
            dataclasses.replace(status_message(kind), description=""), signer=golden_signer
        )
    assert caught.value.message == "Gói tin thiếu thành phần bắt buộc: Status/Description."
    data = resign(
        check_golden(f"status_{WIRE[kind]}_{kind.value}.xml", b""),
        set_text(f"{STATUS}/Description", " "),
    )
    with pytest.raises(MissingElement) as parsed:
        parse_status_package(data, trust=golden_trust)
    assert parsed.value.path == "Status/Description"


def test_unknown_status_code(golden_trust):
    data = resign(
        check_golden("status_03_accepted.xml", b""), set_text(f"{STATUS}/StatusCode", "07")
    )
    with pytest.raises(InvalidValue) as caught:
        parse_status_package(data, trust=golden_trust)
    assert caught.value.message == "Giá trị không hợp lệ ở Status/StatusCode: “07”."


def test_status_without_the_document_it_is_about(golden_trust):
    data = resign(
        check_golden("status_03_accepted.xml", b""), drop(f"{STATUS}/ResponseFor/DocumentId")
    )
    with pytest.raises(MissingElement) as caught:
        parse_status_package(data, trust=golden_trust)
    assert caught.value.message == (
        "Gói tin thiếu thành phần bắt buộc: Status/ResponseFor/DocumentId."
    )


def test_a_document_package_is_not_a_status(golden_trust):
    with pytest.raises(MissingElement) as caught:
        parse_status_package(check_golden("document_new.xml", b""), trust=golden_trust)
    assert caught.value.path == "Status"


def test_codes_come_from_the_configured_file(tmp_path, settings, golden_signer, golden_trust):
    """A corrected code list (EGOV_EXCHANGE_CODES_FILE) changes the wire value, not the code."""
    import json

    from egov.exchange.codes import DEFAULT_FILE

    table = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    table["status"]["codes"]["accepted"] = "31"
    path = tmp_path / "codes.json"
    path.write_text(json.dumps(table), encoding="utf-8")
    settings.EGOV_EXCHANGE_CODES_FILE = str(path)
    data = build_status_package(status_message(StatusKind.ACCEPTED), signer=golden_signer)
    assert b"<edXML:StatusCode>31</edXML:StatusCode>" in data
    assert parse_status_package(data, trust=golden_trust).message.status is StatusKind.ACCEPTED
    with pytest.raises(InvalidValue):
        parse_status_package(check_golden("status_03_accepted.xml", b""), trust=golden_trust)
