"""Văn bản đi through the staff API: create from a file, list, read, every action, the
batch signing, refusals (403/404/422), stale revision (409), download, idempotency."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from egov.accounts.models import Role, User
from egov.accounts.services import api_client_create
from egov.documents.models import IncomingDocument, OutgoingDocument, OutgoingStatus
from egov.documents.tests.conftest import Province
from egov.documents.tests.test_outgoing_signing import compose_draft
from egov.signing.tests.fixtures import make_pdf
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.usefixtures("signing_settings")
BASE = "/api/v1/staff/outgoing-documents"


class Keys:
    def __init__(self, province: Province) -> None:
        made = {
            "specialist": api_client_create(
                actor=None, name="vx-cv", unit=province.vx, role=Role.SPECIALIST
            ),
            "vx_leader": api_client_create(
                actor=None, name="vx-ld", unit=province.vx, role=Role.DEPARTMENT_LEADER
            ),
            "clerk": api_client_create(
                actor=None, name="vt", unit=province.agency, role=Role.CLERK
            ),
            "leader": api_client_create(
                actor=None, name="ld", unit=province.agency, role=Role.DEPARTMENT_LEADER
            ),
            "outsider": api_client_create(
                actor=None, name="snv", unit=province.other, role=Role.SPECIALIST
            ),
        }
        self.keys = {name: key for name, (_client, key) in made.items()}
        self.users = {name: client.user for name, (client, _key) in made.items()}

    def auth(self, name: str) -> dict[str, Any]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.keys[name]}"}


@pytest.fixture
def keys(province: Province) -> Keys:
    return Keys(province)


def _create(client: Client, keys: Keys, province: Province, **extra: Any):
    data: dict[str, Any] = {
        "drafting_unit": province.vx.key,
        "document_type": "to-trinh",
        "subject": "Tờ trình kinh phí Tết",
        "signer": keys.users["leader"].username,
        "internal_recipients": province.other.key,
        "external_recipients": "Công ty ABC <vanthu@abc.example.vn>",
        "file": _pdf(),
    }
    data.update(extra)
    return client.post(BASE, data, **keys.auth("specialist"))


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("to-trinh.pdf", make_pdf(1), "application/pdf")


def _act(client: Client, keys: Keys, who: str, pk: int, action: str, revision: int, **extra: Any):
    return client.post(
        f"{BASE}/{pk}/transitions",
        {"action": action, "revision": revision, **extra},
        content_type="application/json",
        **keys.auth(who),
    )


def test_whole_flow_through_the_api(province: Province, keys: Keys, client: Client) -> None:
    created = _create(client, keys, province)
    assert created.status_code == 201, created.content
    body = created.json()
    pk = body["id"]
    assert (body["status"], body["allowed_actions"], len(body["versions"])) == (
        "draft",
        ["submit"],
        1,
    )
    steps = [
        ("specialist", "submit", {}),
        ("vx_leader", "approve_content", {}),
        ("clerk", "approve_format", {}),
        ("leader", "sign", {"delegation": "KT.", "signer_position": "Phó Chủ tịch"}),
        ("clerk", "register", {}),
        ("clerk", "issue", {}),
    ]
    revision = body["revision"]
    for who, action, extra in steps:
        answer = _act(client, keys, who, pk, action, revision, **extra)
        assert answer.status_code == 200, (action, answer.content)
        revision = answer.json()["revision"]
    final = answer.json()
    assert final["status"] == "issued"
    assert (final["number"], final["notation"]) == (1, "TTr-UBND")
    assert [v["kind"] for v in final["versions"]] == ["draft", "personal_signed", "agency_signed"]
    assert [r["delivered_at"] is not None for r in final["recipients"]] == [True, False]
    assert IncomingDocument.objects.filter(source_outgoing_id=pk).count() == 1
    download = client.get(f"{BASE}/{pk}/versions/3", **keys.auth("clerk"))
    data = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    report = verify_pdf(data)
    assert [s.verdict for s in report.signatures] == [Verdict.VALID, Verdict.VALID]
    listing = client.get(BASE, {"status": "issued"}, **keys.auth("clerk")).json()
    assert [item["id"] for item in listing["items"]] == [pk]


def test_refusals(province: Province, keys: Keys, client: Client) -> None:
    pk = _create(client, keys, province).json()["id"]
    # Another agency's specialist: the document does not exist for them.
    assert client.get(f"{BASE}/{pk}", **keys.auth("outsider")).status_code == 404
    answer = _act(client, keys, "outsider", pk, "submit", 0)
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "document_not_found")
    # Not at this step (a draft is not at the format check): 409 state_conflict.
    answer = _act(client, keys, "clerk", pk, "approve_format", 0)
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "state_conflict")
    assert answer.json()["error"]["message"] == (
        "Không thể “Kiểm tra thể thức xong, trình ký” khi văn bản đang ở bước “Dự thảo”."
    )
    # Stale revision: 409.
    answer = _act(client, keys, "specialist", pk, "submit", 7)
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "revision_conflict")
    # Return without a reason.
    _act(client, keys, "specialist", pk, "submit", 0)
    # At the unit's review, the clerk's role does not allow approving the content: 403.
    answer = _act(client, keys, "clerk", pk, "approve_content", 1)
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "forbidden")
    assert answer.json()["error"]["message"] == (
        "Bạn không có quyền “Duyệt nội dung, chuyển kiểm tra thể thức” với văn bản này."
    )
    # Return without a reason: 422 invalid_input naming the field.
    answer = _act(client, keys, "vx_leader", pk, "return", 1, reason="  ")
    assert answer.status_code == 422
    assert answer.json()["error"] == {
        "code": "invalid_input",
        "message": "Cần ghi rõ ý kiến, lý do.",
        "details": [{"field": "reason", "message": "Cần ghi rõ ý kiến, lý do.", "code": "invalid"}],
    }
    # Bad input.
    answer = _act(client, keys, "vx_leader", pk, "fly", 1)
    assert answer.status_code == 422
    assert client.get(f"{BASE}/{pk}/versions/9", **keys.auth("specialist")).status_code == 404
    assert client.get(BASE).status_code == 401


def test_create_refusals(province: Province, keys: Keys, client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = _create(client, keys, province, file=SimpleUploadedFile("x.txt", b"hello"))
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "invalid_file")
    answer = _create(client, keys, province, external_recipients="ABC <khong-phai-thu>")
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "invalid_input")
    answer = _create(client, keys, province, internal_recipients="khong.co")
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "invalid_input")
    answer = client.post(
        BASE,
        {
            "drafting_unit": province.vx.key,
            "document_type": "to-trinh",
            "subject": "x",
            "signer": "t.dung",
            "file": _pdf(),
        },
        **keys.auth("clerk"),  # the văn thư of the committee does not draft in VX
    )
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "not_a_drafter")
    assert OutgoingDocument.objects.count() == 0


def test_transition_is_idempotent(province: Province, keys: Keys, client: Client) -> None:
    pk = _create(client, keys, province).json()["id"]
    answers = [
        client.post(
            f"{BASE}/{pk}/transitions",
            {"action": "submit", "revision": 0},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="k-1",
            **keys.auth("specialist"),
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[1]["Idempotent-Replayed"] == "true"
    assert OutgoingDocument.objects.get(pk=pk).revision == 1


def test_batch_sign(province: Province, keys: Keys, client: Client) -> None:
    leader: User = keys.users["leader"]
    ids = []
    for subject in ("Một", "Hai"):
        pk = _create(client, keys, province, subject=subject).json()["id"]
        revision = 0
        for who, action in (
            ("specialist", "submit"),
            ("vx_leader", "approve_content"),
            ("clerk", "approve_format"),
        ):
            revision = _act(client, keys, who, pk, action, revision).json()["revision"]
        ids.append((pk, revision))
    other = compose_draft(province)  # not in approval, and not signed by this leader
    answer = client.post(
        f"{BASE}/sign-batch",
        {
            "documents": [
                {"id": ids[0][0], "revision": ids[0][1] + 1},  # stale
                {"id": other.pk, "revision": other.revision},
                {"id": ids[1][0], "revision": ids[1][1]},
                {"id": 999999, "revision": 0},
            ]
        },
        content_type="application/json",
        **keys.auth("leader"),
    )
    assert answer.status_code == 200, answer.content
    results = answer.json()
    assert [(r["id"], r["ok"], r["status"]) for r in results] == [
        (ids[0][0], False, "approval"),
        (other.pk, False, "draft"),
        (ids[1][0], True, "signed"),
        (999999, False, ""),
    ]
    assert "vừa được người khác xử lý" in results[0]["message"]
    assert OutgoingDocument.objects.get(pk=ids[1][0]).signer == leader
    assert OutgoingDocument.objects.get(pk=ids[1][0]).status == OutgoingStatus.SIGNED
