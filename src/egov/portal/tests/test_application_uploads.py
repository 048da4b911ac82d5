"""Issue 13 point 4: step 2 of the online application never loses a chosen file and says what
went wrong next to the component — uploads on choose (htmx, one component's block back), a file
sent with “Tiếp tục” is kept, an oversized file is refused while it arrives (or from the
declared length before anything is read), required components missing are named at each one."""

import re
from io import BytesIO

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, encode_multipart

from egov.catalog.selectors import version_by_code
from egov.core.models import StoredFile
from egov.core.upload_limit import SizeCappedUploadHandler
from egov.portal.models import ApplicationDraft
from egov.portal.tests.test_online_application import PROCEDURE, citizen, pdf

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def block(html: str, component_pk: int) -> str:
    """The component's section in a page or fragment."""
    found = re.search(rf'<section[^>]*id="component-block-{component_pk}".*?</section>', html, re.S)
    assert found, f"no block for component {component_pk}"
    return found.group(0)


def error_box(html: str, component_pk: int) -> str:
    found = re.search(rf'<div id="error-{component_pk}"[^>]*>(.*?)</div>', html, re.S)
    assert found
    return found.group(1)


@pytest.fixture
def draft(quang_ninh, client):
    account = citizen()
    client.force_login(account)
    client.post(f"/thu-tuc/{PROCEDURE}/nop-truc-tuyen/")
    return ApplicationDraft.objects.get(owner=account, dossier=None)


def required_components():
    return list(version_by_code(PROCEDURE).components.filter(required=True).order_by("pk"))


def test_a_file_chosen_with_htmx_comes_back_in_its_component_block(client, draft):
    component = required_components()[0]
    url = f"/ho-so-nhap/{draft.pk}/giay-to/?component={component.pk}"
    answer = client.post(url, {f"files-{component.pk}": [pdf("to-khai.pdf")]}, headers=HTMX)
    assert answer.status_code == 200
    assert answer["X-Egov-Component"] == str(component.pk)
    html = answer.content.decode()
    assert html.lstrip().startswith("<section")  # the block only, not the page
    assert "to-khai.pdf" in block(html, component.pk)
    assert error_box(html, component.pk).strip() == ""
    item = draft.files.get()
    assert item.component == component and item.file.name == "to-khai.pdf"
    # Removing it answers with the block again, without the file.
    removed = client.post(url, {"remove": item.pk}, headers=HTMX)
    assert removed.status_code == 200 and "to-khai.pdf" not in removed.content.decode()
    assert not draft.files.exists()


def test_a_refused_file_is_named_next_to_its_component_not_at_the_top(client, draft):
    component = required_components()[0]
    url = f"/ho-so-nhap/{draft.pk}/giay-to/?component={component.pk}"

    def bad():
        return pdf("chuong-trinh.pdf", b"MZ this is a program")

    answer = client.post(url, {f"files-{component.pk}": [bad()]}, headers=HTMX)
    assert answer.status_code == 400
    assert answer["X-Egov-Component"] == str(component.pk)
    html = answer.content.decode()
    assert error_box(html, component.pk).strip() == (
        '<p class="errorlist">Tệp “chuong-trinh.pdf” không đúng định dạng cho phép '
        "(PDF, JPEG, PNG).</p>"
    )
    assert 'aria-describedby="upload-rules error-' in html and 'aria-invalid="true"' in html
    assert 'role="alert"' in html
    # Without JavaScript: the whole page, the error inside that component's section only.
    page = client.post(f"/ho-so-nhap/{draft.pk}/giay-to/", {f"files-{component.pk}": [bad()]})
    assert page.status_code == 400
    html = page.content.decode()
    assert "không đúng định dạng cho phép" in error_box(html, component.pk)
    assert 'class="messages"' not in html
    assert html.count("Tệp “chuong-trinh.pdf”") == 1
    assert not StoredFile.objects.exists()


