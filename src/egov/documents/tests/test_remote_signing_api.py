"""Ký số từ xa through the staff API: POST sends the request (202, or 200 with the one already
waiting), GET follows it; the task runs against the CSC simulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from egov.contrib.csc.simulator import CscSimulator
from egov.contrib.csc.tests.test_csc import Phone
from egov.documents.models import RemoteSigningRequest
from egov.documents.tests.conftest import Province
from egov.documents.tests.test_outgoing_api import Keys, _act, _create
from egov.documents.tests.test_remote_signing import remote_method, run_signing_worker
from egov.signing.models import PersonalSigningMethod, SigningMethod
from egov.signing.pki import DevPki
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.usefixtures("signing_settings")
URL = "/api/v1/staff/remote-signing-requests"
OUTGOING = "/api/v1/staff/outgoing-documents"


@pytest.fixture
def keys(province: Province) -> Keys:
    return Keys(province)


@pytest.fixture
def csc(keys: Keys, dev_pki: DevPki, settings) -> Iterator[CscSimulator]:
    simulator = CscSimulator().start()
    remote_method(simulator, dev_pki, keys.users["leader"], settings)
    yield simulator
    simulator.stop()


def _in_approval(client: Client, keys: Keys, province: Province, subject: str) -> dict[str, int]:
    created = _create(client, keys, province, subject=subject)
    assert created.status_code == 201, created.content
    body = created.json()
    revision = body["revision"]
    for who, action in (
        ("specialist", "submit"),
        ("vx_leader", "approve_content"),
        ("clerk", "approve_format"),
    ):
        answer = _act(client, keys, who, body["id"], action, revision)
        assert answer.status_code == 200, answer.content
        revision = answer.json()["revision"]
    return {"id": body["id"], "revision": revision}


def _post(client: Client, keys: Keys, who: str, documents: list[dict[str, int]], **extra: object):
    return client.post(
        URL,
        {"documents": documents, **extra},
        content_type="application/json",
        **keys.auth(who),
    )


def test_start_then_follow_until_signed(
    province: Province, keys: Keys, csc: CscSimulator, client: Client
) -> None:
    first = _in_approval(client, keys, province, "Tờ trình kinh phí Tết")
    second = _in_approval(client, keys, province, "Tờ trình trực Tết")
    started = _post(client, keys, "leader", [first, second], signer_position="Phó Chủ tịch")
    assert started.status_code == 202, started.content
    body = started.json()
    assert (body["state"], body["message"], body["finished_at"]) == (
        "waiting",
        "Đang chờ xác nhận trên điện thoại…",
        None,
    )
    assert [(d["id"], d["signed"], d["status"]) for d in body["documents"]] == [
        (first["id"], False, "approval"),
        (second["id"], False, "approval"),
    ]
    # Sent again (a retry, a double click): the same request, nothing new on the phone.
    again = _post(client, keys, "leader", [second])
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    assert RemoteSigningRequest.objects.count() == 1

    with Phone(csc, "approve") as phone:
        run_signing_worker()
    assert [p["numSignatures"] for p in phone.seen] == [2]
    status = client.get(f"{URL}/{body['id']}", **keys.auth("leader"))
    assert status.status_code == 200
    done = status.json()
    assert (done["state"], done["message"]) == ("signed", "Đã ký số.")
    assert [(d["signed"], d["status"], d["message"]) for d in done["documents"]] == [
        (True, "signed", "Đã ký số."),
        (True, "signed", "Đã ký số."),
    ]
    assert [(e["from_state"], e["to_state"]) for e in done["events"]] == [
        ("", "waiting"),
        ("waiting", "signed"),
    ]
    document = client.get(f"{OUTGOING}/{first['id']}", **keys.auth("leader")).json()
    assert document["signer_position"] == "Phó Chủ tịch"
    download = client.get(f"{OUTGOING}/{first['id']}/versions/2", **keys.auth("leader"))
    data = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert verify_pdf(data).verdict == Verdict.VALID


def test_declined_and_refusals(
    province: Province, keys: Keys, csc: CscSimulator, client: Client
) -> None:
    document = _in_approval(client, keys, province, "Tờ trình kinh phí Tết")
    stale = _post(client, keys, "leader", [{"id": document["id"], "revision": 0}])
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "revision_conflict")
    missing = _post(client, keys, "leader", [{"id": 999999, "revision": 0}])
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "document_not_found")
    not_theirs = _post(client, keys, "clerk", [document])
    assert (not_theirs.status_code, not_theirs.json()["error"]["code"]) == (422, "signing_failed")
    assert "chưa được gắn chứng thư số" in not_theirs.json()["error"]["message"]
    PersonalSigningMethod.objects.create(
        user=keys.users["clerk"], method=SigningMethod.SERVER_PKCS12
    )
    not_remote = _post(client, keys, "clerk", [document])
    assert (not_remote.status_code, not_remote.json()["error"]["code"]) == (403, "forbidden")
    assert "không dùng ký số từ xa" in not_remote.json()["error"]["message"]
    empty = _post(client, keys, "leader", [])
    assert empty.status_code == 422
    assert RemoteSigningRequest.objects.count() == 0
    # The synchronous sign action tells a remote signer where to go instead.
    direct = _act(client, keys, "leader", document["id"], "sign", document["revision"])
    assert (direct.status_code, direct.json()["error"]["code"]) == (422, "signing_failed")
    assert "Bạn ký số từ xa, xác nhận trên điện thoại" in direct.json()["error"]["message"]

    started = _post(client, keys, "leader", [document]).json()
    csc.auto_answer = "decline"
    run_signing_worker()
    declined = client.get(f"{URL}/{started['id']}", **keys.auth("leader")).json()
    assert (declined["state"], declined["message"]) == (
        "declined",
        "Người ký đã từ chối trên điện thoại. Văn bản vẫn chờ ký.",
    )
    assert declined["documents"][0]["status"] == "approval"
    for who in ("clerk", "specialist", "outsider"):
        other = client.get(f"{URL}/{started['id']}", **keys.auth(who))
        assert (other.status_code, other.json()["error"]["code"]) == (
            404,
            "remote_signing_not_found",
        )
