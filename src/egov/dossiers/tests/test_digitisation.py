"""Digitisation at reception (TT 01/2023/TT-VPCP Điều 8; TT 03/2025/TT-VPCP Điều 5 khoản 2):
scans and online uploads become pending documents of the applicant's data store; the desk
checks them against the originals and the "kết quả số hóa" is signed (pdfsig accepts it) or
rejected; the e-result enters the store signed; every step is in the dossier's history."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.core.tests.scan_samples import document_pdf, good_scan_png
from egov.core.uploads import open_private
from egov.datastore.models import StoreDocument
from egov.dossiers.digitisation import DigitisationStatus, dossier_digitisation
from egov.dossiers.digitisation_signing import DIGITISED_FIELD
from egov.dossiers.models import Dossier, DossierFile, FileSource
from egov.dossiers.services.attachments import dossier_attach_scan
from egov.dossiers.services.digitisation import (
    PaperDetails,
    dossier_digitise_reject,
    dossier_digitise_verify,
)
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.results import dossier_approve
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import PROVINCIAL, reception, user
from egov.dossiers.tests.test_staff_api import make_key, post
from egov.portal.tests.test_online_application import apply_online, citizen
from egov.signing.tests.fixtures import make_pdf, pdfsig
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.django_db
PDF = document_pdf()
PNG = good_scan_png()


@pytest.fixture(autouse=True)
def _signing(signing_settings):
    """The development PKI signs for every officer and agency; its root is trusted."""


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def received_with_scans():
    """A counter dossier of An (personal ID 022084000123) with a scan of each of its first two
    components: a PNG and a PDF."""
    request = reception()
    first, second = list(request.components)[:2]
    request.scans = {
        first: (io.BytesIO(PNG), "to-khai.png"),
        second: (io.BytesIO(PDF), "giay-to.pdf"),
    }
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=request)
    return dossier, first, second


def test_scans_at_the_counter_become_pending_documents_of_the_applicant(quang_ninh):
    dossier, first, second = received_with_scans()
    documents = list(StoreDocument.objects.filter(source_dossier_id=dossier.pk).order_by("code"))
    assert [d.code for d in documents] == [f"{dossier.code}-SH1", f"{dossier.code}-SH2"]
    for document, component_id in zip(documents, (first, second), strict=True):
        row = dossier.components.select_related("component").get(component_id=component_id)
        assert row.store_document == document
        assert document.file == row.scan
        assert (document.title, document.kind) == (row.component.name, row.component.document_kind)
        assert (document.owner_kind, document.owner_identifier, document.owner_name) == (
            "person",
            "022084000123",
            "Nguyễn Văn An",
        )
        assert (document.source, document.state, document.unit.key) == (
            "scan",
            "pending",
            "qn.ttpvhcc",
        )
        assert document.owner_account is None  # received at the counter: no portal account
        assert list(document.events.values_list("action", "to_state")) == [("store", "pending")]
    state = dossier_digitisation(dossier)
    assert state.status == DigitisationStatus.IN_PROGRESS
    assert [c.status for c in state.components][:2] == [DigitisationStatus.IN_PROGRESS] * 2


def test_replacing_a_scan_replaces_its_pending_document(quang_ninh):
    dossier, first, _second = received_with_scans()
    row = dossier.components.get(component_id=first)
    old = row.store_document
    dossier_attach_scan(
        actor=user("tinh.tiepnhan"),
        dossier=dossier,
        component=row,
        upload=io.BytesIO(PDF),
        original_name="to-khai-moi.pdf",
    )
    row.refresh_from_db()
    old.refresh_from_db()
    assert old.state == "rejected"
    assert old.events.last().data == {"reason": "Đã thay bằng bản số hóa khác."}
    assert row.store_document.code == f"{dossier.code}-SH3"
    assert (row.store_document.state, row.store_document.file) == ("pending", row.scan)


def test_without_personal_id_nothing_enters_a_store_and_the_page_says_why(
    quang_ninh, client, settings
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    Dossier.objects.filter(pk=dossier.pk).update(applicant_personal_id="")
    dossier.refresh_from_db()
    row = dossier.components.order_by("pk").first()
    dossier_attach_scan(
        actor=user("tinh.tiepnhan"),
        dossier=dossier,
        component=row,
        upload=io.BytesIO(PDF),
        original_name="to-khai.pdf",
    )
    row.refresh_from_db()
    assert row.scan is not None and row.store_document is None
    assert not StoreDocument.objects.exists()
    client.force_login(user("tinh.tiepnhan"))
    page = _text(client.get(f"/staff/ho-so/{dossier.code}/").content.decode())
    assert (
        "Người nộp không có số định danh cá nhân hoặc mã số thuế nên bản số hóa không được đưa "
        "vào kho dữ liệu điện tử" in page
    )


def test_the_desk_checks_both_originals_and_signs_with_the_officers_certificate(
    quang_ninh, client, settings, tmp_path, nss_db
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier, first, second = received_with_scans()
    desk = user("tinh.tiepnhan")
    client.force_login(desk)
    page = client.get(f"/staff/ho-so/{dossier.code}/").content.decode()
    assert "Đã đối chiếu bản chính — ký số kết quả số hóa của cả 2 giấy tờ" in page
    sh1, sh2 = f"{dossier.code}-SH1", f"{dossier.code}-SH2"
    answer = client.post(
        f"/staff/ho-so/{dossier.code}/doi-chieu/",
        {
            "only": "",
            f"number__{sh1}": "12/TK",
            f"issuer__{sh1}": "UBND phường Hồng Gai",
            f"issued_on__{sh1}": "2026-01-05",
            f"number__{sh2}": "",
        },
        follow=True,
    )
    text = _text(answer.content.decode())
    assert f"Đã ký số kết quả số hóa: {sh1}, {sh2}." in text
    assert "Tình trạng số hóa: Đã số hóa" in text
    one = StoreDocument.objects.get(code=sh1)
    assert (one.state, one.number, one.issuer, str(one.issued_on)) == (
        "valid",
        "12/TK",
        "UBND phường Hồng Gai",
        "2026-01-05",
    )
    assert one.digitised_by == desk and one.digitised_at is not None
    with open_private(one.signed_file.key) as stream:
        signed = stream.read()
    verification = verify_pdf(signed)
    assert verification.verdict == Verdict.VALID
    (signature,) = verification.signatures
    # TT 01/2023 Điều 8: the person who digitised it signs, with their personal certificate.
    assert signature.field_name == DIGITISED_FIELD
    assert signature.signer_name == str(desk) == one.signature_signer
    assert one.signature_verdict == "valid"
    path = tmp_path / "ket-qua-so-hoa.pdf"
    path.write_bytes(signed)
    report = pdfsig(path, nss_db)
    assert "Signature Validation: Signature is Valid." in report
    assert "Certificate Validation: Certificate is Trusted." in report
    # The PNG scan was made a PDF first; the original scan is kept as it was.
    assert one.file.content_type == "image/png"
    assert one.signed_file.content_type == "application/pdf"
    events = list(dossier.events.filter(action="digitise").order_by("sequence"))
    assert [(e.data["document"], e.data["outcome"]) for e in events] == [
        (sh1, "verify"),
        (sh2, "verify"),
    ]
    assert all(e.from_status == e.to_status == "received" for e in events)
    assert "Đối chiếu bản chính, số hóa" in text  # on the timeline
    state = dossier_digitisation(dossier)
    assert state.status == DigitisationStatus.DONE
    statuses = {c.row.component_id: c.status for c in state.components}
    assert statuses[first] == statuses[second] == DigitisationStatus.DONE


def test_a_signature_that_cannot_be_made_leaves_the_document_pending(quang_ninh, settings):
    dossier, _first, _second = received_with_scans()
    settings.EGOV_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # nobody answers there
    code = f"{dossier.code}-SH2"
    with pytest.raises(ValidationError) as refused:
        dossier_digitise_verify(
            actor=user("tinh.tiepnhan"), dossier=dossier, papers=[PaperDetails(code=code)]
        )
    assert refused.value.messages == [
        f"Chưa ký số được kết quả số hóa {code} nên giấy tờ vẫn chờ đối chiếu: Không lấy được "
        "dấu thời gian từ dịch vụ cấp dấu thời gian."
    ]
    document = StoreDocument.objects.get(code=code)
    assert (document.state, document.signed_file, document.digitised_by) == ("pending", None, None)
    assert not dossier.events.filter(action="digitise").exists()
    settings.EGOV_SIGNING_TSA_URL = ""  # the TSA is back: the officer tries again
    (done,) = dossier_digitise_verify(
        actor=user("tinh.tiepnhan"), dossier=dossier, papers=[PaperDetails(code=code)]
    )
    assert done.state == "valid"


def test_a_scan_that_does_not_match_the_original_is_rejected_with_a_reason(quang_ninh):
    dossier, first, _second = received_with_scans()
    code = f"{dossier.code}-SH1"
    desk = user("tinh.tiepnhan")
    with pytest.raises(ValidationError) as no_reason:
        dossier_digitise_reject(actor=desk, dossier=dossier, code=code, reason=" ")
    assert no_reason.value.messages == ["Nêu lý do giấy tờ không khớp bản chính."]
    with pytest.raises(ValidationError) as not_desk:
        dossier_digitise_reject(
            actor=user("tinh.chuyenvien"), dossier=dossier, code=code, reason="Sai"
        )
    assert not_desk.value.messages == [
        "Chỉ bộ phận tiếp nhận hồ sơ mới được đối chiếu và ký số kết quả số hóa."
    ]
    rejected = dossier_digitise_reject(
        actor=desk, dossier=dossier, code=code, reason="Bản quét thiếu trang 2"
    )
    assert rejected.state == "rejected"
    event = dossier.events.get(action="digitise")
    assert event.data == {
        "document": code,
        "outcome": "reject",
        "title": rejected.title,
        "reason": "Bản quét thiếu trang 2",
    }
    statuses = {c.row.component_id: c.status for c in dossier_digitisation(dossier).components}
    assert statuses[first] == DigitisationStatus.NOT_STARTED  # to be scanned again
    with pytest.raises(ValidationError) as again:
        dossier_digitise_verify(actor=desk, dossier=dossier, papers=[PaperDetails(code=code)])
    assert again.value.messages == [f"Bản số hóa {code} không còn chờ đối chiếu bản chính."]


def test_online_uploads_become_pending_when_the_desk_receives_the_dossier(quang_ninh, client):
    account = citizen()
    draft = apply_online(client, account)
    client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/")
    dossier = Dossier.objects.get(owner=account)
    assert not StoreDocument.objects.exists()  # nothing before the desk receives it
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"), dossier=dossier, action="accept_online"
    )
    uploads = DossierFile.objects.filter(dossier=dossier, source=FileSource.UPLOAD)
    documents = StoreDocument.objects.filter(source_dossier_id=dossier.pk).order_by("code")
    assert sorted(d.file_id for d in documents) == sorted(u.file_id for u in uploads)
    assert {(d.source, d.state, d.owner_account) for d in documents} == {
        ("upload", "pending", account)
    }
    assert documents[0].code == f"{dossier.code}-SH1"
    state = dossier_digitisation(dossier)
    # TT 03/2025/TT-VPCP Điều 5 khoản 2: a dossier submitted online is not scanned.
    assert state.status == DigitisationStatus.NOT_REQUIRED
    assert state.label == "Không phải số hóa (nộp trực tuyến)"
    assert len(state.pending) == uploads.count()


def test_the_signed_e_result_enters_the_applicants_store(quang_ninh, client):
    account = citizen()
    draft = apply_online(client, account)
    client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/")
    desk = user("tinh.tiepnhan")
    dossier = dossier_transition(
        actor=desk, dossier=Dossier.objects.get(owner=account), action="accept_online"
    )
    dossier = dossier_transition(
        actor=desk, dossier=dossier, action="hand_off", data={"handling_unit": "qn.x.hong-gai.ubnd"}
    )
    approved = dossier_approve(
        actor=user("honggai.lanhdao"),
        dossier=dossier,
        result=io.BytesIO(make_pdf(text="GIẤY CHỨNG NHẬN")),
        result_name="kq.pdf",
    )
    result = DossierFile.objects.get(dossier=approved, source=FileSource.RESULT)
    document = StoreDocument.objects.get(code=approved.result_code)
    assert (document.source, document.state, document.owner_account) == ("result", "valid", account)
    assert document.file == document.signed_file == result.file
    assert (document.signature_verdict, document.signature_signer) == (
        "valid",
        result.signature_agency,
    )
    assert document.owner_identifier == "022084000123"
    assert list(document.events.values_list("action", flat=True)) == ["issue"]


def test_digitisation_through_the_staff_api(quang_ninh, client):
    dossier, _first, _second = received_with_scans()
    base = f"/api/v1/staff/dossiers/{dossier.code}/digitisation"
    key = make_key()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    status = client.get(base, **auth)
    assert status.status_code == 200 and status.json()["status"] == "in_progress"
    sh1, sh2 = f"{dossier.code}-SH1", f"{dossier.code}-SH2"
    assert [d["state"] for d in status.json()["documents"]] == ["pending", "pending"]

    outsider = make_key(unit="qn.x.hong-gai.ubnd", role="receptionist", name="hg")
    hidden = post(client, f"{base}/verify", outsider, {"documents": []})
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "dossier_not_found"
    unknown = post(client, f"{base}/verify", key, {"documents": [{"code": "KHONG-CO"}]})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "store_document_not_found"
    bad_dates = post(
        client,
        f"{base}/verify",
        key,
        {"documents": [{"code": sh1, "issued_on": "2026-02-01", "expires_on": "2026-01-01"}]},
    )
    assert bad_dates.status_code == 422
    assert bad_dates.json()["error"]["code"] == "digitisation_refused"

    rejected = post(client, f"{base}/reject", key, {"code": sh2, "reason": "Không khớp"})
    assert rejected.status_code == 200, rejected.content
    done = post(client, f"{base}/verify", key, {"documents": [{"code": sh1, "number": "7"}]})
    assert done.status_code == 200, done.content
    body = done.json()
    states = {d["code"]: (d["state"], d["number"]) for d in body["documents"]}
    assert states == {sh1: ("valid", "7"), sh2: ("rejected", "")}
    again = post(client, f"{base}/verify", key, {"documents": [{"code": sh1}]})
    assert again.status_code == 409 and again.json()["error"]["code"] == "state_conflict"
    nothing = post(client, f"{base}/verify", key, {})
    assert nothing.status_code == 422
    assert json.loads(nothing.content)["error"]["code"] == "digitisation_refused"


def test_the_page_shows_status_and_the_desk_rejects_from_it(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier, _first, _second = received_with_scans()
    client.force_login(user("tinh.tiepnhan"))
    url = f"/staff/ho-so/{dossier.code}/"
    assert "Tình trạng số hóa: Đang số hóa" in _text(client.get(url).content.decode())
    sh1 = f"{dossier.code}-SH1"
    empty = client.post(f"{url}doi-chieu/", {"reject": sh1, f"reason__{sh1}": ""}, follow=True)
    assert "Nêu lý do giấy tờ không khớp bản chính." in _text(empty.content.decode())
    page = client.post(
        f"{url}doi-chieu/", {"reject": sh1, f"reason__{sh1}": "Mờ, thiếu dấu"}, follow=True
    )
    assert f"Đã ghi nhận bản số hóa {sh1} không khớp bản chính." in _text(page.content.decode())
    bad = client.post(
        f"{url}doi-chieu/",
        {"only": f"{dossier.code}-SH2", f"issued_on__{dossier.code}-SH2": "31/12/2025"},
        follow=True,
    )
    assert f"Ngày cấp của {dossier.code}-SH2 không hợp lệ." in _text(bad.content.decode())
    # Staff of a unit that has nothing to do with the dossier do not even find it.
    client.force_login(user("tinh.chuyenvien"))
    assert client.post(f"{url}doi-chieu/", {"only": ""}).status_code == 404
    assert StoreDocument.objects.get(code=f"{dossier.code}-SH2").state == "pending"


def test_an_uploaded_scan_through_the_page_is_kept_pending(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    row = dossier.components.order_by("pk").first()
    client.force_login(user("tinh.tiepnhan"))
    client.post(
        f"/staff/ho-so/{dossier.code}/so-hoa/{row.pk}/",
        {"scan": SimpleUploadedFile("a.pdf", PDF)},
    )
    row.refresh_from_db()
    assert row.store_document.code == f"{dossier.code}-SH1"
    assert row.store_document.state == "pending"


def test_the_competent_units_specialist_sees_the_status_but_may_not_sign(quang_ninh, client):
    request = reception(PROVINCIAL)
    first = next(iter(request.components))
    request.scans = {first: (io.BytesIO(PDF), "to-khai.pdf")}
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=request)
    base = f"/api/v1/staff/dossiers/{dossier.code}/digitisation"
    key = make_key(unit="qn.so-tu-phap", role="specialist", name="cv")
    seen = client.get(base, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert seen.status_code == 200 and seen.json()["status"] == "in_progress"
    refused = post(client, f"{base}/verify", key, {"documents": []})
    assert refused.status_code == 403 and refused.json()["error"] == {
        "code": "forbidden",
        "message": "Chỉ bộ phận tiếp nhận hồ sơ mới được đối chiếu và ký số kết quả số hóa.",
        "details": [],
    }
    assert StoreDocument.objects.get(code=f"{dossier.code}-SH1").state == "pending"


def test_a_failure_after_some_signatures_says_which_were_signed(quang_ninh, settings):
    dossier, _first, _second = received_with_scans()
    sh1, sh2 = f"{dossier.code}-SH1", f"{dossier.code}-SH2"
    # SH2's stored file disappears from storage after SH1 is signed: its signature fails.
    document = StoreDocument.objects.get(code=sh2)
    from django.core.files.storage import storages

    storages["private"].delete(document.file.key)
    with pytest.raises(ValidationError) as refused:
        dossier_digitise_verify(
            actor=user("tinh.tiepnhan"),
            dossier=dossier,
            papers=[PaperDetails(code=sh1), PaperDetails(code=sh2)],
        )
    assert refused.value.messages == [
        f"Đã ký số kết quả số hóa: {sh1}. Chưa ký số được kết quả số hóa {sh2} nên giấy tờ vẫn "
        "chờ đối chiếu: không đọc được tệp đã lưu; hãy tải lại bản số hóa."
    ]
    assert StoreDocument.objects.get(code=sh1).state == "valid"
    assert StoreDocument.objects.get(code=sh2).state == "pending"


def test_the_desk_sees_recognition_and_fills_the_suggestions_only_when_asked(
    quang_ninh, client, settings
):
    from egov.datastore.models import OcrStatus

    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier, _first, _second = received_with_scans()
    document = StoreDocument.objects.get(code=f"{dossier.code}-SH1")
    StoreDocument.objects.filter(pk=document.pk).update(
        ocr_status=OcrStatus.DONE,
        ocr_progress=100,
        suggested_fields={"number": "022084000123", "valid_until": "2049-07-01"},
    )
    client.force_login(user("tinh.tiepnhan"))
    url = f"/staff/ho-so/{dossier.code}/"
    page = client.get(url).content.decode()
    assert "Nhận dạng chữ: Đã nhận dạng" in _text(page)
    assert 'data-field="number">022084000123</dd>' in page
    # Shown, not filled: the form starts empty until the officer asks for the suggestions.
    assert f'name="number__{document.code}" maxlength="100" value=""' in page
    assert f'name="expires_on__{document.code}" value=""' in page
    asked = client.get(url, {"goi_y": document.code}).content.decode()
    assert f'name="number__{document.code}" maxlength="100" value="022084000123"' in asked
    assert f'name="expires_on__{document.code}" value="2049-07-01"' in asked
    assert f'data-testid="prefilled-{document.code}"' in asked
    # The polled fragment: the desk gets it; a specialist of the unit and a paper no longer
    # waiting do not.
    fragment = f"/staff/ho-so/{dossier.code}/doi-chieu/{document.code}/nhan-dang/"
    answer = client.get(fragment)
    assert answer.status_code == 200
    assert 'data-status="done"' in answer.content.decode()
    assert (
        client.get(
            f"/staff/ho-so/{dossier.code}/doi-chieu/{dossier.code}-SH9/nhan-dang/"
        ).status_code
        == 404
    )
    client.force_login(user("tinh.chuyenvien"))
    assert client.get(fragment).status_code == 404
