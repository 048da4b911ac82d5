"""Văn bản đi pages: the list, the composer and upload forms, the document's page with its
actions, the signing queue (one and several, one failure not stopping the others), the
văn thư's numbering and release screen, refusals and stale forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.accounts.models import Role, RoleAssignment, User
from egov.audit.models import AuditEntry
from egov.core.printing.official import pdf_text
from egov.core.tests.test_docx_conversion import draft as docx_draft
from egov.core.uploads import open_private
from egov.documents.models import IncomingDocument, OutgoingDocument, OutgoingStatus, VersionKind
from egov.documents.selectors import document_type
from egov.documents.services.outgoing import outgoing_transition
from egov.documents.tests.conftest import Province
from egov.documents.tests.test_outgoing_signing import compose_draft, to_approval
from egov.signing.tests.fixtures import make_pdf

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.usefixtures("signing_settings")


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


def flashes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def compose_post(province: Province, **extra: str) -> dict[str, object]:
    kind = document_type(None, "cong-van")
    assert kind is not None
    data: dict[str, object] = {
        "drafting_unit": province.vx.pk,
        "document_type": kind.pk,
        "subject": "Về việc chuẩn bị Tết Nguyên đán",
        "signer": province.leader.pk,
        "urgency": "urgent",
        "confidentiality": "normal",
        "internal": [province.other.pk],
        "external": "Công ty ABC <vanthu@abc.example.vn>",
        "addressees": "Sở Nội vụ tỉnh Thử",
        "body": "Đoạn thứ nhất.\n\nĐoạn thứ hai.",
        "signer_position": "Phó Chủ tịch",
        "delegation": "KT.",
        "on_behalf_of": "Chủ tịch",
        "recipient_lines": "Như trên;",
    }
    data.update(extra)
    return data


def test_specialist_composes_a_draft(province: Province, client: Client) -> None:
    as_user(client, province.specialist)
    assert client.get("/staff/van-ban-di/soan-thao/").status_code == 200
    response = client.post("/staff/van-ban-di/soan-thao/", compose_post(province))
    document = OutgoingDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/van-ban-di/{document.pk}/"
    assert (document.subject, document.status, document.urgency) == (
        "Về việc chuẩn bị Tết Nguyên đán",
        OutgoingStatus.DRAFT,
        "urgent",
    )
    assert sorted(document.recipients.values_list("name", "email")) == [
        ("Công ty ABC", "vanthu@abc.example.vn"),
        ("Sở Nội vụ tỉnh Thử", ""),
    ]
    page = client.get(f"/staff/van-ban-di/{document.pk}/").content.decode()
    assert "Trình lãnh đạo đơn vị duyệt" in page
    assert "Bản 1: Dự thảo" in page
    assert "Ngô Minh Chi: Tạo dự thảo</li>" in page  # the history, labelled
    listing = client.get("/staff/van-ban-di/").content.decode()
    assert "Về việc chuẩn bị Tết Nguyên đán" in listing and "Khẩn" in listing


def test_compose_refuses_bad_input_with_messages(province: Province, client: Client) -> None:
    as_user(client, province.specialist)
    page = client.post(
        "/staff/van-ban-di/soan-thao/",
        compose_post(
            province, external="ABC <không-phải-thư>", body="", delegation="TM.", on_behalf_of=""
        ),
    ).content.decode()
    assert "không hợp lệ" in page
    assert "Cần nhập nội dung văn bản." in page
    assert "cần ghi dòng thẩm quyền" in page
    assert OutgoingDocument.objects.count() == 0


def test_who_may_not_draft_gets_403(province: Province, client: Client) -> None:
    desk = User.objects.create_user(username="t.desk", full_name="Bàn Một Cửa")
    RoleAssignment.objects.create(user=desk, unit=province.agency, role=Role.RECEPTIONIST)
    as_user(client, desk)  # staff, but no drafting role anywhere
    assert client.get("/staff/van-ban-di/soan-thao/").status_code == 403
    assert client.get("/staff/van-ban-di/tai-len/").status_code == 403


def upload_post(
    client: Client, province: Province, subject: str, file: SimpleUploadedFile
) -> Response:
    """The upload page's form sent with a tờ trình of the VX division for the leader."""
    kind = document_type(None, "to-trinh")
    assert kind is not None
    return client.post(
        "/staff/van-ban-di/tai-len/",
        {
            "drafting_unit": province.vx.pk,
            "document_type": kind.pk,
            "subject": subject,
            "signer": province.leader.pk,
            "urgency": "normal",
            "confidentiality": "normal",
            "file": file,
        },
    )


def test_upload_pdf_kept_as_is(province: Province, client: Client) -> None:
    as_user(client, province.specialist)
    pdf = make_pdf(2)
    response = upload_post(
        client,
        province,
        "Tờ trình kinh phí",
        SimpleUploadedFile("to-trinh.pdf", pdf, "application/pdf"),
    )
    assert response.status_code == 302
    document = OutgoingDocument.objects.get()
    version = document.versions.get()
    assert (version.kind, version.file.size, document.page_amount) == (
        VersionKind.DRAFT,
        len(pdf),
        2,
    )


