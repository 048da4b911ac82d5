"""Scan quality rules where component scans arrive: the desk's reception and scan form, the
staff API scan operation, and the citizen's online upload. A refused scan leaves nothing
stored; a good one is kept."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.core.models import StoredFile
from egov.core.tests.scan_samples import page_image, png, scanned_pdf
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.dossiers.tests.test_staff_api import make_key
from egov.portal.models import ApplicationDraft
from egov.portal.tests.test_online_application import PROCEDURE, citizen

pytestmark = pytest.mark.django_db

LOW_PDF = scanned_pdf((page_image(150), 150))
GOOD_PDF = scanned_pdf((page_image(200), 200))
BLURRED_PNG = png(page_image(200, blur=2), 200)
LOW_MESSAGE = (
    "Tệp “to-khai.pdf”: Ảnh quét ở trang 1 có độ phân giải 150 dpi, thấp hơn mức tối thiểu "
    "200 dpi; hãy quét lại ở 200 dpi trở lên."
)


def named(content: bytes, name: str) -> io.BytesIO:
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


def nothing_stored(private_files) -> bool:
    return not StoredFile.objects.exists() and not any(
        p.is_file() for p in private_files.rglob("*")
    )


def test_reception_refuses_a_150_dpi_scan_and_stores_nothing(quang_ninh, _private_files):
    request = reception("qn-cap-phieu-ly-lich-tu-phap")
    first = next(iter(request.components))
    request.scans = {first: (named(LOW_PDF, "to-khai.pdf"), "to-khai.pdf")}
    with pytest.raises(ValidationError) as info:
        dossier_receive(actor=user("tinh.tiepnhan"), reception=request)
    assert info.value.message_dict == {"scans": [LOW_MESSAGE]}
    assert nothing_stored(_private_files)


def test_desk_scan_form_refuses_low_and_blurred_scans_and_keeps_a_good_one(
    quang_ninh, client, settings, _private_files
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    item = dossier.components.first()
    url = f"/staff/ho-so/{dossier.code}/so-hoa/{item.pk}/"
    client.force_login(user("tinh.tiepnhan"))
    page = client.post(url, {"scan": named(LOW_PDF, "to-khai.pdf")}, follow=True)
    assert LOW_MESSAGE in page.content.decode()
    page = client.post(url, {"scan": named(BLURRED_PNG, "anh.png")}, follow=True)
    blurred = (
        "Tệp “anh.png”: Ảnh quét bị mờ (độ nét 4, cần từ 100 trở lên); hãy quét hoặc chụp "
        "lại cho rõ nét."
    )
    assert blurred in page.content.decode()
    item.refresh_from_db()
    assert item.scan is None and nothing_stored(_private_files)
    client.post(url, {"scan": named(GOOD_PDF, "to-khai.pdf")})
    item.refresh_from_db()
    assert item.scan is not None and item.scan.size == len(GOOD_PDF)


def test_staff_api_answers_422_invalid_file_with_the_message(quang_ninh, client, _private_files):
    key = make_key()
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    component_id = dossier.components.first().component_id
    url = f"/api/v1/staff/dossiers/{dossier.code}/components/{component_id}/scan"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    bad = client.post(url, {"file": SimpleUploadedFile("to-khai.pdf", LOW_PDF)}, **headers)
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_file"
    assert bad.json()["error"]["message"] == LOW_MESSAGE
    assert nothing_stored(_private_files)
    good = client.post(url, {"file": SimpleUploadedFile("to-khai.pdf", GOOD_PDF)}, **headers)
    assert good.status_code == 200 and good.json()["size"] == len(GOOD_PDF)


def test_online_upload_refuses_a_150_dpi_scan(quang_ninh, client, _private_files):
    account = citizen()
    client.force_login(account)
    client.post(f"/thu-tuc/{PROCEDURE}/nop-truc-tuyen/")
    draft = ApplicationDraft.objects.get(owner=account)
    component = draft.version.components.first()
    url = f"/ho-so-nhap/{draft.pk}/giay-to/"
    low = SimpleUploadedFile("to-khai.pdf", LOW_PDF, content_type="application/pdf")
    page = client.post(url, {f"files-{component.pk}": [low]}, follow=True)
    assert LOW_MESSAGE in page.content.decode()
    assert draft.files.count() == 0 and nothing_stored(_private_files)
    good = SimpleUploadedFile("to-khai.pdf", GOOD_PDF, content_type="application/pdf")
    client.post(url, {f"files-{component.pk}": [good]})
    assert draft.files.count() == 1