def test_an_oversized_file_is_refused_while_it_arrives_with_the_exact_message(
    client, draft, settings
):
    settings.EGOV_UPLOAD_MAX_MB = 1
    first, second = required_components()[:2]
    # Not even a PDF: refused for its size while it arrives, before its content is looked at
    # (the content check would name the wrong type first).
    big = b"MZ" + b"0" * (1024 * 1024)
    answer = client.post(
        f"/ho-so-nhap/{draft.pk}/giay-to/",
        {f"files-{first.pk}": [pdf("ban-scan.pdf", big)], f"files-{second.pk}": [pdf()]},
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert error_box(html, first.pk).strip() == (
        '<p class="errorlist">Tệp “ban-scan.pdf” lớn hơn 1 MB.</p>'
    )
    assert error_box(html, second.pk).strip() == ""
    # The other component's file was kept; nothing of the large one was stored.
    assert [(f.component_id, f.file.name) for f in draft.files.all()] == [
        (second.pk, "giay-to.pdf")
    ]
    assert StoredFile.objects.count() == 1


class Receiving(FileUploadHandler):
    """Records the bytes Django would keep of each file (what a storing handler is given)."""

    def __init__(self):
        super().__init__()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


def test_the_capped_handler_stops_a_file_at_the_limit_and_keeps_the_others():
    limit = 256 * 1024
    body = encode_multipart(
        BOUNDARY,
        {
            "large": BytesIO(b"x" * (4 * limit)),
            "small": BytesIO(b"y" * 1000),
            "note": "giữ nguyên",
        },
    )
    capped = SizeCappedUploadHandler(limit=limit)
    receiving = Receiving()
    parser = MultiPartParser(
        {
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(len(body)),
        },
        BytesIO(body),
        [capped, receiving],
    )
    post, files = parser.parse()
    assert post["note"] == "giữ nguyên"
    assert [(r.field_name, r.file_name) for r in capped.refused] == [("large", "large")]
    assert "large" not in files
    # Of the large file nothing past the limit reached the storing handler.
    assert receiving.received <= limit + 1000


def test_a_declared_length_too_large_is_refused_before_the_body_is_read(client, draft, settings):
    settings.EGOV_UPLOAD_MAX_MB = 1  # one component's request: 5 files × 1 MB + 1 MB of fields
    component = required_components()[0]
    declared = 8 * 1024 * 1024  # under the request-size middleware's 11 MB
    answer = client.generic(
        "POST",
        f"/ho-so-nhap/{draft.pk}/giay-to/?component={component.pk}",
        data=b"--x--",  # the test client fails if more than these bytes were read
        content_type="multipart/form-data; boundary=x",
        headers=HTMX,
        CONTENT_LENGTH=str(declared),
    )
    assert answer.status_code == 413
    assert answer["X-Egov-Component"] == str(component.pk)
    assert error_box(answer.content.decode(), component.pk).strip() == (
        '<p class="errorlist">Dữ liệu gửi lên quá lớn: mỗi tệp tối đa 1 MB, '
        "mỗi thành phần tối đa 5 tệp.</p>"
    )


def test_a_file_sent_with_continue_is_kept_and_missing_components_are_named(client, draft):
    from egov.org.models import Unit

    centre = Unit.objects.get(key="qn.ttpvhcc")
    client.post(
        f"/ho-so-nhap/{draft.pk}/",
        dict(draft.applicant, receiving_unit=centre.pk, result_delivery="online"),
    )
    first, *others = required_components()
    url = f"/ho-so-nhap/{draft.pk}/giay-to/"
    page = client.post(url, {f"files-{first.pk}": [pdf("don.pdf")], "continue": "1"})
    # The file chosen without pressing “Tải lên” is stored, not dropped.
    assert [f.file.name for f in draft.files.filter(component=first)] == ["don.pdf"]
    if others:
        assert page.status_code == 400
        html = page.content.decode()
        assert error_box(html, first.pk).strip() == ""
        for component in others:
            assert error_box(html, component.pk).strip() == (
                '<p class="errorlist">Thành phần bắt buộc này chưa có tệp.</p>'
            )
        # The first component in error gets the focus (no script needed).
        assert re.search(rf'id="upload-{others[0].pk}"[^>]*autofocus', html)
        assert html.count("autofocus") == 1
        files = {f"files-{c.pk}": [pdf()] for c in others}
        page = client.post(url, {**files, "continue": "1"})
    assert page.status_code == 302 and page["Location"] == f"/ho-so-nhap/{draft.pk}/xem-lai/"


def test_upload_pressed_without_a_file_says_so_at_that_component(client, draft):
    component = required_components()[0]
    page = client.post(f"/ho-so-nhap/{draft.pk}/giay-to/", {"upload": component.pk})
    assert page.status_code == 400
    assert error_box(page.content.decode(), component.pk).strip() == (
        '<p class="errorlist">Cần chọn tệp để tải lên.</p>'
    )


def test_the_page_carries_the_servers_limit_and_wordings_for_the_browser(client, draft, settings):
    settings.EGOV_UPLOAD_MAX_MB = 3
    html = client.get(f"/ho-so-nhap/{draft.pk}/giay-to/").content.decode()
    assert f'data-max-bytes="{3 * 1024 * 1024}"' in html
    assert 'data-too-large="Tệp “{name}” lớn hơn 3 MB."' in html
    assert 'src="/static/egov/uploads.js"' in html
    for component in version_by_code(PROCEDURE).components.all():
        assert f'hx-post="/ho-so-nhap/{draft.pk}/giay-to/?component={component.pk}"' in html


def test_more_files_than_a_request_may_carry_is_said_at_the_component_not_a_400_page(
    client, draft, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    component = required_components()[0]
    answer = client.post(
        f"/ho-so-nhap/{draft.pk}/giay-to/?component={component.pk}",
        {f"files-{component.pk}": [pdf("1.pdf"), pdf("2.pdf"), pdf("3.pdf")]},
        headers=HTMX,
    )
    assert answer.status_code == 400 and answer["X-Egov-Component"] == str(component.pk)
    assert error_box(answer.content.decode(), component.pk).strip() == (
        '<p class="errorlist">Mỗi lần gửi tối đa 2 tệp; chưa tệp nào được lưu. '
        "Hãy chọn ít tệp hơn rồi gửi lại.</p>"
    )
    assert not StoredFile.objects.exists()


def test_the_csrf_check_still_guards_the_files_step(draft):
    """The view is csrf_exempt only so that the size-capped upload handler can be set before
    the body is parsed; the check runs right after (csrf_protect on the post)."""
    from django.test import Client

    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(draft.owner)
    component = required_components()[0]
    answer = guarded.post(
        f"/ho-so-nhap/{draft.pk}/giay-to/", {f"files-{component.pk}": [pdf("to-khai.pdf")]}
    )
    assert answer.status_code == 403
    assert not draft.files.exists()
