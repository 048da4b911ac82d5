"""Electronic copy pages: the văn thư's "Sao văn bản" on incoming and outgoing documents, the
form for each form of copy, errors shown on the form, the list of copies with download, sao
lục from a copy, a digitised paper, signing again after a failure; the downloaded copy
verifies valid on the public page; people other than the văn thư cannot copy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.audit.models import AuditEntry
from egov.documents.models import CopyStatus, ElectronicCopy
from egov.documents.tests import conftest as documents_conftest
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import issued, pdf_bytes, received, text_pdf
from egov.signing.verification import Verdict, verify_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_settings")]

province = documents_conftest.province  # the documents app's small province (fixture)


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.EGOV_REQUIRE_STAFF_MFA = False


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _flashes(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _download(client: Client, copy: ElectronicCopy) -> bytes:
    response = client.get(f"/staff/ban-sao/{copy.pk}/tep/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_clerk_copies_an_issued_document_from_its_page(client: Client, province: Province):
    document = issued(province, subject="Quyết định phê duyệt kế hoạch")
    page = _as(client, province.clerk).get(f"/staff/van-ban-di/{document.pk}/")
    assert f'href="/staff/van-ban-di/{document.pk}/sao/"' in page.content.decode()
    form = client.get(f"/staff/van-ban-di/{document.pk}/sao/")
    assert form.status_code == 200
    assert "Sao văn bản đi 01/QĐ-UBND" in _text(form)
    response = client.post(
        f"/staff/van-ban-di/{document.pk}/sao/",
        {"form": "sao_y", "purpose": "Gửi Sở Tài chính", "recipients": "Sở Tài chính"},
    )
    copy = ElectronicCopy.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/ban-sao/{copy.pk}/"
    assert _flashes(response) == ["Đã sao văn bản: sao y số 01/SY-UBND, đã ký số của cơ quan."]
    detail = _text(client.get(response["Location"]))
    assert "Sao y số 01/SY-UBND" in detail and "Đã ký số của cơ quan" in detail
    assert "Gửi Sở Tài chính" in detail and "Ký số lại bản sao" not in detail
    # The document's page lists its copy with the download.
    listed = client.get(f"/staff/van-ban-di/{document.pk}/").content.decode()
    assert "01/SY-UBND" in listed and f"/staff/ban-sao/{copy.pk}/tep/" in listed
    data = _download(client, copy)
    report = verify_pdf(data)
    assert report.verdict == Verdict.VALID
    assert report.signatures[-1].signer_organisation == "UBND tỉnh Quảng Ninh"
    actions = set(
        AuditEntry.objects.filter(object_type="documents.electroniccopy").values_list(
            "action", flat=True
        )
    )
    assert {"document.copy.make", "document.copy.view", "document.copy.download"} <= actions
    # Anyone checks it on the public page, without an account.
    client.logout()
    public = client.post("/xac-thuc-van-ban/", {"file": SimpleUploadedFile("ban-sao.pdf", data)})
    text = _text(public)
    assert "Tài liệu có 1 chữ ký số hợp lệ" in text
    assert "Người ký UBND tỉnh Quảng Ninh" in text


def test_trich_sao_and_sao_luc_from_the_pages(client: Client, province: Province):
    letter = received(
        province, subject="Về việc rà soát", file=text_pdf("Trang 1", "Trang 2", "Trang 3")
    )
    _as(client, province.clerk)
    page = client.get(f"/staff/van-ban-den/{letter.pk}/").content.decode()
    assert f'href="/staff/van-ban-den/{letter.pk}/sao/"' in page
    url = f"/staff/van-ban-den/{letter.pk}/sao/"
    bad = client.post(url, {"form": "trich_sao", "pages": "2-5"})
    assert bad.status_code == 200
    assert "Văn bản chỉ có 3 trang; không có trang 5." in _text(bad)
    assert not ElectronicCopy.objects.exists()
    client.post(url, {"form": "trich_sao", "pages": "2-3"})
    client.post(url, {"form": "sao_y"})
    extract, sao_y = ElectronicCopy.objects.order_by("code_number")
    assert (extract.number_text, extract.pages, sao_y.number_text) == (
        "01/TrS-UBND",
        "2-3",
        "02/SY-UBND",
    )
    # Sao lục from the sao y's page; the trích sao offers none (not a sao y: refused).
    detail = client.get(f"/staff/ban-sao/{sao_y.pk}/").content.decode()
    assert f'href="/staff/ban-sao/{sao_y.pk}/sao/"' in detail
    refused = client.post(f"/staff/ban-sao/{extract.pk}/sao/", {"form": "sao_luc"})
    assert "Sao lục chỉ được thực hiện từ bản sao y" in _text(refused)
    client.post(f"/staff/ban-sao/{sao_y.pk}/sao/", {"form": "sao_luc"})
    sao_luc = ElectronicCopy.objects.get(form="sao_luc")
    assert (sao_luc.number_text, sao_luc.source_copy, sao_luc.incoming) == (
        "03/SL-UBND",
        sao_y,
        letter,
    )
    listed = _text(client.get(f"/staff/van-ban-den/{letter.pk}/"))
    assert "01/TrS-UBND" in listed and "02/SY-UBND" in listed and "03/SL-UBND" in listed
    everything = _text(client.get("/staff/ban-sao/"))
    assert "Bản sao 02/SY-UBND" in everything and "Về việc rà soát" in everything


@pytest.mark.parametrize("who", ["leader", "specialist"])
def test_only_the_clerk_may_copy(client: Client, province: Province, who: str):
    document = issued(province, subject="Kế hoạch")
    _as(client, getattr(province, who))
    page = client.get(f"/staff/van-ban-di/{document.pk}/").content.decode()
    assert f"/staff/van-ban-di/{document.pk}/sao/" not in page
    response = client.post(f"/staff/van-ban-di/{document.pk}/sao/", {"form": "sao_y"})
    assert response.status_code == 302
    assert _flashes(response) == [
        "Chỉ văn thư của cơ quan được sao văn bản và ký số của cơ quan lên bản sao "
        "(Nghị định 30/2020/NĐ-CP, Điều 32)."
    ]
    assert not ElectronicCopy.objects.exists()
    paper = client.get("/staff/ban-sao/so-hoa/")
    assert paper.status_code == 302
    # An outsider does not even find the document.
    _as(client, province.outsider)
    assert client.get(f"/staff/van-ban-di/{document.pk}/sao/").status_code == 404


def test_a_digitised_paper_is_copied(client: Client, province: Province):
    _as(client, province.clerk)
    url = "/staff/ban-sao/so-hoa/"
    assert client.get(url).status_code == 200
    fields = {
        "agency": province.agency.pk,
        "description": "Quyết định số 12/QĐ-UBND ngày 05/01/2026",
        "confidentiality": "normal",
        "form": "sao_y",
    }
    not_pdf = client.post(url, {**fields, "file": SimpleUploadedFile("a.pdf", b"GIF89a")})
    assert "Tệp không phải là tài liệu PDF hợp lệ." in _text(not_pdf)
    secret = client.post(
        url,
        {
            **fields,
            "confidentiality": "secret",
            "file": SimpleUploadedFile("a.pdf", pdf_bytes("A")),
        },
    )
    assert "không được sao trên hệ thống" in _text(secret)
    scan = pdf_bytes("Quyết định giấy").replace(b"%PDF-1.3", b"%PDF-1.4", 1)
    made = client.post(url, {**fields, "file": SimpleUploadedFile("qd.pdf", scan)})
    copy = ElectronicCopy.objects.get()
    assert made["Location"] == f"/staff/ban-sao/{copy.pk}/"
    detail = _text(client.get(made["Location"]))
    assert "Văn bản giấy: Quyết định số 12/QĐ-UBND ngày 05/01/2026" in detail
    assert verify_pdf(_download(client, copy)).verdict == Verdict.VALID


def test_a_failed_signature_is_shown_and_made_again(
    client: Client, province: Province, settings: Any
):
    document = issued(province, subject="Quyết định")
    tsa = settings.EGOV_SIGNING_TSA_URL
    settings.EGOV_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"
    response = _as(client, province.clerk).post(
        f"/staff/van-ban-di/{document.pk}/sao/", {"form": "sao_y"}
    )
    copy = ElectronicCopy.objects.get()
    assert response["Location"] == f"/staff/ban-sao/{copy.pk}/"
    (message,) = _flashes(response)
    assert message.startswith("Đã cấp số bản sao 01/SY-UBND nhưng chưa ký số được:")
    detail = client.get(response["Location"])
    assert "Ký số lại bản sao" in _text(detail)
    assert client.get(f"/staff/ban-sao/{copy.pk}/tep/").status_code == 404
    settings.EGOV_SIGNING_TSA_URL = tsa
    again = client.post(f"/staff/ban-sao/{copy.pk}/ky-so/")
    assert _flashes(again) == ["Đã ký số của cơ quan lên bản sao 01/SY-UBND."]
    copy.refresh_from_db()
    assert copy.status == CopyStatus.SIGNED
    assert verify_pdf(_download(client, copy)).verdict == Verdict.VALID
