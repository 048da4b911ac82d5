"""Electronic certified copies from originals (issue 16 §5): the officer who compared the
original certifies, the copy is numbered in the unit's register (from 1 each year), priced by
the catalog's fee rule, signed by the certifying unit (valid for pdfsig), stored and issued to
the requester's data store; refusals and a signature that cannot be made leave nothing."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from egov.certification.fees import copy_fee
from egov.certification.models import CertificationEntry, CertificationEvent, EntryState
from egov.certification.services import (
    CertificationUnavailable,
    certified_copy_issue,
    certified_copy_revoke,
)
from egov.core.models import StoredFile
from egov.core.numbering import last_number, yearly
from egov.core.tests.pdf_fonts import not_embedded
from egov.core.uploads import open_private
from egov.datastore.models import StoreDocument, StoreSource, StoreState
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import AN, reception, user
from egov.org.models import Unit
from egov.signing.revinfo_cache import KEPT
from egov.signing.tests.fixtures import make_pdf, pdfsig
from egov.signing.verification import Verdict, verify_pdf
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
ORIGINAL = make_pdf(pages=3, text="BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG")


@pytest.fixture(autouse=True)
def _signing(signing_settings, _private_files):
    """The development PKI signs for every agency; files go to the test's folder."""


def received(code="2.000815"):
    return dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(code))


def certify(dossier, actor=None, **overrides):
    arguments = {
        "actor": actor or user("tinh.tiepnhan"),
        "dossier": dossier,
        "original_confirmed": True,
        "pages": 3,
        "copies": 1,
        "title": "Bằng tốt nghiệp trung học phổ thông",
        "upload": io.BytesIO(ORIGINAL),
        "original_name": "bang-tot-nghiep.pdf",
    }
    arguments.update(overrides)
    return certified_copy_issue(**arguments)


def _bytes(file):
    with open_private(file.key) as stream:
        return stream.read()


def test_certifying_signs_numbers_and_issues_to_the_store(quang_ninh, tmp_path, nss_db):
    dossier = received()
    entry = certify(dossier)
    unit = Unit.objects.get(key="qn.ttpvhcc")
    year = entry.certified_on.year
    assert (entry.unit, entry.year, entry.sequence) == (unit, year, 1)
    assert (entry.number, entry.book) == (f"1/{year}/SCT/BS", f"01/{year}")
    assert (entry.pages, entry.copies, entry.fee) == (3, 1, 5000)
    assert entry.fee_explanation == (
        "Phí chứng thực bản sao từ bản chính: 2 × 2.000 đ + 1 × 1.000 đ = 5.000 đ mỗi bản; 1 bản."
    )
    assert (entry.requester_name, entry.requester_identifier) == (AN.name, AN.personal_id)
    assert (entry.certifier.username, entry.certifier_title) == (
        "tinh.tiepnhan",
        "Cán bộ tiếp nhận (Một cửa)",
    )
    assert entry.state == EntryState.ISSUED
    assert list(entry.events.values_list("action", "from_state", "to_state")) == [
        ("issue", "", "issued")
    ]

    # The copy: the original's 3 pages and the certification page, signed by the unit.
    data = _bytes(entry.file)
    verification = verify_pdf(data)
    assert verification.verdict == Verdict.VALID
    (signature,) = verification.signatures
    assert signature.field_name == "SigChungThuc"
    assert signature.timestamp is not None and signature.timestamp.valid
    assert signature.revocation == "good"  # B-LT
    path = tmp_path / "ban-sao.pdf"
    path.write_bytes(data)
    report = pdfsig(path, nss_db)
    assert report.count("Signature #") == 1
    assert "Signature Validation: Signature is Valid." in report
    assert "Certificate Validation: Certificate is Trusted." in report
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG — trang 3" in text
    assert "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH" in text
    assert f"Số chứng thực: {entry.number}" in text
    assert f"Quyển số: 01/{year}" in text
    assert "NGƯỜI THỰC HIỆN CHỨNG THỰC" in text
    assert "Trần Thị Bình" in text
    assert unit.name in text
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Pages:           4" in pages

    # Issued into An's data store, valid, the same file.
    document = entry.store_document
    assert document.source == StoreSource.CERTIFIED_COPY
    assert document.state == StoreState.VALID
    assert (document.owner_identifier, document.owner_name) == (AN.personal_id, AN.name)
    assert (document.title, document.number, document.issuer) == (
        "Bằng tốt nghiệp trung học phổ thông",
        entry.number,
        unit.name,
    )
    assert document.file_id == document.signed_file_id == entry.file_id
    assert (document.source_dossier_code, document.signature_verdict) == (dossier.code, "valid")


