"""Electronic copies (NĐ 30/2020/NĐ-CP, Điều 25-27): sao y, sao lục and trích sao of incoming,
outgoing and digitised paper documents — one gap-free copy series per agency and year, the
agency's text-stamp signature accepted by pdfsig, qpdf and our verification, the decree's
rules on what each form is made of, secret documents and other people refused."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from egov.audit.models import AuditEntry
from egov.core.models import NumberCounter
from egov.core.uploads import open_private
from egov.documents.actions import CopyAction
from egov.documents.errors import CopyNotSigned, CopyRefused
from egov.documents.models import (
    Confidentiality,
    CopyForm,
    CopySource,
    CopyStatus,
    ElectronicCopy,
    IncomingDocument,
    OutgoingDocument,
)
from egov.documents.selectors import document_type
from egov.documents.services.copies import PaperScan, copy_refusal, make_copy, sign_copy
from egov.documents.services.incoming import incoming_receive, incoming_register
from egov.documents.services.intake import incoming_receive_with_file
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import issued, pdf_bytes
from egov.signing.pki import AGENCY_NAME
from egov.signing.services import sign_pdf
from egov.signing.tests.fixtures import make_pdf, pdfsig
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.usefixtures("signing_settings")

THREE_PAGES = ("Trang một: căn cứ", "Trang hai: nội dung", "Trang ba: nơi nhận")


def copy_bytes(copy: ElectronicCopy) -> bytes:
    assert copy.file is not None
    with open_private(copy.file.key) as stream:
        return stream.read()


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text().strip() for page in PdfReader(io.BytesIO(data)).pages]


def first_page_text(data: bytes, tmp_path: Path) -> list[str]:
    """Page 1 as pdftotext reads it (the stamp's appearance included), line by line."""
    path = tmp_path / "page-1.pdf"
    path.write_bytes(data)
    run = ["pdftotext", "-f", "1", "-l", "1", str(path), "-"]
    text = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in text.splitlines() if line.strip()]


def received(province: Province, data: bytes, **fields: Any) -> IncomingDocument:
    """A registered incoming document with ``data`` as its file."""
    fields.setdefault("source", "upload")
    document = incoming_receive_with_file(
        actor=province.clerk,
        agency=province.agency,
        data=data,
        original_name="cong-van.pdf",
        organ_name="Bộ Nội vụ",
        subject="Về việc rà soát văn bản",
        **fields,
    )
    return incoming_register(actor=province.clerk, document=document, override_reason="thử")


@pytest.fixture(scope="module")
def signed_letter(signing_settings: None, signer_for: Any) -> bytes:
    """A công văn of another agency signed by its leader, three pages."""
    return sign_pdf(pdf_bytes(*THREE_PAGES), signer=signer_for("leader"), field_name="Sig")


def scan_pdf(*pages: str) -> bytes:
    """A digitised paper document: PDF 1.4 (Phụ lục I, Phần II.I.2; reportlab writes 1.3)."""
    return pdf_bytes(*pages).replace(b"%PDF-1.3", b"%PDF-1.4", 1)


def scan(province: Province, data: bytes | None = None, **extra: Any) -> PaperScan:
    return PaperScan(
        agency=province.agency,
        data=scan_pdf(*THREE_PAGES) if data is None else data,
        name="quyet-dinh-giay.pdf",
        description="Quyết định số 12/QĐ-UBND ngày 05/01/2026 của UBND tỉnh Thử",
        **extra,
    )


