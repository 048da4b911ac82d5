"""Issue 13 point 4 in the browser: step 2 of the online application uploads a file as soon as
it is chosen and shows it in its component, refuses an oversized file before sending anything,
and stops “Tiếp tục: xem lại” while a chosen file has not been sent — each message next to its
component."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from egov.core.tests.scan_samples import document_pdf

pytestmark = pytest.mark.browser

# A real (born-digital, image-free) PDF: uploaded scans are read and checked for quality.
PDF = document_pdf()
PROCEDURE = "1.001612"


@pytest.fixture
def files_page(page, live_quang_ninh):
    """A signed-in citizen on step 2 of a fresh draft; returns (url, required components)."""
    from egov.accounts.models import User
    from egov.catalog.selectors import version_by_code
    from egov.portal.services import draft_start

    account = User.objects.create_user("an.nguyen", email="an.nguyen@example.vn")
    version = version_by_code(PROCEDURE)
    draft = draft_start(actor=account, version=version)
    client = Client()
    client.force_login(account)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    base = live_quang_ninh.url
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}]
    )
    url = f"{base}/ho-so-nhap/{draft.pk}/giay-to/"
    page.goto(url)
    return url, list(version.components.filter(required=True).order_by("pk"))


def test_a_chosen_file_is_uploaded_at_once_and_shown_in_its_component(page, files_page, tmp_path):
    url, components = files_page
    first = components[0]
    scan = tmp_path / "don-de-nghi.pdf"
    scan.write_bytes(PDF + b"%" * 2_000_000)  # large enough for the progress bar to show
    page.evaluate("window.notReloaded = true")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 400_000},
    )
    block = page.locator(f"#component-block-{first.pk}")
    block.get_by_label(f"Chọn tệp: {first.name}").set_input_files(str(scan))
    progress = block.get_by_role("progressbar", name=f"Tiến độ tải lên: {first.name}")
    expect(progress).to_be_visible()
    expect(block.get_by_role("status")).to_have_text("Đang tải lên…")
    expect(page.get_by_test_id(f"files-{first.pk}")).to_contain_text("don-de-nghi.pdf (1,9")
    expect(progress).to_be_hidden()
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no page load
    assert page.url == url
    expect(block.get_by_role("button", name="Xóa tệp don-de-nghi.pdf")).to_be_visible()
    # Removing it also happens in place.
    block.get_by_role("button", name="Xóa tệp don-de-nghi.pdf").click()
    expect(page.get_by_test_id(f"files-{first.pk}")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True


def test_an_oversized_file_is_refused_in_the_browser_without_a_request(
    page, files_page, tmp_path, settings
):
    settings.EGOV_UPLOAD_MAX_MB = 1
    page.reload()  # the page now carries the 1 MB limit
    _url, components = files_page
    first = components[0]
    posts = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    big = tmp_path / "ban-scan.pdf"
    big.write_bytes(PDF + b"0" * (1024 * 1024))
    field = page.get_by_label(f"Chọn tệp: {first.name}")
    field.set_input_files(str(big))
    error = page.get_by_test_id(f"error-{first.pk}")
    expect(error).to_have_text("Tệp “ban-scan.pdf” lớn hơn 1 MB.")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_js_property("value", "")  # taken out: not sent with another button
    assert posts == []
    # Another component's message area stays empty.
    expect(page.get_by_test_id(f"error-{components[1].pk}")).to_have_text("")
    # More files than a component takes (5) are refused the same way.
    small = []
    for n in range(6):
        path = tmp_path / f"trang-{n}.pdf"
        path.write_bytes(PDF)
        small.append(str(path))
    field.set_input_files(small)
    expect(error).to_have_text("Mỗi thành phần tối đa 5 tệp; hãy gộp các trang vào một tệp PDF.")
    assert posts == []


def test_continue_with_a_file_not_sent_is_stopped_at_its_component(page, files_page, tmp_path):
    url, components = files_page
    first = components[0]
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)
    # The connection drops: the upload fails and the file stays chosen, not sent.
    page.route("**/giay-to/?component=*", lambda route: route.abort())
    field = page.get_by_label(f"Chọn tệp: {first.name}")
    field.set_input_files(str(scan))
    error = page.get_by_test_id(f"error-{first.pk}")
    expect(error).to_contain_text("Chưa tải lên được tệp")
    page.get_by_role("button", name="Tiếp tục: xem lại").click()
    expect(error).to_have_text(
        "Tệp đã chọn cho thành phần này chưa được tải lên. Hãy chờ tải lên xong hoặc bấm “Tải lên”."
    )
    expect(field).to_be_focused()
    assert page.url == url
    # Once the connection is back, "Tải lên" sends it.
    page.unroute("**/giay-to/?component=*")
    page.locator(f"#component-block-{first.pk}").get_by_role("button", name="Tải lên").click()
    expect(page.get_by_test_id(f"files-{first.pk}")).to_contain_text("to-khai.pdf")
    expect(page.get_by_test_id(f"error-{first.pk}")).to_have_text("")


def test_continue_with_required_components_missing_names_each_and_focuses_the_first(
    page, files_page
):
    _url, components = files_page
    page.get_by_role("button", name="Tiếp tục: xem lại").click()
    for component in components:
        expect(page.get_by_test_id(f"error-{component.pk}")).to_have_text(
            "Thành phần bắt buộc này chưa có tệp."
        )
    expect(page.get_by_label(f"Chọn tệp: {components[0].name}")).to_be_focused()
    expect(page).to_have_title("Lỗi: Giấy tờ — " + django_settings.EGOV_SITE_NAME)


def test_a_file_the_server_refuses_is_named_in_its_component_in_place(page, files_page, tmp_path):
    _url, components = files_page
    first = components[0]
    fake = tmp_path / "hoa-don.pdf"  # named and typed as a PDF: only its bytes tell otherwise
    fake.write_bytes(b"MZ this is a program")
    page.evaluate("window.notReloaded = true")
    page.get_by_label(f"Chọn tệp: {first.name}").set_input_files(str(fake))
    expect(page.get_by_test_id(f"error-{first.pk}")).to_have_text(
        "Tệp “hoa-don.pdf” không đúng định dạng cho phép (PDF, JPEG, PNG)."
    )
    expect(page.get_by_label(f"Chọn tệp: {first.name}")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator(".messages")).to_have_count(0)  # nothing at the top of the page


def test_a_file_chosen_before_the_scripts_ran_is_still_uploaded(page, files_page, tmp_path):
    """On a slow connection the citizen can choose a file before htmx has loaded; it was then
    never sent (CI saw it once on a loaded machine). The scripts send it once they are ready."""
    url, components = files_page
    first = components[0]
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)
    held = []
    # htmx's download is held until the file is chosen.
    page.route("**/htmx*.js", lambda route: held.append(route))
    page.goto(url, wait_until="commit")
    page.get_by_label(f"Chọn tệp: {first.name}").set_input_files(str(scan))
    for _ in range(500):  # htmx's request reaches the route within 10 s
        if held:
            break
        page.wait_for_timeout(20)
    assert len(held) == 1
    assert page.evaluate("typeof window.htmx") == "undefined"
    held[0].continue_()
    expect(page.get_by_test_id(f"files-{first.pk}")).to_contain_text("to-khai.pdf")
    expect(page.get_by_test_id(f"files-{first.pk}").locator("li")).to_have_count(1)  # sent once
    expect(page.get_by_label(f"Chọn tệp: {first.name}")).to_have_value("")
