"""E-results are signed by the competent agency when the result is approved (NĐ 45/2020
Điều 14.3): the stored file verifies (ours and pdfsig), the citizen downloads exactly it, their
page and the public verification page say so; a signature that cannot be made approves
nothing and stores nothing."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from egov.core.models import StoredFile
from egov.core.uploads import open_private
from egov.dossiers.eresults import RESULT_FIELD, result_agency
from egov.dossiers.models import Dossier, DossierFile, DossierStatus, FileSource
from egov.dossiers.services.results import dossier_approve
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import user
from egov.portal.tests.test_online_application import apply_online, citizen
from egov.signing.tests.fixtures import make_pdf, pdfsig
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.django_db
RESULT = make_pdf(text="GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH")


@pytest.fixture(autouse=True)
def _signing(signing_settings):
    """The development PKI signs for every agency; its root is the trust anchor."""


@pytest.fixture
def processing(quang_ninh, client):
    """An online dossier of citizen An, handed to UBND phường Hồng Gai."""
    account = citizen()
    draft = apply_online(client, account)
    client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/")
    dossier = Dossier.objects.get(owner=account)
    desk = user("tinh.tiepnhan")
    dossier = dossier_transition(actor=desk, dossier=dossier, action="accept_online")
    return dossier_transition(
        actor=desk,
        dossier=dossier,
        action="hand_off",
        data={"handling_unit": "qn.x.hong-gai.ubnd"},
    )


def _stored(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_approve_signs_the_result_and_the_citizen_gets_and_verifies_it(
    processing, client, settings, tmp_path, nss_db
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    leader = user("honggai.lanhdao")
    client.force_login(leader)
    answer = client.post(
        f"/staff/ho-so/{processing.code}/thao-tac/",
        {
            "action": "approve",
            "revision": processing.revision,
            "result_file": SimpleUploadedFile("giay-chung-nhan.pdf", RESULT),
        },
        follow=True,
    )
    assert "Đã thực hiện: Phê duyệt kết quả." in answer.content.decode()
    dossier = Dossier.objects.get(pk=processing.pk)
    assert dossier.status == DossierStatus.RESULT_READY
    result = DossierFile.objects.select_related("file").get(
        dossier=dossier, source=FileSource.RESULT
    )
    with open_private(result.file.key) as stream:
        stored = stream.read()
    assert stored.startswith(RESULT)  # an incremental update: the upload is kept as it was
    assert result.file.sha256 == hashlib.sha256(stored).hexdigest()
    assert (result.code, result.file.name) == (f"{dossier.code}-KQ1", "giay-chung-nhan.pdf")

    verification = verify_pdf(stored)
    assert verification.verdict == Verdict.VALID
    (signature,) = verification.signatures
    assert (signature.field_name, signature.signer_organisation) == (
        RESULT_FIELD,
        "UBND tỉnh Quảng Ninh",
    )
    assert signature.timestamp is not None and signature.timestamp.valid
    assert signature.revocation == "good"  # B-LT: the revocation data is in the file

    # The citizen's download is that file, and pdfsig (poppler, NSS) finds it valid.
    client.force_login(dossier.owner)
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/")
    assert "✔ Kết quả điện tử có chữ ký số hợp lệ của UBND tỉnh Quảng Ninh." in _text(
        page.content.decode()
    )
    download = client.get(f"/ho-so-cua-toi/{dossier.code}/tep/{result.pk}/")
    downloaded = b"".join(download.streaming_content)
    assert downloaded == stored
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(downloaded)
    report = pdfsig(path, nss_db)
    assert report.count("Signature #") == 1
    assert "Signature Validation: Signature is Valid." in report
    assert "Certificate Validation: Certificate is Trusted." in report
    assert "Common Name: UBND tỉnh Quảng Ninh" in report
    qpdf = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert qpdf.returncode == 0, qpdf.stdout + qpdf.stderr

    # Anyone can check it on the public page, without an account.
    client.logout()
    public = client.post(
        "/xac-thuc-van-ban/", {"file": SimpleUploadedFile("ket-qua.pdf", downloaded)}
    )
    text = _text(public.content.decode())
    assert "Tài liệu có 1 chữ ký số hợp lệ" in text
    assert "Người ký UBND tỉnh Quảng Ninh Tổ chức UBND tỉnh Quảng Ninh" in text


def test_the_agency_is_the_competent_unit_else_the_handling_one(processing):
    competent = processing.procedure_version.competent_unit
    expected = competent or processing.handling_unit
    assert result_agency(processing) == expected


def test_a_signature_that_cannot_be_made_approves_nothing(processing, settings, _private_files):
    settings.EGOV_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # nobody answers there
    upload = io.BytesIO(RESULT)
    revision = processing.revision
    with pytest.raises(ValidationError) as refused:
        dossier_approve(
            actor=user("honggai.lanhdao"),
            dossier=processing,
            result=upload,
            result_name="kq.pdf",
        )
    assert refused.value.messages == [
        "Chưa ký số được kết quả nên hồ sơ chưa được phê duyệt: Không lấy được dấu thời gian từ "
        "dịch vụ cấp dấu thời gian. Vui lòng thử lại."
    ]
    dossier = Dossier.objects.get(pk=processing.pk)
    assert (dossier.status, dossier.result_code, dossier.revision) == (
        DossierStatus.PROCESSING,
        "",
        revision,
    )
    assert not dossier.events.filter(action="approve").exists()
    assert not DossierFile.objects.filter(dossier=dossier, source=FileSource.RESULT).exists()
    assert not StoredFile.objects.filter(key__startswith="results/").exists()
    assert _stored(_private_files / "results") == []
    assert upload.getvalue() == RESULT  # the officer's file is untouched: they try again

    settings.EGOV_SIGNING_TSA_URL = ""  # the TSA is back
    approved = dossier_approve(
        actor=user("honggai.lanhdao"), dossier=dossier, result=upload, result_name="kq.pdf"
    )
    assert approved.status == DossierStatus.RESULT_READY


def test_a_scanned_image_result_becomes_a_signed_pdf(processing):
    image = Image.new("RGB", (1654, 2339), "white")  # A4 at 200 dpi
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(200, 200))
    approved = dossier_approve(
        actor=user("honggai.lanhdao"),
        dossier=processing,
        result=io.BytesIO(buffer.getvalue()),
        result_name="ket-qua-scan.png",
    )
    result = DossierFile.objects.select_related("file").get(
        dossier=approved, source=FileSource.RESULT
    )
    assert (result.file.name, result.file.content_type) == ("ket-qua-scan.pdf", "application/pdf")
    with open_private(result.file.key) as stream:
        data = stream.read()
    assert verify_pdf(data).verdict == Verdict.VALID
    from pypdf import PdfReader

    (page,) = PdfReader(io.BytesIO(data)).pages
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # real size: A4


def test_a_broken_image_is_refused_clearly(processing):
    with pytest.raises(ValidationError) as refused:
        dossier_approve(
            actor=user("honggai.lanhdao"),
            dossier=processing,
            result=io.BytesIO(b"\x89PNG\r\n\x1a\nbroken"),
            result_name="kq.png",
        )
    assert refused.value.messages == ["Không đọc được ảnh “kq.png” để chuyển thành PDF."]
    processing.refresh_from_db()
    assert processing.status == DossierStatus.PROCESSING


def test_what_the_applicant_reads_for_each_recorded_verdict():
    from egov.dossiers.eresults import result_signature

    def reads(verdict: str, agency: str = "") -> tuple[bool, str]:
        found = result_signature(DossierFile(signature_verdict=verdict, signature_agency=agency))
        return found.valid, found.message

    assert reads("valid", "UBND phường Hồng Gai") == (
        True,
        "Kết quả điện tử có chữ ký số hợp lệ của UBND phường Hồng Gai.",
    )
    assert reads("") == (False, "Kết quả điện tử này chưa được ký số.")  # stored before signing
    assert reads("indeterminate") == (
        False,
        "Chữ ký số trên kết quả điện tử chưa hợp lệ. Chưa xác định: không kiểm tra được tình "
        "trạng thu hồi của chứng thư số.",
    )