def test_a_photo_of_the_original_becomes_a_pdf_page(quang_ninh):
    buffer = io.BytesIO()
    Image.new("RGB", (1654, 2339), "white").save(buffer, "PNG", dpi=(200, 200))
    entry = certify(received(), upload=io.BytesIO(buffer.getvalue()), original_name="anh.png")
    data = _bytes(entry.file)
    assert verify_pdf(data).verdict == Verdict.VALID
    assert entry.store_document.pages == 1
    # The certification page and the signature's appearance embed their fonts (issue 13,
    # point 15; the PDF test originals of the other tests name Helvetica themselves).
    assert not_embedded(data) == []


@pytest.mark.parametrize(("pages", "amount"), [(1, 2_000), (2, 4_000), (3, 5_000), (250, 200_000)])
def test_the_fee_per_page_comes_from_the_catalog(quang_ninh, pages, amount):
    fee = copy_fee(received(), pages=pages, copies=1)
    assert fee.amount == amount
    assert fee.basis == "TT 226/2016/TT-BTC (tính theo số trang của bản chính)"


def test_the_fee_follows_the_catalog_when_its_data_changes(quang_ninh):
    dossier = received()
    rule = dossier.procedure_version.channels.get(kind="counter").fees.get()
    rule.first_page_rate = 3000
    rule.save()
    assert copy_fee(dossier, pages=1, copies=2).amount == 6000


@pytest.fixture
def _fresh_revocation_data(settings):
    """Revocation data fetched at a travelled-to time must not serve the next tests."""
    settings.EGOV_SIGNING_REVOCATION_CACHE_SECONDS = 0
    KEPT.clear()
    yield
    KEPT.clear()


def test_the_register_restarts_on_1_january(quang_ninh, _fresh_revocation_data):
    dossier = received()
    unit = Unit.objects.get(key="qn.ttpvhcc")
    with time_machine.travel(dt.datetime(2026, 12, 31, 16, 0, tzinfo=VIETNAM_TZ), tick=True):
        first = certify(dossier)
        second = certify(dossier)
    with time_machine.travel(dt.datetime(2027, 1, 1, 8, 0, tzinfo=VIETNAM_TZ), tick=True):
        third = certify(dossier)
    assert [(e.year, e.sequence, e.number) for e in (first, second, third)] == [
        (2026, 1, "1/2026/SCT/BS"),
        (2026, 2, "2/2026/SCT/BS"),
        (2027, 1, "1/2027/SCT/BS"),
    ]
    assert last_number(yearly("certified-copy", "unit", unit.pk, on=dt.date(2026, 6, 1))) == 2
    # Another unit's register runs on its own.
    other = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    assert last_number(yearly("certified-copy", "unit", other.pk, on=dt.date(2027, 1, 1))) == 0


def test_the_symbol_is_a_setting(quang_ninh, settings):
    settings.EGOV_CERTIFICATION_SYMBOL = "SCBS"
    entry = certify(received())
    assert entry.number == f"1/{entry.year}/SCBS"


def _nothing_kept():
    assert not CertificationEntry.objects.exists()
    assert not CertificationEvent.objects.exists()
    assert not StoreDocument.objects.filter(source=StoreSource.CERTIFIED_COPY).exists()
    assert not StoredFile.objects.filter(key__startswith="certified-copies/").exists()


