"""Uploaded drafts numbered like composed ones (NĐ 30/2020/NĐ-CP, Điều 15): upload (PDF or DOCX
through LibreOffice) → number and date fields where page 1 shows the blanks → personal
signature → cấp số fills them → agency signature; both signatures checked by our verification
and by pdfsig, the filled values in the text layer, qpdf happy. Files without the blanks are
accepted as they are, and the pages and the API say where the number and date will be."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.accounts.models import Role
from egov.accounts.services import api_client_create
from egov.core.printing.official.convert import soffice_path
from egov.core.printing.official.signature_block import find_signature_spot
from egov.core.tests.uploaded_drafts import (
    layout_text,
    render_first_page,
    scanned_pdf,
    unlabelled_pdf,
    word_like_docx,
    word_like_pdf,
)
from egov.core.uploads import open_private
from egov.documents.actions import OutgoingAction as A
from egov.documents.models import OutgoingDocument, OutgoingStatus, VersionKind
from egov.documents.selectors import document_type
from egov.documents.selectors_outgoing import number_date_notices
from egov.documents.services.outgoing import outgoing_transition
from egov.documents.services.outgoing_drafts import outgoing_revise, outgoing_upload
from egov.documents.services.outgoing_signing import (
    latest_version_file,
    outgoing_agency_seal,
    outgoing_sign,
)
from egov.documents.tests.conftest import Province
from egov.documents.tests.test_outgoing_pages import post_upload
from egov.documents.tests.test_outgoing_signing import check_both_signatures, to_approval
from egov.signing.fill import form_field_names
from egov.signing.services import Box, seal_box, sign_personal, signature_field_box
from egov.signing.signers import Pkcs12Signer
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.usefixtures("signing_settings")

needs_soffice = pytest.mark.skipif(
    soffice_path() is None,
    reason="LIBREOFFICE (soffice) NOT INSTALLED: apt-get install -y libreoffice-writer-nogui",
)
ISSUED_ON = dt.datetime(2026, 2, 5, 2, tzinfo=dt.UTC)  # 5 February 2026, morning in Vietnam


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False


def upload(province: Province, data: bytes, name: str = "du-thao.pdf") -> OutgoingDocument:
    kind = document_type(None, "quyet-dinh")
    assert kind is not None
    return outgoing_upload(
        actor=province.specialist,
        agency=province.agency,
        drafting_unit=province.vx,
        document_type=kind,
        subject="Về việc phê duyệt kế hoạch tổ chức Tết Nguyên đán",
        data=data,
        name=name,
        signer=province.leader,
        unit_abbreviation=province.vx_abbr,
    )


def _bytes(document: OutgoingDocument, kind: str) -> bytes:
    file = latest_version_file(document, kind)
    assert file is not None
    with open_private(file.key) as stream:
        return stream.read()


def sign_and_number(province: Province, document: OutgoingDocument) -> OutgoingDocument:
    """Approval, the leader's signature, then the văn thư's cấp số and the agency's signature
    (numbered on 5 February 2026, sealed today: the dev certificates are recent)."""
    document = to_approval(province, document)
    document = outgoing_sign(actor=province.leader, document=document)
    with time_machine.travel(ISSUED_ON, tick=False):
        document = outgoing_transition(actor=province.clerk, document=document, action=A.REGISTER)
    document = outgoing_agency_seal(actor=province.clerk, document=document)
    assert document.status == OutgoingStatus.AGENCY_SIGNED
    return document


def test_uploaded_pdf_is_numbered_and_dated_in_the_file(
    province: Province, nss_db: str, tmp_path: Path
) -> None:
    uploaded = word_like_pdf()
    document = upload(province, uploaded)
    draft = _bytes(document, VersionKind.DRAFT)
    assert draft.startswith(uploaded)  # the upload as it was, the fields added after it
    assert sorted(form_field_names(draft)) == ["nam", "ngay", "so", "thang"]
    notice = number_date_notices([document])[document.pk]
    assert notice.on_file and notice.placement == "fields"

    document = sign_and_number(province, document)
    personal = verify_pdf(_bytes(document, VersionKind.PERSONAL_SIGNED))
    assert [s.verdict for s in personal.signatures] == [Verdict.VALID]
    assert (document.code_number, document.code_notation) == (1, "QĐ-UBND")
    final = _bytes(document, VersionKind.AGENCY_SIGNED)
    check_both_signatures(final, tmp_path, nss_db)
    assert "Số: 01 /QĐ-UBND Đoàn Kết, ngày 05 tháng 02 năm 2026" in layout_text(final, tmp_path)
    assert render_first_page(final, tmp_path, "van-ban-da-cap-so").is_file()
    # ô 7c between "CHỦ TỊCH" and the name, the seal over the left third of the signature.
    spot = find_signature_spot(uploaded)
    assert spot is not None
    personal_box = signature_field_box(final, "SigNguoiKy")
    assert personal_box is not None
    assert (personal_box.page, personal_box.as_rect()) == (
        1,
        Box(page=1, x=spot.x, y=spot.y, width=spot.width, height=spot.height).as_rect(),
    )
    agency_box = signature_field_box(final, "SigCoQuan")
    assert agency_box is not None
    assert agency_box.as_rect() == seal_box(personal_box).as_rect()


@needs_soffice
def test_docx_draft_is_numbered_and_dated_in_the_file(
    province: Province, nss_db: str, tmp_path: Path, client: Client
) -> None:
    client.force_login(province.specialist)
    response = post_upload(
        client,
        province,
        SimpleUploadedFile("quyet-dinh.docx", word_like_docx()),
        kind="quyet-dinh",
        subject="Về việc phê duyệt kế hoạch tổ chức Tết Nguyên đán",
    )
    assert response.status_code == 302
    document = OutgoingDocument.objects.get()
    # The year is typed in the Word template ("năm 2026"): no field for it.
    assert sorted(form_field_names(_bytes(document, VersionKind.DRAFT))) == ["ngay", "so", "thang"]
    page = client.get(f"/staff/van-ban-di/{document.pk}/").content.decode()
    assert "văn thư ghi số và ngày vào tệp khi cấp số" in page

    document = sign_and_number(province, document)
    final = _bytes(document, VersionKind.AGENCY_SIGNED)
    check_both_signatures(final, tmp_path, nss_db)
    assert "Số: 01 /QĐ-UBND Đoàn Kết, ngày 05 tháng 02 năm 2026" in layout_text(final, tmp_path)
    assert render_first_page(final, tmp_path, "docx-da-cap-so").is_file()
    page = client.get(f"/staff/van-ban-di/{document.pk}/").content.decode()
    assert 'data-testid="number-date"' not in page  # numbered: nothing left to tell


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (unlabelled_pdf(), "Không tìm thấy dòng “Số:” và dòng ngày tháng năm còn để trống"),
        (scanned_pdf(), "không có lớp chữ (bản quét)"),
    ],
    ids=["no-labels", "scan"],
)
def test_a_file_without_blanks_is_accepted_as_it_is_and_the_pages_say_so(
    province: Province, client: Client, tmp_path: Path, nss_db: str, data: bytes, reason: str
) -> None:
    document = upload(province, data)
    assert _bytes(document, VersionKind.DRAFT) == data
    for user in (province.specialist, province.clerk):
        client.force_login(user)
        page = client.get(f"/staff/van-ban-di/{document.pk}/").content.decode()
        assert reason in page
        assert "chỉ được ghi trong sổ văn bản đi" in page

    document = sign_and_number(province, document)
    client.force_login(province.clerk)
    release = client.get("/staff/van-ban-di/cap-so/").content.decode()
    assert "Số và ngày sẽ không có trên tệp (chỉ ghi trong sổ)." in release
    final = _bytes(document, VersionKind.AGENCY_SIGNED)
    check_both_signatures(final, tmp_path, nss_db)
    assert "05 tháng 02 năm 2026" not in layout_text(final, tmp_path)


def test_a_revised_upload_gets_its_own_fields(province: Province) -> None:
    document = to_approval(province, upload(province, unlabelled_pdf()))
    document = outgoing_transition(
        actor=province.leader, document=document, action=A.RETURN, reason="Thiếu số, ký hiệu"
    )
    assert not number_date_notices([document])[document.pk].on_file
    outgoing_revise(
        actor=province.specialist, document=document, data=word_like_pdf(), name="sua.pdf"
    )
    assert number_date_notices([document])[document.pk].on_file
    assert "so" in form_field_names(_bytes(document, VersionKind.DRAFT))


def test_a_signed_upload_is_kept_as_it_is(
    province: Province, signer_for: Callable[[str], Pkcs12Signer]
) -> None:
    signed = sign_personal(
        word_like_pdf(), signer=signer_for("leader"), box=Box(1, 300, 150, 170, 70)
    )
    document = upload(province, signed)
    assert _bytes(document, VersionKind.DRAFT) == signed
    notice = number_date_notices([document])[document.pk]
    assert (notice.placement, notice.on_file) == ("kept", False)
    assert "Tệp đã có chữ ký số" in notice.text


def test_the_api_says_whether_number_and_date_go_into_the_file(
    province: Province, client: Client
) -> None:
    _client, key = api_client_create(
        actor=None, name="vx-cv", unit=province.vx, role=Role.SPECIALIST
    )
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    answers = {}
    for name, data in (("co-o.pdf", word_like_pdf()), ("quet.pdf", scanned_pdf())):
        response = client.post(
            "/api/v1/staff/outgoing-documents",
            {
                "drafting_unit": province.vx.key,
                "document_type": "quyet-dinh",
                "subject": "Quyết định thử",
                "signer": province.leader.username,
                "file": SimpleUploadedFile(name, data, "application/pdf"),
            },
            **auth,
        )
        assert response.status_code == 201, response.content
        answers[name] = response.json()
    assert answers["co-o.pdf"]["number_date_on_file"] is True
    assert answers["quet.pdf"]["number_date_on_file"] is False
    assert "bản quét" in answers["quet.pdf"]["number_date_notice"]


def test_a_damaged_pdf_is_refused_with_a_message(province: Province, client: Client) -> None:
    client.force_login(province.specialist)
    damaged = SimpleUploadedFile("hong.pdf", b"%PDF-1.7\nnot really a PDF", "application/pdf")
    page = post_upload(client, province, damaged)
    assert page.status_code == 200
    assert "Tệp không phải là tài liệu PDF hợp lệ." in page.content.decode()
    assert OutgoingDocument.objects.count() == 0
