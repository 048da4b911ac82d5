"""Signing and verifying real PDFs against the development PKI, checked by pdfsig and qpdf."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import subprocess

import pytest
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader

from egov.signing.services import (
    STAMP_MARGIN_PT,
    Box,
    Level,
    SigningError,
    seal_box,
    sign_agency,
    sign_pdf,
    sign_personal,
    sign_text_stamp,
)
from egov.signing.tests.fixtures import make_pdf, pdfsig
from egov.signing.verification import Revocation, Verdict, verify_pdf

PERSONAL_BOX = Box(page=1, x=320, y=185, width=170, height=70)


@pytest.fixture(scope="module")
def person_and_agency(signer_for) -> bytes:
    signed = sign_personal(make_pdf(), signer=signer_for("leader"), box=PERSONAL_BOX)
    return sign_agency(signed, signer=signer_for("agency"), personal_box=PERSONAL_BOX)


def _pdfsig_blocks(output: str) -> list[str]:
    return output.split("Signature #")[1:]


def test_person_then_agency_both_valid_for_pdfsig_qpdf_and_us(person_and_agency, tmp_path, nss_db):
    path = tmp_path / "signed.pdf"
    path.write_bytes(person_and_agency)

    blocks = _pdfsig_blocks(pdfsig(path, nss_db))
    assert len(blocks) == 2
    for block in blocks:
        assert "Signature Validation: Signature is Valid." in block
        assert "Certificate Validation: Certificate is Trusted." in block
    assert "Common Name: Nguyễn Văn Dũng" in blocks[0]
    assert "Common Name: UBND tỉnh Quảng Ninh" in blocks[1]
    qpdf = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert qpdf.returncode == 0, qpdf.stdout + qpdf.stderr

    result = verify_pdf(person_and_agency)
    assert result.verdict == Verdict.VALID
    assert result.message == "Chữ ký hợp lệ."
    person, agency = result.signatures
    assert (person.field_name, person.signer_name, person.signer_organisation) == (
        "SigNguoiKy",
        "Nguyễn Văn Dũng",
        "UBND tỉnh Quảng Ninh",
    )
    assert (agency.field_name, agency.signer_name) == ("SigCoQuan", "UBND tỉnh Quảng Ninh")
    for report in result.signatures:
        assert report.intact and report.trusted and not report.modified_after
        assert report.revocation == Revocation.GOOD
        assert report.timestamp is not None and report.timestamp.valid
        assert report.timestamp.authority == "Egov Dev TSA"
        assert report.signing_time == report.timestamp.time
        assert abs(timezone.now() - report.signing_time) < dt.timedelta(minutes=5)


def test_seal_covers_the_left_third_of_the_signature(person_and_agency):
    reader = PdfReader(io.BytesIO(person_and_agency))
    rects = {
        str(annot.get_object()["/T"]): [float(v) for v in annot.get_object()["/Rect"]]
        for annot in reader.pages[0]["/Annots"]
    }
    px1, py1, px2, py2 = rects["SigNguoiKy"]
    sx1, sy1, sx2, sy2 = rects["SigCoQuan"]
    assert (px1, py1, px2, py2) == (320, 185, 490, 255)
    # Right edge of the seal one third into the signature, vertically centred on it.
    assert sx2 == round(320 + 170 / 3)
    assert round((sy1 + sy2) / 2) == round(185 + 70 / 2)
    assert sx2 - sx1 == round(seal_box(PERSONAL_BOX).width)


def test_text_stamp_top_right_of_page_one(signer_for, tmp_path, nss_db):
    when = dt.datetime(2026, 12, 1, 3, 4, 5, tzinfo=dt.UTC)
    signed = sign_text_stamp(
        make_pdf(pages=2),
        signer=signer_for("agency"),
        heading="SAO Y",
        agency="UBND tỉnh Quảng Ninh",
        when=when,
    )
    reader = PdfReader(io.BytesIO(signed))
    (annot,) = reader.pages[0]["/Annots"]
    _x1, _y1, x2, y2 = (float(v) for v in annot.get_object()["/Rect"])
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(x2), round(y2)) == (
        round(width - STAMP_MARGIN_PT),
        round(height - STAMP_MARGIN_PT),
    )
    assert "/Annots" not in reader.pages[1]
    appearance = annot.get_object()["/AP"]["/N"].get_object()
    imported = next(iter(appearance["/Resources"]["/XObject"].values())).get_object()
    # The text is drawn in the stamp font; the ISO 8601 time carries the Vietnam offset.
    fonts = [str(f.get_object()["/BaseFont"]) for f in imported["/Resources"]["/Font"].values()]
    assert any("LiberationSerif" in f for f in fonts)
    path = tmp_path / "copy.pdf"
    path.write_bytes(signed)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "QUYẾT ĐỊNH" in text
    (block,) = _pdfsig_blocks(pdfsig(path, nss_db))
    assert "Signature is Valid." in block and "Certificate is Trusted." in block
    assert verify_pdf(signed).verdict == Verdict.VALID


def test_stamp_text_lines():
    from egov.signing.services import stamp_text

    when = dt.datetime(2026, 12, 1, 3, 4, 5, 123, tzinfo=dt.UTC)
    assert stamp_text("Số: 12/QĐ-UBND", "UBND tỉnh Quảng Ninh", when) == (
        "Số: 12/QĐ-UBND\nUBND tỉnh Quảng Ninh\n2026-12-01T10:04:05+07:00"
    )


def test_one_flipped_byte_in_the_signed_range_is_invalid_everywhere(
    person_and_agency, tmp_path, nss_db
):
    data = bytearray(person_and_agency)
    position = data.index(b"/Type /Page") + 2  # inside the first signed range
    data[position] ^= 0x01
    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(data))

    blocks = _pdfsig_blocks(pdfsig(path, nss_db))
    assert blocks and all("Signature is Valid." not in block for block in blocks)
    assert "Digest Mismatch" in blocks[0]
    result = verify_pdf(bytes(data))
    assert result.verdict == Verdict.INVALID
    assert result.signatures[0].verdict == Verdict.INVALID
    assert result.signatures[0].intact is False


def test_revoked_signer(signer_for):
    with pytest.raises(SigningError):
        sign_pdf(make_pdf(), signer=signer_for("revoked"), field_name="Sig", level=Level.B_LT)
    signed = sign_pdf(make_pdf(), signer=signer_for("revoked"), field_name="Sig", level=Level.B_T)

    checked = verify_pdf(signed, fetch_revocation=True)
    assert checked.verdict == Verdict.REVOKED
    assert checked.message == "Chứng thư số đã bị thu hồi."
    assert checked.signatures[0].revocation == Revocation.REVOKED
    # Without revocation data in the file and without fetching, nothing can be said.
    assert verify_pdf(signed).verdict == Verdict.INDETERMINATE


def test_expired_when_signed(signer_for):
    signed = sign_pdf(make_pdf(), signer=signer_for("expired"), field_name="Sig", level=Level.B_T)
    result = verify_pdf(signed, fetch_revocation=True)
    assert result.verdict == Verdict.EXPIRED
    assert result.message == "Chứng thư số đã hết hạn khi ký."


def test_certificate_expired_after_signing(signer_for, dev_pki):
    leader = signer_for("leader")
    later = dev_pki.certificate("leader").not_valid_after_utc + dt.timedelta(days=30)
    with_revocation_data = sign_pdf(make_pdf(), signer=leader, field_name="Sig", level=Level.B_LT)
    timestamp_only = sign_pdf(make_pdf(), signer=leader, field_name="Sig", level=Level.B_T)

    # B-LT: the timestamp fixes the signing time; the embedded OCSP/CRL show the certificate
    # good then. Still valid after the certificate expired.
    assert verify_pdf(with_revocation_data, at=later).verdict == Verdict.VALID
    # B-T only: the time is proven but not the revocation status at that time.
    result = verify_pdf(timestamp_only, at=later)
    assert result.verdict == Verdict.INDETERMINATE
    assert result.signatures[0].revocation == Revocation.UNKNOWN
    assert result.message == (
        "Chưa xác định: không kiểm tra được tình trạng thu hồi của chứng thư số."
    )


def test_untrusted_root(signer_for, tmp_path, nss_db):
    with pytest.raises(SigningError):
        sign_pdf(make_pdf(), signer=signer_for("outsider"), field_name="Sig", level=Level.B_LT)
    signed = sign_pdf(make_pdf(), signer=signer_for("outsider"), field_name="Sig", level=Level.B_T)
    result = verify_pdf(signed)
    assert result.verdict == Verdict.UNTRUSTED
    assert result.message == "Chứng thư số không do tổ chức tin cậy cấp."
    path = tmp_path / "outsider.pdf"
    path.write_bytes(signed)
    (block,) = _pdfsig_blocks(pdfsig(path, nss_db))
    assert "Signature is Valid." in block
    assert "Certificate is Trusted." not in block


def _edit_page_content(data: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    stream = generic.StreamObject(stream_data=b"q 1 0 0 rg 72 400 200 40 re f Q")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_signature_added_after_a_later_edit(signer_for):
    signed = sign_personal(make_pdf(), signer=signer_for("leader"), box=PERSONAL_BOX)
    edited = _edit_page_content(signed)
    resigned = sign_agency(edited, signer=signer_for("agency"), personal_box=PERSONAL_BOX)

    result = verify_pdf(resigned)
    assert result.verdict == Verdict.MODIFIED
    assert result.message == "Tài liệu đã bị sửa đổi sau khi ký."
    person, agency = result.signatures
    assert (person.verdict, person.intact, person.modified_after) == (Verdict.MODIFIED, True, True)
    assert (agency.verdict, agency.modified_after) == (Verdict.VALID, False)


@pytest.mark.parametrize(
    ("data", "verdict"),
    [
        (b"", Verdict.NOT_PDF),
        (b"hello, not a PDF", Verdict.NOT_PDF),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", Verdict.NOT_PDF),
    ],
)
def test_not_a_pdf(data, verdict):
    result = verify_pdf(data)
    assert result.verdict == verdict
    assert result.message == "Tệp không phải là tài liệu PDF hợp lệ."
    assert result.signatures == ()


def test_truncated_signed_pdf_is_not_an_exception(person_and_agency):
    result = verify_pdf(person_and_agency[: len(person_and_agency) // 2])
    assert result.verdict == Verdict.NOT_PDF


def test_b_lta_adds_a_document_timestamp_and_stays_valid(signer_for):
    signed = sign_pdf(make_pdf(), signer=signer_for("leader"), field_name="Sig", level=Level.B_LTA)
    reader = PdfReader(io.BytesIO(signed))
    kinds = sorted(
        str(f.get("/FT")) + str(f["/V"].get("/Type")) for f in reader.get_fields().values()
    )
    assert kinds == ["/Sig/DocTimeStamp", "/Sig/Sig"]
    result = verify_pdf(signed)
    assert result.verdict == Verdict.VALID
    assert [s.field_name for s in result.signatures] == ["Sig"]


def test_unsigned_pdf():
    result = verify_pdf(make_pdf())
    assert (result.verdict, result.message) == (
        Verdict.NO_SIGNATURE,
        "Tài liệu không có chữ ký số.",
    )


def test_signing_a_non_pdf_is_a_translated_error(signer_for):
    with pytest.raises(SigningError) as error:
        sign_pdf(b"not a pdf", signer=signer_for("leader"), field_name="Sig")
    assert error.value.message == "Tệp không phải là tài liệu PDF hợp lệ."
    with pytest.raises(SigningError) as error:
        sign_personal(make_pdf(), signer=signer_for("leader"), box=Box(3, 10, 10, 50, 50))
    assert error.value.message == "Trang đặt chữ ký không có trong tài liệu."


def test_a_filled_field_is_not_signed_again(person_and_agency, signer_for):
    with pytest.raises(SigningError) as error:
        sign_pdf(person_and_agency, signer=signer_for("leader"), field_name="SigNguoiKy")
    assert error.value.message == "Ô chữ ký này đã được ký."


def test_unreachable_tsa_is_a_translated_error(signer_for, settings):
    settings.EGOV_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"
    with pytest.raises(SigningError) as error:
        sign_pdf(make_pdf(), signer=signer_for("leader"), field_name="Sig", level=Level.B_T)
    assert error.value.message == "Không lấy được dấu thời gian từ dịch vụ cấp dấu thời gian."


def test_signing_and_verifying_inside_a_running_event_loop(signer_for):
    async def inside() -> Verdict:
        signed = sign_pdf(make_pdf(), signer=signer_for("leader"), field_name="Sig")
        return verify_pdf(signed).verdict

    assert asyncio.run(inside()) == Verdict.VALID