def test_refused_without_the_officer_confirming_the_original(quang_ninh):
    with pytest.raises(ValidationError) as refused:
        certify(received(), original_confirmed=False)
    assert refused.value.messages == [
        "Hãy xác nhận đã đối chiếu bản sao với bản chính trước khi chứng thực."
    ]
    _nothing_kept()


def test_refused_for_another_procedure(quang_ninh):
    with pytest.raises(ValidationError) as refused:
        certify(received("1.001612"))
    assert refused.value.messages == [
        "Hồ sơ này không thuộc thủ tục chứng thực bản sao từ bản chính."
    ]
    _nothing_kept()


def test_refused_for_staff_of_another_unit(quang_ninh):
    with pytest.raises(ValidationError) as refused:
        certify(received(), actor=user("honggai.tiepnhan"))
    assert refused.value.messages == ["Bạn không có quyền xử lý hồ sơ này."]
    _nothing_kept()


def test_refused_for_staff_without_a_handling_role_at_the_unit(quang_ninh):
    with pytest.raises(ValidationError) as refused:
        certify(received(), actor=user("tinh.lanhdaotrungtam"))
    assert refused.value.messages == [
        "Chỉ cán bộ tiếp nhận, thụ lý hoặc lãnh đạo của Trung tâm Phục vụ hành chính công "
        "tỉnh Quảng Ninh được chứng thực bản sao."
    ]
    _nothing_kept()


def test_refused_for_bad_input(quang_ninh):
    dossier = received()
    with pytest.raises(ValidationError):
        certify(dossier, pages=0)
    with pytest.raises(ValidationError):
        certify(dossier, title="   ")
    with pytest.raises(ValidationError) as refused:
        certify(dossier, upload=io.BytesIO(b"not a pdf at all"))
    assert "không đúng định dạng" in refused.value.messages[0]
    _nothing_kept()


def test_a_signature_that_cannot_be_made_keeps_nothing(quang_ninh, settings):
    dossier = received()
    unit = Unit.objects.get(key="qn.ttpvhcc")
    settings.EGOV_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # nobody answers there
    with pytest.raises(CertificationUnavailable) as failed:
        certify(dossier)
    assert failed.value.message.startswith("Chưa ký số được bản sao nên chưa chứng thực:")
    _nothing_kept()
    # The number was given back: the next certification is still number 1.
    assert last_number(yearly("certified-copy", "unit", unit.pk, on=timezone.localdate())) == 0


def test_revoking_withdraws_the_copy_from_the_store(quang_ninh):
    entry = certify(received())
    certified_copy_revoke(actor=user("tinh.tiepnhan"), entry=entry, reason="Nhầm bản chính")
    entry.refresh_from_db()
    assert entry.state == EntryState.REVOKED
    assert entry.store_document.state == StoreState.REVOKED
    assert list(entry.events.values_list("action", flat=True)) == ["issue", "revoke"]
    with pytest.raises(ValidationError):
        certified_copy_revoke(actor=user("tinh.tiepnhan"), entry=entry, reason="Lần nữa")


def test_the_original_can_be_the_scan_of_a_dossier_component(quang_ninh):
    from egov.dossiers.services.attachments import dossier_attach_scan

    dossier = received()
    component = dossier.components.order_by("component__order").first()
    desk = user("tinh.tiepnhan")
    dossier_attach_scan(
        actor=desk,
        dossier=dossier,
        component=component,
        upload=io.BytesIO(ORIGINAL),
        original_name="ban-chinh.pdf",
    )
    component.refresh_from_db()
    entry = certify(dossier, component=component, upload=None)
    data = _bytes(entry.file)
    assert data.startswith(b"%PDF") and verify_pdf(data).verdict == Verdict.VALID
    assert entry.store_document.pages == 3
    other = received().components.first()
    with pytest.raises(ValidationError) as refused:
        certify(dossier, component=other, upload=None)
    assert refused.value.messages == ["Thành phần không thuộc hồ sơ này."]