def test_upload_of_another_type_is_refused(province: Province, client: Client) -> None:
    as_user(client, province.specialist)
    page = upload_post(
        client,
        province,
        "Tờ trình",
        SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\nxx", "image/png"),
    )
    assert page.status_code == 200
    assert "không phải PDF hoặc DOCX" in page.content.decode()


def _upload_docx(client: Client, province: Province) -> str:
    response = upload_post(
        client,
        province,
        "Tờ trình từ tệp Word",
        SimpleUploadedFile("du-thao.docx", docx_draft()),
    )
    return response.content.decode() if response.status_code == 200 else response["Location"]


def test_docx_without_libreoffice_says_so(
    province: Province, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOV_SOFFICE", "/nonexistent/soffice")
    as_user(client, province.specialist)
    page = _upload_docx(client, province)
    assert (
        "Máy chủ chưa cài LibreOffice nên chưa chuyển được tệp DOCX; hãy tải lên bản PDF." in page
    )
    assert OutgoingDocument.objects.count() == 0


def test_docx_is_converted_to_pdf(province: Province, client: Client) -> None:
    as_user(client, province.specialist)
    location = _upload_docx(client, province)
    document = OutgoingDocument.objects.get()
    assert location == f"/staff/van-ban-di/{document.pk}/"
    version = document.versions.get()
    assert (version.file.content_type, version.file.name) == ("application/pdf", "du-thao.pdf")
    with open_private(version.file.key) as stream:
        assert any("TỜ TRÌNH" in page for page in pdf_text(stream.read()))


def test_whole_flow_through_the_pages(province: Province, client: Client) -> None:
    document = compose_draft(province)

    def act(user, action: str, **extra: str):
        as_user(client, user)
        fresh = OutgoingDocument.objects.get(pk=document.pk)
        return client.post(
            f"/staff/van-ban-di/{document.pk}/thao-tac/",
            {"action": action, "revision": fresh.revision, **extra},
        )

    act(province.specialist, "submit")
    act(province.vx_leader, "approve_content")
    act(province.clerk, "approve_format")
    # The leader's queue: sign with the printed delegation.
    as_user(client, province.leader)
    queue = client.get("/staff/van-ban-di/cho-ky/").content.decode()
    assert "Về việc tổ chức Tết Nguyên đán" in queue
    fresh = OutgoingDocument.objects.get(pk=document.pk)
    response = client.post(
        "/staff/van-ban-di/cho-ky/",
        {"document": [fresh.pk], f"revision-{fresh.pk}": fresh.revision, "delegation": "KT."},
    )
    assert flashes(response) == ["Về việc tổ chức Tết Nguyên đán: Đã ký số."]
    # The văn thư's screen: number and counter-sign, then issue.
    as_user(client, province.clerk)
    release = client.get("/staff/van-ban-di/cap-so/").content.decode()
    assert 'data-action="register"' in release
    response = act(province.clerk, "register", back="release")
    assert response["Location"] == "/staff/van-ban-di/cap-so/"
    assert flashes(response) == ["Đã cấp số 01/QĐ-UBND và ký số của cơ quan."]
    response = act(province.clerk, "issue")
    assert OutgoingDocument.objects.get(pk=document.pk).status == OutgoingStatus.ISSUED
    assert IncomingDocument.objects.filter(source_outgoing=document, agency=province.other).exists()
    page = client.get(f"/staff/van-ban-di/{document.pk}/").content.decode()
    assert "Bản 3: Bản đã ký số của cơ quan" in page
    final = client.get(f"/staff/van-ban-di/{document.pk}/ban/3/")
    body = b"".join(final.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"%PDF") and final["Content-Disposition"].startswith("attachment")
    shown = client.get(f"/staff/van-ban-di/{document.pk}/ban/3/?xem=1")
    assert shown["Content-Disposition"].startswith("inline")
    actions = set(
        AuditEntry.objects.filter(action__startswith="document.out.").values_list(
            "action", flat=True
        )
    )
    assert {"document.out.view", "document.out.download"} <= actions


def test_return_needs_a_reason_and_stale_form_is_told(province: Province, client: Client) -> None:
    document = to_approval(province, compose_draft(province))
    as_user(client, province.leader)
    url = f"/staff/van-ban-di/{document.pk}/thao-tac/"
    response = client.post(url, {"action": "return", "revision": document.revision, "reason": " "})
    assert flashes(response) == ["Cần ghi rõ ý kiến, lý do."]
    response = client.post(
        url, {"action": "return", "revision": document.revision - 1, "reason": "Sửa lại"}
    )
    assert "vừa được người khác xử lý" in flashes(response)[-1]
    response = client.post(
        url, {"action": "return", "revision": document.revision, "reason": "Sửa đoạn 2"}
    )
    fresh = OutgoingDocument.objects.get(pk=document.pk)
    assert fresh.status == OutgoingStatus.DRAFT
    assert [e.reason for e in fresh.events.all()][-1] == "Sửa đoạn 2"


def test_actions_not_allowed_are_refused(province: Province, client: Client) -> None:
    document = compose_draft(province)
    as_user(client, province.clerk)
    page = client.get(f"/staff/van-ban-di/{document.pk}/").content.decode()
    assert 'data-action="submit"' not in page
    response = client.post(
        f"/staff/van-ban-di/{document.pk}/thao-tac/",
        {"action": "approve_format", "revision": document.revision},
    )
    assert "Không thể" in flashes(response)[-1]
    response = client.post(
        f"/staff/van-ban-di/{document.pk}/thao-tac/", {"action": "nonsense", "revision": "x"}
    )
    assert flashes(response)[-1] == "Thiếu phiên bản của văn bản; vui lòng tải lại trang."
    assert OutgoingDocument.objects.get(pk=document.pk).status == OutgoingStatus.DRAFT


def test_outsider_gets_404(province: Province, client: Client) -> None:
    document = compose_draft(province)
    as_user(client, province.outsider)
    for url in (
        f"/staff/van-ban-di/{document.pk}/",
        f"/staff/van-ban-di/{document.pk}/ban/1/",
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        f"/staff/van-ban-di/{document.pk}/thao-tac/", {"action": "submit", "revision": 0}
    )
    assert response.status_code == 404
    assert "Về việc" not in client.get("/staff/van-ban-di/").content.decode()


def test_batch_sign_reports_each_and_keeps_the_others(province: Province, client: Client) -> None:
    first = to_approval(province, compose_draft(province, subject="Văn bản một"))
    second = to_approval(province, compose_draft(province, subject="Văn bản hai"))
    as_user(client, province.leader)
    response = client.post(
        "/staff/van-ban-di/cho-ky/",
        {
            "document": [first.pk, second.pk],
            f"revision-{first.pk}": first.revision + 5,  # a stale form for this one
            f"revision-{second.pk}": second.revision,
            "delegation": "nhu-du-thao",  # as printed on each draft (KT.)
        },
    )
    assert flashes(response) == [
        "Văn bản một: Văn bản vừa được người khác xử lý. Vui lòng tải lại trang để xem trạng "
        "thái mới.",
        "Văn bản hai: Đã ký số.",
    ]
    assert OutgoingDocument.objects.get(pk=first.pk).status == OutgoingStatus.APPROVAL
    assert OutgoingDocument.objects.get(pk=second.pk).status == OutgoingStatus.SIGNED
    assert OutgoingDocument.objects.get(pk=second.pk).delegation == "KT."
    response = client.post("/staff/van-ban-di/cho-ky/", {"delegation": "KT."})
    assert flashes(response)[-1:] == ["Hãy chọn ít nhất một văn bản để ký."]


def test_list_pages_by_keyset(province: Province, client: Client) -> None:
    for index in range(3):
        compose_draft(province, subject=f"Văn bản số {index}")
    from egov.documents import selectors_outgoing

    as_user(client, province.specialist)
    page = selectors_outgoing.outgoing_page(province.specialist, limit=2)
    assert [d.subject for d in page.rows] == ["Văn bản số 2", "Văn bản số 1"]
    rest = client.get("/staff/van-ban-di/", {"truoc": str(page.next_before)}).content.decode()
    assert "Văn bản số 0" in rest and "Văn bản số 2" not in rest
    assert client.get("/staff/van-ban-di/", {"truoc": "abc", "trang-thai": "x"}).status_code == 200


def test_drafter_uploads_a_new_version_after_a_return(province: Province, client: Client) -> None:
    document = to_approval(province, compose_draft(province))
    document = outgoing_transition(
        actor=province.leader, document=document, action="return", reason="Sửa Điều 2"
    )
    as_user(client, province.specialist)
    page = client.get(f"/staff/van-ban-di/{document.pk}/").content.decode()
    assert "Sửa Điều 2" in page and "Tải lên bản mới" in page
    response = client.post(
        f"/staff/van-ban-di/{document.pk}/phien-ban/",
        {"file": SimpleUploadedFile("ban-sua.pdf", make_pdf(1)), "note": "Đã sửa Điều 2"},
    )
    assert flashes(response)[-1] == "Đã cập nhật dự thảo (bản 2)."
    assert [v.kind for v in document.versions.order_by("number")] == ["draft", "draft"]
    # Not the drafter, or not a draft any more: refused.
    as_user(client, province.clerk)
    response = client.post(
        f"/staff/van-ban-di/{document.pk}/phien-ban/",
        {"file": SimpleUploadedFile("x.pdf", make_pdf(1))},
    )
    assert flashes(response)[-1] == (
        "Chỉ người soạn thảo cập nhật dự thảo khi văn bản đang là dự thảo."
    )
    assert document.versions.count() == 2
