"""The staff pages of electronic certified copies: the link on a 2.000815 dossier, the form,
the refusals (400, 403, 503 with the reason), the download and the unit's register."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from egov.certification.models import CertificationEntry
from egov.datastore.models import StoreDocument
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import AN, reception, user
from egov.signing.tests.fixtures import make_pdf
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.django_db
ORIGINAL = make_pdf(pages=2, text="GIẤY KHAI SINH")


@pytest.fixture(autouse=True)
def _signing(signing_settings, _private_files, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False


def received(code="2.000815"):
    return dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(code))


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _post(client, dossier, **fields):
    data = {
        "title": "Giấy khai sinh",
        "pages": "2",
        "copies": "1",
        "confirmed": "on",
        "original": SimpleUploadedFile("khai-sinh.pdf", ORIGINAL, "application/pdf"),
        **fields,
    }
    return client.post(f"/staff/ho-so/{dossier.code}/chung-thuc-ban-sao/", data, follow=True)


def test_the_dossier_page_links_to_the_form_for_certified_copies_only(quang_ninh, client):
    client.force_login(user("tinh.tiepnhan"))
    copy, other = received(), received("1.001612")
    assert 'data-testid="certify-link"' in client.get(f"/staff/ho-so/{copy.code}/").content.decode()
    assert (
        'data-testid="certify-link"'
        not in client.get(f"/staff/ho-so/{other.code}/").content.decode()
    )
    page = client.get(f"/staff/ho-so/{other.code}/chung-thuc-ban-sao/")
    assert page.status_code == 200
    assert "Hồ sơ này không thuộc thủ tục chứng thực bản sao từ bản chính." in _text(page)
    assert 'data-testid="certify-form"' not in page.content.decode()


def test_the_officer_certifies_and_downloads_the_copy(quang_ninh, client):
    dossier = received()
    client.force_login(user("tinh.tiepnhan"))
    form = client.get(f"/staff/ho-so/{dossier.code}/chung-thuc-ban-sao/")
    assert (
        "Phí chứng thực bản sao từ bản chính: 2.000 đ/trang cho 2 trang đầu, từ trang 3: "
        "1.000 đ/trang, tối đa 200.000 đ/bản (TT 226/2016/TT-BTC" in _text(form)
    )
    answer = _post(client, dossier)
    entry = CertificationEntry.objects.get()
    assert (
        f"Đã chứng thực bản sao điện tử số {entry.number}; phí 4.000 đ (Phí chứng thực bản sao "
        "từ bản chính: 2 × 2.000 đ = 4.000 đ mỗi bản; 1 bản.)." in _text(answer)
    )
    download = client.get(f"/staff/so-chung-thuc/{entry.pk}/ban-sao.pdf")
    data = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert verify_pdf(data).verdict == Verdict.VALID
    assert StoreDocument.objects.get(pk=entry.store_document_id).owner_identifier == AN.personal_id

    register = client.get("/staff/so-chung-thuc/")
    text = _text(register)
    assert f"{entry.number} Quyển số {entry.book}" in text
    assert "Nguyễn Văn An 022084000123 Giấy khai sinh 2 / 1 4.000 đ Trần Thị Bình" in text
    export = client.get("/staff/so-chung-thuc/?dinh_dang=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][0] == entry.number and rows[2][3] == "Nguyễn Văn An" and rows[2][8] == 4000


def test_without_the_confirmation_nothing_is_certified(quang_ninh, client):
    dossier = received()
    client.force_login(user("tinh.tiepnhan"))
    answer = _post(client, dossier, confirmed="")
    assert answer.status_code == 400
    assert "Hãy xác nhận đã đối chiếu bản sao với bản chính trước khi chứng thực." in _text(answer)
    assert not CertificationEntry.objects.exists()


def test_staff_without_a_handling_role_are_told_why_and_refused(quang_ninh, client):
    dossier = received()
    client.force_login(user("tinh.lanhdaotrungtam"))
    page = client.get(f"/staff/ho-so/{dossier.code}/chung-thuc-ban-sao/")
    assert "được chứng thực bản sao." in _text(page)
    assert _post(client, dossier).status_code == 403
    client.force_login(user("honggai.tiepnhan"))
    assert _post(client, dossier).status_code == 404
    assert not CertificationEntry.objects.exists()


def test_a_signature_that_cannot_be_made_answers_503(quang_ninh, client, settings):
    dossier = received()
    client.force_login(user("tinh.tiepnhan"))
    settings.EGOV_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"
    answer = _post(client, dossier)
    assert answer.status_code == 503
    assert "Chưa ký số được bản sao nên chưa chứng thực:" in _text(answer)
    assert not CertificationEntry.objects.exists()
