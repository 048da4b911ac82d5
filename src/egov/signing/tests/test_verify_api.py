"""POST /api/v1/signatures/verify: public, rate-limited, multipart ``file``; real signed PDFs."""

from __future__ import annotations

import datetime as dt
import math

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from egov.signing.services import Level, sign_pdf
from egov.signing.tests.fixtures import make_pdf

URL = "/api/v1/signatures/verify"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def signed(signer_for) -> bytes:
    return sign_pdf(make_pdf(), signer=signer_for("agency"), field_name="SigCoQuan")


def flip_one_signed_byte(data: bytes) -> bytes:
    changed = bytearray(data)
    changed[changed.index(b"/Type /Page") + 2] ^= 0x01  # inside the first signed range
    return bytes(changed)


def post(client: Client, data: bytes, name: str = "van-ban.pdf"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def test_a_valid_signature(client, signed):
    before = timezone.now()
    response = post(client, signed)
    assert response.status_code == 200
    body = response.json()
    assert (body["verdict"], body["message"]) == ("valid", "Chữ ký hợp lệ.")
    assert body["summary"] == (
        "Tài liệu có 1 chữ ký số hợp lệ, do tổ chức tin cậy cấp chứng thư; nội dung không bị "
        "thay đổi sau khi ký."
    )
    (signature,) = body["signatures"]
    stamp = signature.pop("timestamp")
    signing_time = dt.datetime.fromisoformat(signature.pop("signing_time"))
    assert signature == {
        "field_name": "SigCoQuan",
        "signer_name": "UBND tỉnh Quảng Ninh",
        "signer_organisation": "UBND tỉnh Quảng Ninh",
        "verdict": "valid",
        "message": "Chữ ký hợp lệ.",
        "intact": True,
        "trusted": True,
        "revocation": "good",
        "revocation_message": "Chưa bị thu hồi tại thời điểm ký",
        "modified_after": False,
    }
    assert signing_time.utcoffset() == dt.timedelta(hours=7)  # Vietnam time
    assert before - dt.timedelta(minutes=10) < signing_time <= timezone.now()
    assert (stamp["valid"], stamp["authority"]) == (True, "Egov Dev TSA")
    assert dt.datetime.fromisoformat(stamp["time"]) == signing_time


def test_one_flipped_byte_is_invalid(client, signed):
    body = post(client, flip_one_signed_byte(signed)).json()
    assert body["verdict"] == "invalid"
    assert body["message"] == "Chữ ký không hợp lệ: nội dung đã ký bị thay đổi."
    assert [s["verdict"] for s in body["signatures"]] == ["invalid"]
    assert body["signatures"][0]["intact"] is False


def test_an_unsigned_pdf(client):
    body = post(client, make_pdf()).json()
    assert body == {
        "verdict": "no_signature",
        "message": "Tài liệu không có chữ ký số.",
        "summary": "Tài liệu không có chữ ký số nên không xác định được ai đã ban hành nó.",
        "signatures": [],
    }


def test_b_t_without_revocation_data_is_indeterminate(client, signer_for):
    data = sign_pdf(make_pdf(), signer=signer_for("agency"), field_name="S", level=Level.B_T)
    body = post(client, data).json()
    assert (body["verdict"], body["signatures"][0]["revocation"]) == ("indeterminate", "unknown")


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"", "empty_file", "Tệp rỗng: hãy chọn tệp PDF cần kiểm tra."),
        (b"GIF89a not a pdf", "not_pdf", "Tệp không phải là tài liệu PDF hợp lệ."),
        (
            b"%PDF-1.7\n\x00\x01 garbage",
            "not_pdf",
            "Tệp không phải là tài liệu PDF hợp lệ.",
        ),
    ],
)
def test_bad_files_get_the_common_error_shape(client, data, code, message):
    response = post(client, data)
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": code,
            "message": message,
            "details": [{"field": "file", "message": message}],
        }
    }


def test_no_file(client):
    response = client.post(URL, {})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "missing_file"


def test_a_truncated_signed_pdf_is_not_a_500(client, signed):
    response = post(client, signed[: len(signed) // 2])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "not_pdf"


def test_a_raw_pdf_body_is_not_the_format(client, signed):
    response = client.post(URL, data=signed, content_type="application/pdf")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "missing_file"


def test_larger_than_the_upload_limit(client, settings):
    settings.EGOV_UPLOAD_MAX_MB = 1
    response = post(client, b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "file_too_large"
    assert response.json()["error"]["message"] == "Tệp lớn hơn 1 MB, không kiểm tra được."


def test_rate_limit_per_client_address(client, settings):
    settings.EGOV_SIGNATURE_VERIFY_RATE_PER_MINUTE = 2
    pdf = make_pdf()
    # One window of the limit, whatever the clock says.
    with time_machine.travel(timezone.now(), tick=False):
        _rate_limited(client, pdf)


def _rate_limited(client: Client, pdf: bytes) -> None:
    answers = [post(client, pdf) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    now = timezone.now().timestamp()
    reset = str(math.ceil((now // 60 + 1) * 60 - now))
    assert [
        (a["RateLimit-Limit"], a["RateLimit-Remaining"], a["RateLimit-Reset"]) for a in answers
    ] == [("2", "1", reset), ("2", "0", reset)]
    assert "Retry-After" not in answers[0]
    refused = post(client, pdf)
    assert refused.status_code == 429
    assert (refused["Retry-After"], refused["RateLimit-Remaining"]) == (reset, "0")
    assert refused.json() == {
        "error": {
            "code": "rate_limited",
            "message": "Bạn kiểm tra quá nhiều tệp trong một phút. Vui lòng thử lại sau ít phút.",
            "details": [],
        }
    }
    # Another address has its own budget.
    assert post(Client(REMOTE_ADDR="203.0.113.9"), pdf).status_code == 200


def test_a_body_beyond_the_request_limit_is_refused_before_it_is_read(client):
    response = client.generic(
        "POST",
        URL,
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="99999999999",
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