def test_sao_y_of_an_issued_document_is_numbered_and_signed_by_the_agency(
    province: Province, tmp_path: Path, nss_db: str
):
    document = issued(province, subject="Quyết định phê duyệt kế hoạch")
    copy = make_copy(
        actor=province.clerk,
        outgoing=document,
        form=CopyForm.SAO_Y,
        purpose="Gửi Sở Tài chính thẩm định",
        recipients="Sở Tài chính",
    )
    assert (copy.status, copy.number_text, copy.year) == (
        CopyStatus.SIGNED,
        "01/SY-UBND",
        copy.made_at.year,
    )
    assert (copy.source_kind, copy.outgoing, copy.agency) == (
        CopySource.OUTGOING,
        document,
        province.agency,
    )
    assert (copy.made_by, copy.page_count, copy.pages) == (province.clerk, 1, "")
    data = copy_bytes(copy)
    # The source as it is, the agency's signature added after it.
    assert page_texts(data) == ["Nội dung văn bản"]
    report = verify_pdf(data)
    assert report.verdict == Verdict.VALID
    (signature,) = report.signatures
    assert (signature.field_name, signature.signer_name) == (f"SigBanSao{copy.pk}", AGENCY_NAME)
    path = tmp_path / "ban-sao.pdf"
    path.write_bytes(data)
    output = pdfsig(path, nss_db)
    assert output.count("Signature #") == 1
    assert "Signature Validation: Signature is Valid." in output
    assert "Certificate Validation: Certificate is Trusted." in output
    qpdf = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert qpdf.returncode == 0, qpdf.stdout + qpdf.stderr
    # No image: the stamp is text at the top right of page 1 — form, agency, the copy's
    # số and ký hiệu, the signing time in ISO 8601 with the Vietnam offset.
    annotations: Any = PdfReader(io.BytesIO(data)).pages[0]["/Annots"]
    (annotation,) = annotations
    widget = annotation.get_object()
    x1, _y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert x2 > 500 and y2 > 800 and x1 > 300
    appearance = widget["/AP"]["/N"].get_object()
    (drawn,) = [x.get_object() for x in appearance["/Resources"]["/XObject"].values()]
    assert drawn["/Subtype"] == "/Form" and "/XObject" not in drawn["/Resources"]
    lines = first_page_text(data, tmp_path)
    assert lines[:3] == ["SAO Y", "Ủy ban nhân dân tỉnh Thử", "Số: 01/SY-UBND"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", lines[3])
    # One event per step, each audited.
    assert [(e.action, e.from_status, e.to_status) for e in copy.events.all()] == [
        (CopyAction.MAKE, "", CopyStatus.NUMBERED),
        (CopyAction.AGENCY_SIGN, CopyStatus.NUMBERED, CopyStatus.SIGNED),
    ]
    entries = AuditEntry.objects.filter(object_type="documents.electroniccopy", object_id=copy.pk)
    assert list(entries.order_by("pk").values_list("action", flat=True)) == [
        "document.copy.make",
        "document.copy.agency_sign",
    ]


def test_one_series_for_the_three_forms_per_agency_and_year(
    province: Province, signed_letter: bytes
):
    letter = received(province, signed_letter)
    first = make_copy(actor=province.clerk, incoming=letter, form=CopyForm.SAO_Y)
    extract = make_copy(actor=province.clerk, incoming=letter, form=CopyForm.TRICH_SAO, pages="2")
    again = make_copy(actor=province.clerk, copy_of=first, form=CopyForm.SAO_LUC)
    assert [first.number_text, extract.number_text, again.number_text] == [
        "01/SY-UBND",
        "02/TrS-UBND",
        "03/SL-UBND",
    ]
    # Another agency numbers its own copies from 01.
    other = make_copy(
        actor=province.other_clerk,
        paper=_other_scan(province),
        form=CopyForm.SAO_Y,
    )
    assert other.number_text == "01/SY-SNV"
    counter = NumberCounter.objects.get(series="document-out", scope=f"{province.agency.pk}/sao")
    assert counter.last == 3


def _other_scan(province: Province) -> PaperScan:
    return PaperScan(
        agency=province.other,
        data=scan_pdf("Giấy mời"),
        name="giay-moi.pdf",
        description="Giấy mời số 3/GM-SNV",
    )


def test_sao_y_keeps_the_sources_signature_valid(province: Province, signed_letter: bytes):
    letter = received(province, signed_letter)
    copy = make_copy(actor=province.clerk, incoming=letter, form=CopyForm.SAO_Y)
    report = verify_pdf(copy_bytes(copy))
    assert report.verdict == Verdict.VALID
    assert [s.field_name for s in report.signatures] == ["Sig", f"SigBanSao{copy.pk}"]
    assert [s.verdict for s in report.signatures] == [Verdict.VALID, Verdict.VALID]


def test_trich_sao_takes_the_chosen_pages_and_only_the_agencys_signature(
    province: Province, signed_letter: bytes, tmp_path: Path, nss_db: str
):
    letter = received(province, signed_letter)
    copy = make_copy(actor=province.clerk, incoming=letter, form=CopyForm.TRICH_SAO, pages=" 3, 2 ")
    assert (copy.pages, copy.page_count, copy.number_text) == ("2-3", 2, "01/TrS-UBND")
    data = copy_bytes(copy)
    assert page_texts(data) == list(THREE_PAGES[1:])
    # The sender's signature covers the whole letter: it is not carried into the extract.
    report = verify_pdf(data)
    assert report.verdict == Verdict.VALID
    assert [s.field_name for s in report.signatures] == [f"SigBanSao{copy.pk}"]
    path = tmp_path / "trich-sao.pdf"
    path.write_bytes(data)
    assert pdfsig(path, nss_db).count("Signature #") == 1
    qpdf = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert qpdf.returncode == 0, qpdf.stdout + qpdf.stderr


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        ("", "Hãy ghi các trang cần trích sao"),
        ("2-x", "Không hiểu “2-x”"),
        ("3-2", "Khoảng trang “3-2” không hợp lệ."),
        ("0", "Khoảng trang “0” không hợp lệ."),
        ("2, 4", "Văn bản chỉ có 3 trang; không có trang 4."),
        ("1-3", "muốn sao cả 3 trang thì chọn sao y"),
    ],
)
def test_bad_page_ranges_are_refused_before_a_number_is_taken(
    province: Province, signed_letter: bytes, pages: str, message: str
):
    letter = received(province, signed_letter)
    with pytest.raises(CopyRefused, match=message):
        make_copy(actor=province.clerk, incoming=letter, form=CopyForm.TRICH_SAO, pages=pages)
    assert not ElectronicCopy.objects.exists()
    assert not NumberCounter.objects.filter(scope=f"{province.agency.pk}/sao").exists()


