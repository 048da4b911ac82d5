"""Staff API of incoming documents: each operation, errors in the one shape, 404 for
outsiders, stale revisions, the duplicate warning, base64 and multipart intake with the
signature verdict."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from egov.accounts.models import Role
from egov.accounts.services import api_client_create
from egov.documents.actions import OutgoingAction as A
from egov.documents.models import IncomingDocument
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import issued
from egov.org.models import Unit
from egov.signing.services import sign_pdf
from egov.signing.tests.fixtures import make_pdf

API = "/api/v1/staff/incoming-documents"


@pytest.fixture(scope="module")
def signed_pdf(signing_settings: None, signer_for: Any) -> bytes:
    return sign_pdf(make_pdf(text="CÔNG VĂN"), signer=signer_for("leader"), field_name="Sig")


class Caller:
    def __init__(self, client: Client, key: str) -> None:
        self.client, self.auth = client, f"Bearer {key}"

    def get(self, path: str) -> Any:
        return self.client.get(API + path, HTTP_AUTHORIZATION=self.auth)

    def post(self, path: str, body: Any = None, **extra: Any) -> Any:
        if extra.get("multipart"):
            return self.client.post(API + path, body, HTTP_AUTHORIZATION=self.auth)
        return self.client.post(
            API + path, body or {}, content_type="application/json", HTTP_AUTHORIZATION=self.auth
        )


def _key(name: str, unit: Unit, role: str) -> str:
    return api_client_create(actor=None, name=name, unit=unit, role=role)[1]


@pytest.fixture
def keys(province: Province) -> dict[str, Caller]:
    client = Client()
    return {
        "clerk": Caller(client, _key("vt", province.agency, Role.CLERK)),
        "leader": Caller(client, _key("ld", province.agency, Role.DEPARTMENT_LEADER)),
        "vx": Caller(client, _key("vx", province.vx, Role.SPECIALIST)),
        "outsider": Caller(client, _key("ngoai", province.other, Role.SPECIALIST)),
    }


def _body(province: Province, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "agency": province.agency.key,
        "source": "paper",
        "organ_name": "Bộ Nội vụ",
        "organ_id": "000.00.00.G22",
        "code": "123/BNV-VP",
        "issued_date": "2026-11-20",
        "subject": "Về việc báo cáo công tác văn thư năm 2026",
        "document_type": "cong-van",
        "urgency": "urgent",
    }
    body.update(extra)
    return body


def test_receive_base64_signed_pdf_keeps_the_verdict(province, keys, signed_pdf):
    response = keys["clerk"].post(
        "",
        _body(
            province,
            source="upload",
            file_base64=base64.b64encode(signed_pdf).decode(),
            file_name="cv.pdf",
        ),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["code_number"], data["code_notation"]) == (
        "received",
        "123",
        "BNV-VP",
    )
    assert data["type_name"] == "Công văn" and data["has_file"] is True
    assert data["signature_verdict"]["verdict"] == "valid"
    assert data["signature_verdict"]["signatures"][0]["verdict"] == "valid"
    file = keys["clerk"].get(f"/{data['id']}/file")
    assert b"".join(file.streaming_content) == signed_pdf


def test_receive_multipart_unsigned(province, keys):
    body = _body(province, source="upload")
    body["file"] = io.BytesIO(make_pdf())
    body["file"].name = "cv.pdf"
    response = keys["clerk"].post("/multipart", body, multipart=True)
    assert response.status_code == 201, response.content
    assert response.json()["signature_verdict"]["verdict"] == "no_signature"


def test_receive_errors(province, keys):
    clerk = keys["clerk"]
    bad_code = clerk.post("", _body(province, code="5/bnv"))
    assert bad_code.status_code == 422
    assert bad_code.json()["error"]["code"] == "invalid_code"
    assert {d["field"] for d in bad_code.json()["error"]["details"]} == {"code"}
    secret = clerk.post(
        "",
        _body(province, confidentiality="secret", file_base64=base64.b64encode(b"%PDF-").decode()),
    )
    assert secret.status_code == 422 and secret.json()["error"]["code"] == "secret_file_refused"
    garbage = clerk.post("", _body(province, source="upload", file_base64="***"))
    assert garbage.json()["error"]["code"] == "invalid_file"
    gif = clerk.post("", _body(province, file_base64=base64.b64encode(b"GIF89a").decode()))
    assert gif.json()["error"]["code"] == "invalid_file"
    missing = clerk.post("", {"agency": province.agency.key})
    assert missing.status_code == 422
    not_clerk = keys["vx"].post("", _body(province))
    assert not_clerk.status_code == 403 and not_clerk.json()["error"]["code"] == "not_a_clerk"
    unknown_type = clerk.post("", _body(province, document_type="khong-co"))
    assert unknown_type.json()["error"]["details"][0]["field"] == "document_type"
    assert not IncomingDocument.objects.exists()


def _registered(province: Province, keys: dict[str, Caller]) -> dict[str, Any]:
    created = keys["clerk"].post("", _body(province)).json()
    registered = keys["clerk"].post(f"/{created['id']}/register", {"revision": 0})
    assert registered.status_code == 200, registered.content
    data: dict[str, Any] = registered.json()
    return data


def test_register_duplicate_stale_and_return(province, keys):
    first = _registered(province, keys)
    assert (first["status"], first["arrival_number"]) == ("registered", 1)
    second = keys["clerk"].post("", _body(province)).json()
    stale = keys["clerk"].post(f"/{second['id']}/register", {"revision": 5})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "revision_conflict"
    duplicate = keys["clerk"].post(f"/{second['id']}/register", {})
    assert duplicate.status_code == 409
    error = duplicate.json()["error"]
    assert error["code"] == "possible_duplicate"
    assert error["details"][0]["field"] == "override_reason"
    assert f"id {first['id']}, số đến 1" in error["details"][0]["message"]
    again = keys["clerk"].post(
        f"/{second['id']}/register", {"override_reason": "Bản gửi lại có phụ lục"}
    )
    assert again.json()["duplicate_override_reason"] == "Bản gửi lại có phụ lục"
    third = keys["clerk"].post("", _body(province, code="")).json()
    no_reason = keys["clerk"].post(f"/{third['id']}/return", {"reason": ""})
    assert no_reason.json()["error"]["details"][0]["code"] == "string_too_short"
    returned = keys["clerk"].post(f"/{third['id']}/return", {"reason": "Gửi nhầm"})
    assert returned.json()["status"] == "returned"
    # Returned already: its status allows neither registering nor returning it again.
    again = keys["clerk"].post(f"/{third['id']}/register", {})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "state_conflict")
    assert again.json()["error"]["message"] == "Văn bản đã được vào sổ hoặc đã trả lại."


def test_distribute_handle_reply_and_sheet(province, keys):
    document = _registered(province, keys)
    path = f"/{document['id']}"
    # The clerk's role does not distribute: 403 forbidden.
    refused = keys["clerk"].post(f"{path}/distribute", {"lead": {"unit": province.vx.key}})
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    assert refused.json()["error"]["message"] == (
        "Chỉ lãnh đạo cơ quan mới được phân phối văn bản đến."
    )
    foreign = keys["leader"].post(f"{path}/distribute", {"lead": {"unit": province.other.key}})
    assert foreign.json()["error"]["details"][0]["field"] == "lead.unit"
    nobody = keys["leader"].post(f"{path}/distribute", {"lead": {}})
    assert (nobody.status_code, nobody.json()["error"]["code"]) == (422, "invalid_input")
    assert nobody.json()["error"]["details"] == [
        {"field": "", "message": nobody.json()["error"]["message"], "code": "invalid"}
    ]
    done = keys["leader"].post(
        f"{path}/distribute",
        {
            "lead": {"unit": province.vx.key, "working_days": 5},
            "cooperating": [{"unit": province.office.key, "working_days": 3}],
            "instructions": "Phòng VX chủ trì",
            "revision": document["revision"],
        },
    )
    assert done.status_code == 200, done.content
    data = done.json()
    assert data["status"] == "distributed"
    lead = next(a for a in data["assignments"] if a["role"] == "lead")
    assert lead["due_at"] is not None and lead["instructions"] == "Phòng VX chủ trì"
    listing = keys["vx"].get("?mine=true").json()
    assert [i["id"] for i in listing["items"]] == [document["id"]]
    assert listing["items"][0]["assigned_to_me"] is True
    assert keys["vx"].get("?cursor=nope").status_code == 422
    started = keys["vx"].post(f"{path}/assignments/{lead['id']}/start")
    assert started.status_code == 200
    twice = keys["vx"].post(f"{path}/assignments/{lead['id']}/start")
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "state_conflict")
    assert keys["vx"].post(f"{path}/assignments/999/start").status_code == 404
    completed = keys["vx"].post(
        f"{path}/assignments/{lead['id']}/complete", {"note": "Đã dự thảo trả lời"}
    )
    assert completed.json()["status"] == "completed"
    reply = issued(province, subject="Trả lời Bộ Nội vụ", until=A.REGISTER)  # numbered
    hidden = keys["vx"].post(f"{path}/reply", {"outgoing_id": 999999})
    assert (hidden.status_code, hidden.json()["error"]["code"]) == (404, "document_not_found")
    assert hidden.json()["error"]["details"][0]["field"] == "outgoing_id"
    linked = keys["vx"].post(f"{path}/reply", {"outgoing_id": reply.pk})
    assert linked.status_code == 200 and linked.json()["reply_id"] == reply.pk
    sheet = keys["vx"].get(f"{path}/handling-sheet.pdf")
    text = PdfReader(io.BytesIO(sheet.content)).pages[0].extract_text()
    assert "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN" in text and "Phòng VX chủ trì" in text
    one = keys["vx"].get(path).json()
    assert [e["action"] for e in one["events"]] == [
        "receive",
        "register",
        "distribute",
        "start",
        "complete",
        "link_reply",
    ]


def test_a_secret_document_is_not_given_to_a_specialist(province, keys):
    created = keys["clerk"].post("", _body(province, confidentiality="secret")).json()
    keys["clerk"].post(f"/{created['id']}/register", {})
    path = f"/{created['id']}/distribute"
    refused = keys["leader"].post(path, {"lead": {"person": province.specialist.username}})
    assert refused.status_code == 422
    message = (
        "Không giao được văn bản mật cho “Ngô Minh Chi”: văn bản mật chỉ giao cho lãnh đạo "
        "của cơ quan hoặc của đơn vị xử lý."
    )
    assert refused.json()["error"] == {
        "code": "invalid_input",
        "message": message,
        "details": [{"field": "", "message": message, "code": "invalid"}],
    }
    given = keys["leader"].post(path, {"lead": {"person": province.vx_leader.username}})
    assert given.status_code == 200 and given.json()["status"] == "distributed"


def test_outsider_gets_404(province, keys):
    document = _registered(province, keys)
    outsider = keys["outsider"]
    path = f"/{document['id']}"
    for get in ("", "/file", "/handling-sheet.pdf"):
        assert outsider.get(path + get).status_code == 404
    for post, body in [
        ("/register", {}),
        ("/return", {"reason": "x"}),
        ("/distribute", {"lead": {"unit": province.vx.key}}),
        ("/assignments/1/start", None),
        ("/assignments/1/complete", {}),
        ("/reply", {"outgoing_id": 1}),
    ]:
        response = outsider.post(path + post, body)
        assert response.status_code == 404, post
        assert response.json()["error"]["code"] == "document_not_found"
    assert outsider.get("").json()["items"] == []


def test_verify_file(province, keys, signed_pdf):
    good = keys["vx"].post("/verify-file", {"file": io.BytesIO(signed_pdf)}, multipart=True).json()
    assert good["verdict"] == "valid" and good["signatures"][0]["message"] == "Chữ ký hợp lệ."
    none = keys["vx"].post("/verify-file", {"file": io.BytesIO(make_pdf())}, multipart=True)
    assert none.json()["verdict"] == "no_signature"
    text = keys["vx"].post("/verify-file", {"file": io.BytesIO(b"hello")}, multipart=True)
    assert text.status_code == 422 and text.json()["error"]["code"] == "invalid_file"
