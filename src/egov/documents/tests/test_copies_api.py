"""Electronic copies through the staff API: make a copy (JSON) and a paper copy (multipart),
list a document's copies, read and download one, sign one again; refusals (403, 404, 409, 422)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.documents.models import ElectronicCopy
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import issued, pdf_bytes
from egov.documents.tests.test_outgoing_api import Keys
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.usefixtures("signing_settings")
BASE = "/api/v1/staff/document-copies"


@pytest.fixture
def keys(province: Province) -> Keys:
    return Keys(province)


def _post(client: Client, keys: Keys, who: str, body: dict[str, Any]) -> Any:
    return client.post(BASE, body, content_type="application/json", **keys.auth(who))


def test_copy_list_read_download(client: Client, keys: Keys, province: Province):
    document = issued(province, subject="Quyết định phê duyệt")
    made = _post(
        client, keys, "clerk", {"form": "sao_y", "outgoing_id": document.pk, "purpose": "Lưu"}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["number"], body["notation"], body["status"], body["source"]) == (
        1,
        "SY-UBND",
        "signed",
        "outgoing",
    )
    assert [e["action"] for e in body["events"]] == ["make", "agency_sign"]
    extract = _post(
        client, keys, "clerk", {"form": "trich_sao", "copy_id": body["id"], "pages": "1"}
    )
    assert extract.status_code == 422
    assert extract.json()["error"]["code"] == "copy_refused"
    listed = client.get(f"{BASE}?outgoing_id={document.pk}", **keys.auth("specialist"))
    assert [c["id"] for c in listed.json()] == [body["id"]]
    one = client.get(f"{BASE}/{body['id']}", **keys.auth("vx_leader"))
    assert one.status_code == 200 and one.json()["purpose"] == "Lưu"
    download = client.get(f"{BASE}/{body['id']}/file", **keys.auth("specialist"))
    data = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert verify_pdf(data).verdict == Verdict.VALID
    assert body["sha256"] is not None
    again = client.post(f"{BASE}/{body['id']}/sign", **keys.auth("clerk"))
    assert (again.status_code, again.json()["error"]["code"]) == (409, "state_conflict")
    assert again.json()["error"]["message"] == "Bản sao này đã được ký số."
    # The other agency sees neither the document nor its copy.
    assert client.get(f"{BASE}/{body['id']}", **keys.auth("outsider")).status_code == 404
    hidden = client.get(f"{BASE}?outgoing_id={document.pk}", **keys.auth("outsider"))
    assert hidden.status_code == 404
    assert client.get(BASE, **keys.auth("outsider")).json() == []


def test_refusals(client: Client, keys: Keys, province: Province):
    document = issued(province, subject="Quyết định")
    not_clerk = _post(client, keys, "leader", {"form": "sao_y", "outgoing_id": document.pk})
    assert (not_clerk.status_code, not_clerk.json()["error"]["code"]) == (403, "forbidden")
    assert not_clerk.json()["error"]["message"].startswith(
        "Chỉ văn thư của cơ quan được sao văn bản"
    )
    hidden = _post(client, keys, "outsider", {"form": "sao_y", "outgoing_id": document.pk})
    assert hidden.status_code == 404
    two = _post(
        client, keys, "clerk", {"form": "sao_y", "outgoing_id": document.pk, "incoming_id": 1}
    )
    assert two.status_code == 422 and two.json()["error"]["code"] == "invalid_input"
    bad_form = _post(client, keys, "clerk", {"form": "photo", "outgoing_id": document.pk})
    assert bad_form.status_code == 422
    bad_pages = _post(
        client,
        keys,
        "clerk",
        {"form": "trich_sao", "outgoing_id": document.pk, "pages": "9"},
    )
    assert bad_pages.status_code == 422
    assert bad_pages.json()["error"]["message"] == "Văn bản chỉ có 1 trang; không có trang 9."
    assert not ElectronicCopy.objects.exists()


def test_paper_copy(client: Client, keys: Keys, province: Province):
    scan = pdf_bytes("Quyết định giấy").replace(b"%PDF-1.3", b"%PDF-1.4", 1)
    fields = {
        "agency": province.agency.key,
        "form": "sao_y",
        "description": "Quyết định số 12/QĐ-UBND",
    }
    made = client.post(
        f"{BASE}/paper-scan",
        {**fields, "file": SimpleUploadedFile("qd.pdf", scan)},
        **keys.auth("clerk"),
    )
    assert made.status_code == 201, made.content
    assert (made.json()["source"], made.json()["source_description"]) == (
        "paper_scan",
        "Quyết định số 12/QĐ-UBND",
    )
    not_pdf = client.post(
        f"{BASE}/paper-scan",
        {**fields, "file": SimpleUploadedFile("qd.pdf", b"hello")},
        **keys.auth("clerk"),
    )
    assert not_pdf.status_code == 422
    assert not_pdf.json()["error"]["message"] == "Tệp không phải là tài liệu PDF hợp lệ."
    other = client.post(
        f"{BASE}/paper-scan",
        {**fields, "file": SimpleUploadedFile("qd.pdf", scan)},
        **keys.auth("leader"),
    )
    assert other.status_code == 403


def test_not_found_and_not_signed_answers(
    client: Client, keys: Keys, province: Province, settings: Any
):
    document = issued(province, subject="Quyết định")
    tsa = settings.EGOV_SIGNING_TSA_URL
    settings.EGOV_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # nobody answers there
    failed = _post(client, keys, "clerk", {"form": "sao_y", "outgoing_id": document.pk})
    assert failed.status_code == 422
    assert failed.json()["error"]["code"] == "copy_not_signed"
    assert failed.json()["error"]["message"].startswith(
        "Đã cấp số bản sao 01/SY-UBND nhưng chưa ký số được: "
    )
    waiting = ElectronicCopy.objects.get()
    no_file = client.get(f"{BASE}/{waiting.pk}/file", **keys.auth("clerk"))
    assert (no_file.status_code, no_file.json()["error"]) == (
        404,
        {
            "code": "file_not_found",
            "message": "Bản sao này chưa được ký số nên chưa có tệp.",
            "details": [],
        },
    )
    settings.EGOV_SIGNING_TSA_URL = tsa
    signed = client.post(f"{BASE}/{waiting.pk}/sign", **keys.auth("clerk"))
    assert (signed.status_code, signed.json()["status"]) == (200, "signed")

    copy_missing = {
        "code": "copy_not_found",
        "message": "Không tìm thấy bản sao trong phạm vi bạn được xem.",
        "details": [],
    }
    document_missing = {
        "code": "document_not_found",
        "message": "Không tìm thấy văn bản trong phạm vi bạn được xem.",
        "details": [],
    }
    outsider = keys.auth("outsider")
    answers = [
        (client.get(f"{BASE}/{waiting.pk}", **outsider), copy_missing),
        (client.get(f"{BASE}/{waiting.pk}/file", **outsider), copy_missing),
        (client.post(f"{BASE}/{waiting.pk}/sign", **outsider), copy_missing),
        (client.get(f"{BASE}?copy_id={waiting.pk}", **outsider), copy_missing),
        (_post(client, keys, "outsider", {"form": "sao_luc", "copy_id": waiting.pk}), copy_missing),
        (client.get(f"{BASE}?outgoing_id={document.pk}", **outsider), document_missing),
        (client.get(f"{BASE}?incoming_id=999999", **keys.auth("clerk")), document_missing),
        (_post(client, keys, "clerk", {"form": "sao_y", "incoming_id": 999999}), document_missing),
    ]
    assert [(a.status_code, a.json()["error"]) for a, _ in answers] == [
        (404, expected) for _, expected in answers
    ]