def test_pages_only_for_trich_sao(province: Province, signed_letter: bytes):
    letter = received(province, signed_letter)
    with pytest.raises(CopyRefused, match="Chỉ khi trích sao mới chọn trang"):
        make_copy(actor=province.clerk, incoming=letter, form=CopyForm.SAO_Y, pages="1")


def test_sao_luc_is_made_from_a_sao_y_only(province: Province, signed_letter: bytes):
    """Điều 25.2.b: sao lục is made from a bản sao y — of this agency, a sao y received from
    another agency, or a paper sao y digitised; never from the original itself."""
    letter = received(province, signed_letter)
    with pytest.raises(CopyRefused, match="Sao lục chỉ được thực hiện từ bản sao y"):
        make_copy(actor=province.clerk, incoming=letter, form=CopyForm.SAO_LUC)
    extract = make_copy(actor=province.clerk, incoming=letter, form=CopyForm.TRICH_SAO, pages="1")
    with pytest.raises(CopyRefused, match="Sao lục chỉ được thực hiện từ bản sao y"):
        make_copy(actor=province.clerk, copy_of=extract, form=CopyForm.SAO_LUC)
    sao_y = make_copy(actor=province.clerk, incoming=letter, form=CopyForm.SAO_Y)
    # A copy of a copy is a sao lục, not another sao y.
    with pytest.raises(CopyRefused, match="sao từ một bản sao y là sao lục"):
        make_copy(actor=province.clerk, copy_of=sao_y, form=CopyForm.SAO_Y)
    sao_luc = make_copy(actor=province.clerk, copy_of=sao_y, form=CopyForm.SAO_LUC)
    assert (sao_luc.source_copy, sao_luc.incoming, sao_luc.source_kind) == (
        sao_y,
        letter,
        CopySource.COPY,
    )
    # Each copy's signature stays valid under the next.
    report = verify_pdf(copy_bytes(sao_luc))
    assert [s.field_name for s in report.signatures] == [
        "Sig",
        f"SigBanSao{sao_y.pk}",
        f"SigBanSao{sao_luc.pk}",
    ]
    assert report.verdict == Verdict.VALID
    # A sao y received from another agency (type SY) is copied as a sao lục.
    received_copy = received(
        province, signed_letter, document_type=document_type(None, "ban-sao-y")
    )
    with pytest.raises(CopyRefused, match="sao lục"):
        make_copy(actor=province.clerk, incoming=received_copy, form=CopyForm.SAO_Y)
    assert make_copy(actor=province.clerk, incoming=received_copy, form=CopyForm.SAO_LUC)
    # And a digitised paper sao y.
    paper = make_copy(
        actor=province.clerk, paper=scan(province, is_sao_y=True), form=CopyForm.SAO_LUC
    )
    assert paper.source_kind == CopySource.PAPER_SCAN


