"""/xac-thuc-van-ban/: anyone checks the signatures of a PDF; the file is not stored."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from egov.signing.services import sign_pdf
from egov.signing.tests.fixtures import make_pdf

URL = "/xac-thuc-van-ban/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing(signing_settings: None) -> None:
    """The development PKI is the trust root."""


@pytest.fixture(scope="module")
def signed(signer_for) -> bytes:
    return sign_pdf(make_pdf(), signer=signer_for("agency"), field_name="SigCoQuan")


def post(client: Client, data: bytes, name: str = "quyet-dinh.pdf"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_empty_form_is_labelled_and_says_nothing_is_stored(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="verify-file">Tệp PDF</label>' in html
    assert 'aria-describedby="verify-file-help"' in html
    assert "Tối đa 10 MB. Tệp chỉ được dùng để kiểm tra rồi bỏ đi, hệ thống không lưu lại." in html
    assert 'href="/xac-thuc-van-ban/"' in html  # in the main navigation


def test_a_valid_signature(client, signed, _private_files):
    response = post(client, signed)
    assert response.status_code == 200
    page = text(response)
    assert (
        "Tài liệu có 1 chữ ký số hợp lệ, do tổ chức tin cậy cấp chứng thư; nội dung không bị "
        "thay đổi sau khi ký." in page
    )
    assert "Chữ ký 1 Chữ ký hợp lệ. Người ký" in page  # the heading, then the verdict
    assert "Người ký UBND tỉnh Quảng Ninh Tổ chức UBND tỉnh Quảng Ninh" in page
    assert "Sửa đổi sau khi ký Không" in page
    assert "Tình trạng thu hồi chứng thư số Chưa bị thu hồi tại thời điểm ký" in page
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert re.search(rf"Thời điểm ký \(giờ Việt Nam\) \d\d:\d\d:\d\d {today}", page)
    assert re.search(rf"Dấu thời gian Hợp lệ, \d\d:\d\d:\d\d {today} — Egov Dev TSA", page)
    assert 'data-verdict="valid"' in response.content.decode()
    assert not _private_files.exists() or not any(_private_files.rglob("*.*"))


def test_one_flipped_byte(client, signed):
    data = bytearray(signed)
    data[data.index(b"/Type /Page") + 2] ^= 0x01
    page = text(post(client, bytes(data)))
    assert "Không nên tin tài liệu này: nội dung đã ký bị thay đổi hoặc chữ ký bị hỏng." in page
    assert "Chữ ký 1 Chữ ký không hợp lệ: nội dung đã ký bị thay đổi. Người ký" in page


def test_an_unsigned_pdf(client):
    response = post(client, make_pdf())
    assert response.status_code == 200
    assert "Tài liệu không có chữ ký số nên không xác định được ai đã ban hành nó." in text(
        response
    )
    assert 'data-testid="signature"' not in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp rỗng: hãy chọn tệp PDF cần kiểm tra."),
        (b"\x89PNG\r\n\x1a\n an image", "Tệp không phải là tài liệu PDF hợp lệ."),
        (b"%PDF-1.4\n%%EOF broken", "Tệp không phải là tài liệu PDF hợp lệ."),
    ],
)
def test_bad_files_are_an_error_linked_to_the_field(client, data, message):
    response = post(client, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="verify-file-help verify-file-error" aria-invalid="true"' in html
    assert (
        f'<p id="verify-file-error" class="message error" role="alert" '
        f'data-testid="verify-error">{message}</p>'
    ) in html


def test_no_file_and_a_broken_form_body(client):
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "Chọn tệp PDF cần kiểm tra." in text(response)
    broken = client.post(
        URL, data=b"--x\r\nnot multipart", content_type="multipart/form-data; boundary=x"
    )
    assert broken.status_code == 400


def test_larger_than_the_upload_limit(client, settings):
    settings.EGOV_UPLOAD_MAX_MB = 1
    response = post(client, b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert "Tệp lớn hơn 1 MB, không kiểm tra được." in text(response)


def test_rate_limit_gives_the_refusal_page(client, settings):
    settings.EGOV_SIGNATURE_VERIFY_RATE_PER_MINUTE = 2
    pdf = make_pdf()
    with time_machine.travel(timezone.now(), tick=False):
        assert [post(client, pdf).status_code for _ in range(2)] == [200, 200]
        refused = post(client, pdf)
        # The API's budget is the same one.
        api = client.post("/api/v1/signatures/verify", {"file": SimpleUploadedFile("a.pdf", pdf)})
    assert refused.status_code == 429
    assert "Bạn kiểm tra quá nhiều tệp trong một phút. Vui lòng thử lại sau ít phút." in text(
        refused
    )
    assert refused.templates[0].name == "request_refused.html"
    assert api.status_code == 429


def test_other_methods(client):
    assert client.put(URL).status_code == 405


def test_a_body_beyond_the_request_limit_gets_the_refusal_page(client):
    response = client.generic(
        "POST",
        URL,
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="99999999999",
    )
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()
