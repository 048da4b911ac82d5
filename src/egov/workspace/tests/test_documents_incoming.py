"""Văn bản đến pages: intake (signed, tampered, unsigned, paper, secret, bad số/ký hiệu),
registration with the duplicate warning, return, distribution, handling, the reply link, the
inbox's markers and pages, the file and the Phiếu giải quyết; outsiders get 404."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from egov.audit.models import AuditEntry
from egov.core.models import StoredFile
from egov.core.printing.official import pdf_text
from egov.core.tests.test_docx_conversion import draft, needs_soffice
from egov.core.uploads import open_private
from egov.documents.actions import OutgoingAction as A
from egov.documents.models import (
    Assignment,
    AssignmentStatus,
    IncomingDocument,
    IncomingStatus,
)
from egov.documents.services.incoming import AssigneeInput, incoming_distribute, incoming_register
from egov.documents.services.intake import incoming_receive_with_file
from egov.documents.tests import conftest as documents_conftest
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import issued
from egov.signing.services import sign_pdf
from egov.signing.tests.fixtures import make_pdf

pytestmark = pytest.mark.django_db

NEW = "/staff/van-ban-den/tiep-nhan/"
province = documents_conftest.province  # the documents app's small province (fixture)


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.EGOV_REQUIRE_STAFF_MFA = False


@pytest.fixture(scope="module")
def signed_pdf(signing_settings: None, signer_for: Any) -> bytes:
    return sign_pdf(make_pdf(text="CÔNG VĂN"), signer=signer_for("leader"), field_name="Sig")


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _form(province: Province, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": province.agency.pk,
        "source": "upload",
        "organ_name": "Bộ Nội vụ",
        "organ_id": "000.00.00.G22",
        "code": "123/BNV-VP",
        "issued_date": "2026-11-20",
        "subject": "Về việc báo cáo công tác văn thư năm 2026",
        "language": "Tiếng Việt",
        "page_amount": "1",
        "signer_position": "Chánh Văn phòng",
        "signer_full_name": "Nguyễn Văn Bình",
        "urgency": "normal",
        "confidentiality": "normal",
        "to_places": "UBND các tỉnh",
    }
    data.update(extra)
    return data


def _upload(data: bytes, name: str = "cong-van.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_signed_pdf_verdict_stored_and_shown(province, client, signed_pdf):
    page = _as(client, province.clerk).post(NEW, _form(province, file=_upload(signed_pdf)))
    document = IncomingDocument.objects.get()
    assert page.status_code == 302 and page.url == f"/staff/van-ban-den/{document.pk}/"
    verdict = document.signature_verdict
    assert (verdict["verdict"], verdict["message"]) == ("valid", "Chữ ký hợp lệ.")
    [signature] = verdict["signatures"]
    assert signature["verdict"] == "valid" and signature["signer"]
    assert signature["time"] is not None
    assert (document.code_number, document.code_notation) == ("123", "BNV-VP")
    assert document.file is not None and document.file.content_type == "application/pdf"
    shown = client.get(page.url).content.decode()
    assert 'data-testid="verdict" class="verdict-valid">Chữ ký hợp lệ.<' in shown
    assert signature["signer"] in shown


def test_tampered_and_unsigned_files_get_their_verdicts(province, client, signed_pdf):
    tampered = bytearray(signed_pdf)
    tampered[tampered.index(b"/Type /Page") + 2] ^= 0x01
    client = _as(client, province.clerk)
    client.post(NEW, _form(province, file=_upload(bytes(tampered))))
    client.post(NEW, _form(province, code="124/BNV-VP", file=_upload(make_pdf())))
    first, second = IncomingDocument.objects.order_by("pk")
    assert first.signature_verdict["verdict"] == "invalid"
    assert first.signature_verdict["signatures"][0]["verdict"] == "invalid"
    assert second.signature_verdict["verdict"] == "no_signature"
    assert second.signature_verdict["signatures"] == []
    assert (
        "Tài liệu không có chữ ký số."
        in client.get(f"/staff/van-ban-den/{second.pk}/").content.decode()
    )


def test_paper_entry_without_file(province, client):
    response = _as(client, province.clerk).post(NEW, _form(province, source="paper"))
    document = IncomingDocument.objects.get()
    assert response.status_code == 302
    assert (document.source, document.file, document.signature_verdict) == ("paper", None, {})


def test_bad_code_shows_the_problems_and_stores_nothing(province, client):
    response = _as(client, province.clerk).post(
        NEW, _form(province, code="5/bnv vp", file=_upload(make_pdf()))
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Số và ký hiệu văn bản không được có dấu cách." in text
    assert "Số nhỏ hơn 10 phải có số 0 ở trước (ví dụ 05)." in text
    assert not IncomingDocument.objects.exists() and not StoredFile.objects.exists()
    # Kept as printed on the sender's document when the clerk says so.
    _as(client, province.clerk).post(
        NEW, _form(province, code="5/BNV-VP", accept_code="on", source="paper")
    )
    assert IncomingDocument.objects.get().code_number == "05"


def test_unreadable_code_is_an_error(province, client):
    response = _as(client, province.clerk).post(NEW, _form(province, code="abc", source="paper"))
    assert "Thiếu dấu “/” giữa số và ký hiệu (ví dụ 05/QĐ-UBND)." in response.content.decode()
    assert not IncomingDocument.objects.exists()


def test_secret_document_file_refused_with_the_message(province, client):
    response = _as(client, province.clerk).post(
        NEW, _form(province, confidentiality="secret", file=_upload(make_pdf()))
    )
    assert response.status_code == 200
    assert "chỉ được quản lý thông tin trên hệ thống; không được tải tệp nội dung lên" in (
        response.content.decode()
    )
    assert not IncomingDocument.objects.exists() and not StoredFile.objects.exists()
    ok = client.post(NEW, _form(province, confidentiality="secret", source="paper"))
    assert ok.status_code == 302 and IncomingDocument.objects.get().is_secret


def test_not_a_pdf_refused(province, client):
    response = _as(client, province.clerk).post(
        NEW, _form(province, file=_upload(b"GIF89a....", "anh.gif"))
    )
    assert "không phải PDF hoặc DOCX" in response.content.decode()
    assert not StoredFile.objects.exists()


def test_only_clerks_receive(province, client):
    response = _as(client, province.specialist).get(NEW)
    assert response.status_code == 302 and response.url == "/staff/van-ban-den/"
    assert _as(Client(), province.clerk).get(NEW).status_code == 200


def _received(province: Province, **extra: Any) -> IncomingDocument:
    values: dict[str, Any] = {
        "source": "paper",
        "organ_name": "Bộ Nội vụ",
        "organ_id": "000.00.00.G22",
        "subject": "Về việc báo cáo công tác văn thư năm 2026",
        "code_number": "123",
        "code_notation": "BNV-VP",
        "issued_date": dt.date(2026, 11, 20),
    }
    values.update(extra)
    return incoming_receive_with_file(
        actor=province.clerk, agency=province.agency, data=None, **values
    )


def _act(client: Client, document: IncomingDocument, **data: Any) -> str:
    response = client.post(f"/staff/van-ban-den/{document.pk}/thao-tac/", data)
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_register_duplicate_warning_then_override(province, client):
    first = _received(province)
    incoming_register(actor=province.clerk, document=first)
    second = _received(province)
    page = _act(_as(client, province.clerk), second, action="register", revision=second.revision)
    assert 'data-testid="duplicates"' in page and f"/staff/van-ban-den/{first.pk}/" in page
    second.refresh_from_db()
    assert second.status == IncomingStatus.RECEIVED
    page = _act(client, second, action="register", reason="Bản gửi lại có phụ lục")
    second.refresh_from_db()
    assert (second.status, second.arrival_number) == (IncomingStatus.REGISTERED, 2)
    assert second.duplicate_override_reason == "Bản gửi lại có phụ lục"
    assert "Đã vào sổ văn bản đến, số đến 2." in page


def test_stale_revision_is_refused(province, client):
    document = _received(province)
    page = _act(_as(client, province.clerk), document, action="register", revision=7)
    assert "Văn bản vừa được người khác xử lý" in page
    document.refresh_from_db()
    assert document.status == IncomingStatus.RECEIVED


def test_return_to_sender_needs_a_reason(province, client):
    document = _received(province)
    page = _act(_as(client, province.clerk), document, action="return", reason="")
    assert "Cần ghi rõ lý do trả lại." in page
    _act(client, document, action="return", reason="Gửi nhầm cơ quan")
    document.refresh_from_db()
    assert document.status == IncomingStatus.RETURNED
    assert document.events.last().reason == "Gửi nhầm cơ quan"


def test_distribute_page(province, client):
    document = _received(province)
    incoming_register(actor=province.clerk, document=document)
    url = f"/staff/van-ban-den/{document.pk}/phan-phoi/"
    assert _as(client, province.clerk).get(url).status_code == 302
    client = _as(Client(), province.leader)
    assert "Đơn vị chủ trì" in client.get(url).content.decode()
    refused = client.post(url, {"instructions": "x", "revision": document.revision})
    assert "Chọn đơn vị hoặc người chủ trì." in refused.content.decode()
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        done = client.post(
            url,
            {
                "instructions": "Giao Phòng VX chủ trì tham mưu",
                "lead_unit": province.vx.pk,
                "lead_person": province.specialist.pk,
                "lead_days": "5",
                "cooperating_units": [province.office.pk],
                "cooperating_days": "3",
                "revision": document.revision,
            },
        )
    assert done.status_code == 302
    rows = {a.role: a for a in Assignment.objects.all()}
    assert rows["lead"].person == province.specialist and rows["lead"].unit == province.vx
    assert rows["cooperate"].unit == province.office
    assert rows["lead"].instructions == "Giao Phòng VX chủ trì tham mưu"
    assert rows["lead"].due_at is not None and rows["cooperate"].due_at < rows["lead"].due_at
    document.refresh_from_db()
    assert document.status == IncomingStatus.DISTRIBUTED


def test_a_secret_document_is_offered_and_given_to_leaders_only(province, client):
    document = _received(province, confidentiality="top_secret")
    incoming_register(actor=province.clerk, document=document)
    url = f"/staff/van-ban-den/{document.pk}/phan-phoi/"
    client = _as(client, province.leader)
    page = client.get(url)
    people = dict(page.context["form"].fields["lead_person"].choices)
    assert set(people) == {"", province.leader.pk, province.vx_leader.pk}
    assert 'data-testid="secret-assignees"' in page.content.decode()
    # A unit without a leader (the office) is refused with the reason; nothing is saved.
    refused = client.post(
        url, {"lead_unit": province.office.pk, "lead_days": "5", "revision": document.revision}
    )
    assert (
        "Không giao được văn bản mật cho “Văn phòng UBND tỉnh Thử”: đơn vị chưa có lãnh đạo "
        "để nhận văn bản mật."
    ) in refused.content.decode()
    assert not Assignment.objects.exists()
    done = client.post(
        url,
        {
            "lead_unit": province.vx.pk,
            "lead_person": province.vx_leader.pk,
            "revision": document.revision,
        },
    )
    assert done.status_code == 302
    assert Assignment.objects.get().person == province.vx_leader


def _distributed(province: Province, days: int | None = 5) -> IncomingDocument:
    document = _received(province)
    incoming_register(actor=province.clerk, document=document)
    incoming_distribute(
        actor=province.leader,
        document=document,
        lead=AssigneeInput(unit=province.vx, person=province.specialist, working_days=days),
        instructions="Giao Phòng VX",
    )
    document.refresh_from_db()
    return document


def test_handle_complete_and_link_reply(province, client):
    document = _distributed(province)
    lead = document.assignments.get()
    client = _as(client, province.specialist)
    assert "Bắt đầu xử lý" in client.get(f"/staff/van-ban-den/{document.pk}/").content.decode()
    _act(client, document, action="start", assignment=lead.pk)
    _act(client, document, action="complete", assignment=lead.pk, reason="Đã dự thảo trả lời")
    lead.refresh_from_db()
    assert (lead.status, lead.note) == (AssignmentStatus.DONE, "Đã dự thảo trả lời")
    # The reply is linked once it has its number (registered).
    reply = issued(province, subject="Về việc báo cáo công tác văn thư", until=A.REGISTER)
    page = _act(client, document, action="link_reply", reply=reply.pk)
    assert "Đã gắn văn bản trả lời." in page
    document.refresh_from_db()
    assert document.reply == reply and document.status == IncomingStatus.COMPLETED
    # The Phiếu giải quyết carries the steps from the event rows.
    sheet = client.get(f"/staff/van-ban-den/{document.pk}/phieu-giai-quyet.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.content)).pages)
    assert "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN" in text
    assert "Bút phê: Giao Phòng VX" in text and "Hoàn thành: Đã dự thảo trả lời" in text


def test_someone_else_cannot_start(province, client):
    document = _distributed(province)
    lead = document.assignments.get()
    page = _act(_as(client, province.vx_leader), document, action="start", assignment=lead.pk)
    assert "Văn bản không được giao cho bạn xử lý." in page
    assert "Thao tác không tồn tại." in _act(client, document, action="fly")


def test_outsider_gets_404_everywhere(province, client):
    document = _distributed(province)
    client = _as(client, province.outsider)
    for url in [
        f"/staff/van-ban-den/{document.pk}/",
        f"/staff/van-ban-den/{document.pk}/phan-phoi/",
        f"/staff/van-ban-den/{document.pk}/tep/",
        f"/staff/van-ban-den/{document.pk}/phieu-giai-quyet.pdf",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/staff/van-ban-den/{document.pk}/thao-tac/", {}).status_code == 404
    assert str(document.subject) not in client.get("/staff/van-ban-den/").content.decode()


def test_file_view_and_download_are_audited(province, client, signed_pdf):
    document = incoming_receive_with_file(
        actor=province.clerk,
        agency=province.agency,
        data=signed_pdf,
        original_name="cong-van.pdf",
        source="upload",
        organ_name="Bộ Nội vụ",
        subject="Công văn",
    )
    client = _as(client, province.clerk)
    shown = client.get(f"/staff/van-ban-den/{document.pk}/tep/?xem=1")
    assert shown["Content-Disposition"].startswith("inline")
    assert b"".join(shown.streaming_content) == signed_pdf
    got = client.get(f"/staff/van-ban-den/{document.pk}/tep/")
    assert got["Content-Disposition"].startswith("attachment")
    client.get(f"/staff/van-ban-den/{document.pk}/")
    actions = list(
        AuditEntry.objects.filter(action__startswith="document.in.").values_list(
            "action", flat=True
        )
    )
    assert actions.count("document.in.view") == 2 and actions.count("document.in.download") == 1


def test_inbox_markers_first_mine_and_pages(province, client, settings):
    with time_machine.travel(dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        late = _distributed(province, days=1)
        others = [_received(province, code_number=str(200 + i)) for i in range(3)]
        urgent = _received(province, code_number="300", urgency="flash")
    with time_machine.travel(dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC), tick=False):
        client = _as(client, province.specialist)
        page = client.get("/staff/van-ban-den/").content.decode()
        assert f"/staff/van-ban-den/{late.pk}/" in page and "Quá hạn</strong>" in page
        # Not yet distributed: the specialist does not see the others.
        assert f"/staff/van-ban-den/{urgent.pk}/" not in page
        clerk = _as(Client(), province.clerk)
        clerk_page = clerk.get("/staff/van-ban-den/").content.decode()
        assert 'data-testid="urgency">HỎA TỐC</strong>' in clerk_page
        # The clerk follows the overdue list too, with the marker of the lead's deadline.
        clerk_overdue = clerk.get("/staff/van-ban-den/?qua-han=1").content.decode()
        assert f"/staff/van-ban-den/{late.pk}/" in clerk_overdue
        assert "Quá hạn</strong>" in clerk_overdue
        assert f"/staff/van-ban-den/{urgent.pk}/" not in clerk_overdue
        overdue = client.get("/staff/van-ban-den/?qua-han=1").content.decode()
        assert f"/staff/van-ban-den/{late.pk}/" in overdue
        assert f"/staff/van-ban-den/{others[0].pk}/" not in overdue
    from egov.documents.inbox import incoming_inbox

    first = incoming_inbox(province.clerk, limit=2)
    assert [r.document.pk for r in first.rows] == [urgent.pk, others[2].pk]
    from egov.documents.inbox import parse_cursor

    second = incoming_inbox(province.clerk, limit=2, after=parse_cursor(first.next_cursor))
    assert [r.document.pk for r in second.rows] == [others[1].pk, others[0].pk]
    third = incoming_inbox(province.clerk, limit=2, after=parse_cursor(second.next_cursor))
    assert [r.document.pk for r in third.rows] == [late.pk] and third.next_cursor == ""
    assert client.get("/staff/van-ban-den/?sau=zzz").status_code == 200


def _docx() -> bytes:
    return draft("Ủy ban nhân dân phường đề nghị báo cáo công tác văn thư.")


def test_docx_without_libreoffice_is_a_clear_message(province, client, monkeypatch):
    monkeypatch.setenv("EGOV_SOFFICE", "/nonexistent/soffice")
    response = _as(client, province.clerk).post(
        NEW, _form(province, file=_upload(_docx(), "cong-van.docx"))
    )
    assert "Máy chủ chưa cài LibreOffice nên chưa chuyển được tệp DOCX" in (
        response.content.decode()
    )
    assert not IncomingDocument.objects.exists() and not StoredFile.objects.exists()


@needs_soffice
def test_docx_converted_to_pdf(province, client):
    response = _as(client, province.clerk).post(
        NEW, _form(province, file=_upload(_docx(), "cong-van.docx"))
    )
    assert response.status_code == 302
    document = IncomingDocument.objects.get()
    assert document.file is not None
    assert (document.file.name, document.file.content_type) == ("cong-van.pdf", "application/pdf")
    assert document.signature_verdict["verdict"] == "no_signature"
    with open_private(document.file.key) as stored:
        assert "đề nghị báo cáo công tác văn thư" in " ".join(pdf_text(stored.read()))


def test_inbox_puts_the_actors_open_assignments_first(province, client):
    older = _received(province, code_number="401")
    incoming_register(actor=province.clerk, document=older)
    incoming_distribute(
        actor=province.leader, document=older, lead=AssigneeInput(person=province.clerk)
    )
    newer = [_received(province, code_number=str(402 + i)) for i in range(2)]
    page = _as(client, province.clerk).get("/staff/van-ban-den/").content.decode()
    links = [page.index(f"/staff/van-ban-den/{d.pk}/") for d in (older, newer[1], newer[0])]
    assert links == sorted(links)
    mine = client.get("/staff/van-ban-den/?cua-toi=1").content.decode()
    assert f"/staff/van-ban-den/{older.pk}/" in mine
    assert f"/staff/van-ban-den/{newer[0].pk}/" not in mine


def test_inbox_queries_do_not_grow_with_the_rows(province, client, django_assert_max_num_queries):
    for index in range(30):
        document = _received(province, code_number=str(500 + index), urgency="urgent")
        incoming_register(actor=province.clerk, document=document)
        incoming_distribute(
            actor=province.leader,
            document=document,
            lead=AssigneeInput(person=province.clerk, working_days=2),
        )
    client = _as(client, province.clerk)
    with django_assert_max_num_queries(14):
        page = client.get("/staff/van-ban-den/").content.decode()
    assert page.count('data-testid="urgency"') == 30


def test_too_large_file_refused_before_anything_runs(province, client, settings):
    settings.EGOV_UPLOAD_MAX_MB = 1
    big = make_pdf() + b"%" * (1024 * 1024)
    response = _as(client, province.clerk).post(NEW, _form(province, file=_upload(big)))
    assert "lớn hơn 1 MB" in response.content.decode()
    assert not StoredFile.objects.exists()