def test_paper_to_electronic_sao_y(province: Province, tmp_path: Path, nss_db: str):
    """Điều 25.1.c: digitising the paper and the agency's digital signature."""
    copy = make_copy(actor=province.clerk, paper=scan(province), form=CopyForm.SAO_Y)
    assert (copy.source_kind, copy.number_text, copy.page_count) == (
        CopySource.PAPER_SCAN,
        "01/SY-UBND",
        3,
    )
    assert copy.source_description.startswith("Quyết định số 12/QĐ-UBND")
    assert copy.scan is not None and copy.scan.name == "quyet-dinh-giay.pdf"
    data = copy_bytes(copy)
    assert page_texts(data) == list(THREE_PAGES)
    assert verify_pdf(data).verdict == Verdict.VALID
    with pytest.raises(CopyRefused, match="Sao lục chỉ được thực hiện từ bản sao y"):
        make_copy(actor=province.clerk, paper=scan(province), form=CopyForm.SAO_LUC)


@pytest.mark.parametrize(
    ("data", "description", "message"),
    [
        (b"GIF89a not a pdf", "Quyết định giấy", "Tệp không phải là tài liệu PDF hợp lệ."),
        (b"%PDF-1.7\nrubbish", "Quyết định giấy", "Tài liệu PDF bị hỏng"),
        (pdf_bytes("Trang"), "Quyết định giấy", "phiên bản 1.4 trở lên"),
        (scan_pdf("Trang"), "  ", "Hãy ghi văn bản giấy được sao"),
    ],
)
def test_bad_paper_scans_are_refused(
    province: Province, data: bytes, description: str, message: str
):
    paper = PaperScan(agency=province.agency, data=data, name="x.pdf", description=description)
    with pytest.raises(CopyRefused, match=message):
        make_copy(actor=province.clerk, paper=paper, form=CopyForm.SAO_Y)
    assert not ElectronicCopy.objects.exists()


def test_secret_documents_are_never_copied(province: Province):
    secret = incoming_register(
        actor=province.clerk,
        document=incoming_receive(
            actor=province.clerk,
            agency=province.agency,
            source="paper",
            organ_name="Bộ Quốc phòng",
            subject="Văn bản mật",
            confidentiality=Confidentiality.TOP_SECRET,
        ),
    )
    message = "Văn bản có độ mật (Mật, Tối mật, Tuyệt mật) không được sao trên hệ thống"
    with pytest.raises(CopyRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        make_copy(actor=province.clerk, incoming=secret, form=CopyForm.SAO_Y)
    assert copy_refusal(province.clerk, incoming=secret) is not None
    with pytest.raises(CopyRefused, match="độ mật"):
        make_copy(
            actor=province.clerk,
            paper=scan(province, confidentiality=Confidentiality.SECRET),
            form=CopyForm.SAO_Y,
        )
    assert not ElectronicCopy.objects.exists()


@pytest.mark.parametrize("who", ["leader", "vx_leader", "specialist", "outsider", "other_clerk"])
def test_only_the_agencys_clerk_makes_copies(province: Province, who: str):
    document = issued(province, subject="Kế hoạch")
    actor = getattr(province, who)
    with pytest.raises(CopyRefused, match="Chỉ văn thư của cơ quan được sao văn bản"):
        make_copy(actor=actor, outgoing=document, form=CopyForm.SAO_Y)
    assert copy_refusal(actor, outgoing=document) is not None
    assert copy_refusal(province.clerk, outgoing=document) is None
    assert not ElectronicCopy.objects.exists()


def test_documents_not_yet_final_are_not_copied(province: Province):
    draft = issued(province, subject="Dự thảo", until="sign")
    with pytest.raises(CopyRefused, match="đã có chữ ký số của cơ quan"):
        make_copy(actor=province.clerk, outgoing=draft, form=CopyForm.SAO_Y)
    unregistered = incoming_receive_with_file(
        actor=province.clerk,
        agency=province.agency,
        data=make_pdf(),
        original_name="a.pdf",
        source="upload",
        organ_name="Bộ Nội vụ",
        subject="Chưa vào sổ",
    )
    with pytest.raises(CopyRefused, match="đã vào sổ"):
        make_copy(actor=province.clerk, incoming=unregistered, form=CopyForm.SAO_Y)
    paper_only = incoming_register(
        actor=province.clerk,
        document=incoming_receive(
            actor=province.clerk,
            agency=province.agency,
            source="paper",
            organ_name="Bộ Nội vụ",
            subject="Giấy",
        ),
    )
    with pytest.raises(CopyRefused, match="chưa có bản số hóa"):
        make_copy(actor=province.clerk, incoming=paper_only, form=CopyForm.SAO_Y)
    with pytest.raises(CopyRefused, match="đúng một văn bản"):
        make_copy(actor=province.clerk, form=CopyForm.SAO_Y)
    with pytest.raises(CopyRefused, match="Hình thức sao không hợp lệ"):
        make_copy(actor=province.clerk, outgoing=issued(province, subject="A"), form="photo")


def test_electronic_sao_y_can_be_limited_to_paper(province: Province, settings: Any):
    settings.EGOV_DOCUMENT_COPY_FROM_ELECTRONIC = False
    document = issued(province, subject="Quyết định")
    with pytest.raises(CopyRefused, match="chỉ được làm từ văn bản giấy được số hóa"):
        make_copy(actor=province.clerk, outgoing=document, form=CopyForm.SAO_Y)
    assert make_copy(actor=province.clerk, paper=scan(province), form=CopyForm.SAO_Y)
    multi = OutgoingDocument.objects.get(pk=document.pk)
    with pytest.raises(CopyRefused, match="Trích sao là sao một phần"):
        make_copy(actor=province.clerk, outgoing=multi, form=CopyForm.TRICH_SAO, pages="1")


def test_a_failed_signature_keeps_the_number_and_is_made_again(
    province: Province, settings: Any, signed_letter: bytes
):
    letter = received(province, signed_letter)
    tsa = settings.EGOV_SIGNING_TSA_URL
    settings.EGOV_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # nobody answers there
    with pytest.raises(CopyNotSigned) as failed:
        make_copy(actor=province.clerk, incoming=letter, form=CopyForm.TRICH_SAO, pages="1")
    assert "Đã cấp số bản sao 01/TrS-UBND nhưng chưa ký số được" in str(failed.value)
    waiting = ElectronicCopy.objects.get()
    assert (waiting.status, waiting.file) == (CopyStatus.NUMBERED, None)
    settings.EGOV_SIGNING_TSA_URL = tsa
    with pytest.raises(CopyRefused, match="Chỉ văn thư"):
        sign_copy(actor=province.leader, copy=waiting)
    signed = sign_copy(actor=province.clerk, copy=waiting)
    assert (signed.status, signed.number_text) == (CopyStatus.SIGNED, "01/TrS-UBND")
    assert page_texts(copy_bytes(signed)) == [THREE_PAGES[0]]
    with pytest.raises(CopyRefused, match="đã được ký số"):
        sign_copy(actor=province.clerk, copy=signed)
    assert [e.action for e in signed.events.all()] == [CopyAction.MAKE, CopyAction.AGENCY_SIGN]
    # The next copy takes the next number: none lost, none given twice.
    following = make_copy(actor=province.clerk, incoming=letter, form=CopyForm.SAO_Y)
    assert following.number_text == "02/SY-UBND"


def test_the_stamp_can_leave_out_the_copys_number(
    province: Province, settings: Any, tmp_path: Path
):
    settings.EGOV_DOCUMENT_COPY_STAMP_NUMBER = False
    copy = make_copy(actor=province.clerk, paper=scan(province), form=CopyForm.TRICH_SAO, pages="1")
    data = copy_bytes(copy)
    assert verify_pdf(data).verdict == Verdict.VALID
    lines = first_page_text(data, tmp_path)
    assert lines[:2] == ["TRÍCH SAO", "Ủy ban nhân dân tỉnh Thử"]
    assert lines[2].endswith("+07:00") and lines[3] == THREE_PAGES[0]


def test_a_too_large_scan_is_refused(province: Province, settings: Any):
    settings.EGOV_UPLOAD_MAX_MB = 0
    with pytest.raises(CopyRefused, match="lớn hơn 0 MB"):
        make_copy(actor=province.clerk, paper=scan(province), form=CopyForm.SAO_Y)
    assert not ElectronicCopy.objects.exists()
