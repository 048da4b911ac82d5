import io
import re

import pytest
from docx import Document

from egov.catalog.selectors import version_by_code

pytestmark = pytest.mark.django_db


def test_home_has_search_and_fields(catalog, client):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and "Thủ tục theo lĩnh vực" in html
    assert "Chứng thực" in html and "/thu-tuc/?linh_vuc=chung-thuc" in html


def test_search_page_finds_without_diacritics(catalog, client):
    html = client.get("/thu-tuc/", {"q": "dang ky ho kinh doanh"}).content.decode()
    results = re.findall(r'<h2 class="result-title"><a href="([^"]+)">([^<]+)</a>', html)
    # Both household-business procedures first, best match on top.
    assert results[:2] == [
        ("/thu-tuc/1.001612/", "Đăng ký thành lập hộ kinh doanh"),
        ("/thu-tuc/2.000575/", "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh"),
    ]
    assert '<option value="qn.ttpvhcc"' in html  # "where to submit" filter lists real units
    assert '<option value="qn.so-tu-phap"' not in html  # no longer receives lý lịch tư pháp
    filtered = client.get("/thu-tuc/", {"q": "ho kinh doanh", "don_vi": "qn.ttpvhcc"})
    assert "Đăng ký thành lập hộ kinh doanh" in filtered.content.decode()


def test_search_page_counts_matches_and_says_when_none_holds_every_word(catalog, client):
    def titles(html):
        return re.findall(r'<h2 class="result-title"><a href="[^"]+">([^<]+)</a>', html)

    html = client.get("/thu-tuc/", {"q": "dang ky ket hon"}).content.decode()
    assert "<strong>3 thủ tục</strong> khớp với “dang ky ket hon”" in html
    assert titles(html) == [
        "Đăng ký kết hôn",
        "Đăng ký lại kết hôn",
        "Đăng ký kết hôn có yếu tố nước ngoài",
    ]
    # No passport procedure in the catalog (the passport is the police's, not the province's).
    html = client.get("/thu-tuc/", {"q": "ho chieu"}).content.decode()
    assert "Không có thủ tục nào khớp với “ho chieu”." in html
    assert titles(html) == [] and 'data-testid="near"' not in html
    html = client.get("/thu-tuc/", {"q": "dang ky ho kinh doanh ca the"}).content.decode()
    assert "Không có thủ tục nào khớp với “dang ky ho kinh doanh ca the”." in html
    assert html.index("Thủ tục chứa phần lớn các từ đã gõ") < html.index('data-testid="near"')
    assert titles(html) == [
        "Đăng ký thành lập hộ kinh doanh",
        "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",
    ]
    html = client.get("/thu-tuc/").content.decode()
    assert "<strong>31 thủ tục</strong></p>" in html
    html = client.get("/thu-tuc/", {"q": "1.001612"}).content.decode()
    assert "<strong>1 thủ tục</strong> khớp với “1.001612”" in html


def test_count_text_past_the_cap():
    from egov.portal.views import _count_text

    assert _count_text(12, False) == "12 thủ tục"
    assert _count_text(1001, True) == "Hơn 1.000 thủ tục"


def test_search_page_htmx_returns_the_results_fragment(catalog, client):
    response = client.get("/thu-tuc/", {"q": "khai sinh"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "Đăng ký khai sinh" in html


def test_bad_search_input_gets_a_message_not_an_error(catalog, client):
    response = client.get("/thu-tuc/", {"trang": "abc", "cap": "vu-tru", "q": "x" * 300})
    html = response.content.decode()
    assert response.status_code == 200
    assert "không hợp lệ và đã được bỏ qua" in html


def test_detail_page_shows_fee_time_components_and_forms(
    catalog, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get("/thu-tuc/2.000815/")
    html = response.content.decode()
    assert "Chứng thực bản sao từ bản chính giấy tờ, văn bản" in html
    assert "2.000815.000.00.00.H49" in html
    assert "2.000 đ/trang cho 2 trang đầu, từ trang 3: 1.000 đ/trang, tối đa 200.000 đ/bản" in html
    assert "Ví dụ: bản 5 trang" in html
    assert "nhận sau 15:00 trả vào ngày làm việc tiếp theo" in html
    # the print button works without inline script (Content-Security-Policy)
    assert '<button type="button" data-print-page>' in html
    assert '<script src="/static/egov/print.js" defer></script>' in html
    detail = client.get("/thu-tuc/1.001612.000.00.00.H49/").content.decode()
    assert "3 ngày làm việc" in detail
    assert "/thu-tuc/1.001612/bieu-mau/giay-de-nghi-dk-hkd.docx" in detail


def test_unknown_or_malformed_code_is_a_friendly_404(catalog, client):
    for code in ["9.999999", "khong-co", "1.001612.000.00.00.H38"]:
        response = client.get(f"/thu-tuc/{code}/")
        assert response.status_code == 404
        assert "Không tìm thấy thủ tục" in response.content.decode()


def test_form_download_is_a_docx_that_opens(catalog, client):
    response = client.get("/thu-tuc/1.001612/bieu-mau/giay-de-nghi-dk-hkd.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert client.get("/thu-tuc/1.001612/bieu-mau/khong-co.docx").status_code == 404


def test_every_seed_form_renders(catalog, client):
    from egov.catalog.models import FormTemplate

    forms = FormTemplate.objects.select_related("component__version__procedure")
    assert forms.count() >= 8
    for form in forms:
        code = form.component.version.procedure.public_code
        response = client.get(f"/thu-tuc/{code}/bieu-mau/{form.key}.docx")
        assert response.status_code == 200, form.key
        Document(io.BytesIO(response.content))


def test_api_search_detail_and_fields(catalog, client):
    page = client.get("/api/v1/procedures", {"q": "dang ky ho kinh doanh"}).json()
    assert [item["code"] for item in page["items"][:2]] == ["1.001612", "2.000575"]
    assert page["items"][0]["local_code"] == "1.001612.000.00.00.H49"
    assert "next_cursor" in page and "count" not in page
    first = client.get("/api/v1/procedures", {"limit": 2}).json()
    second = client.get("/api/v1/procedures", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == len(second["items"]) == 2
    assert {i["code"] for i in first["items"]}.isdisjoint(i["code"] for i in second["items"])
    detail = client.get("/api/v1/procedures/1.001612.000.00.00.H49").json()
    assert detail["channels"][0]["time_amount"] == "3"
    assert detail["components"][0]["forms"][0]["url"].endswith(".docx")
    fields = client.get("/api/v1/fields").json()
    assert sum(f["procedure_count"] for f in fields) >= 30


def test_api_fee(catalog, client):
    quote = client.get("/api/v1/procedures/2.000815/fee", {"pages": 5, "copies": 2}).json()
    assert quote["amount"] == 14000 and quote["currency"] == "VND"
    assert quote["lines"][0]["explanation"].startswith("2 × 2.000 đ + 3 × 1.000 đ")
    online = client.get("/api/v1/procedures/1.004222/fee", {"channel": "online"}).json()
    assert online["amount"] == 10000
    exempt = client.get("/api/v1/procedures/1.004222/fee", {"category": "child"}).json()
    assert exempt["amount"] == 0
    unknown = client.get("/api/v1/procedures/1.001612/fee").json()
    assert unknown["amount"] is None


@pytest.mark.parametrize(
    ("url", "params", "status", "code"),
    [
        ("/api/v1/procedures/9.999999", {}, 404, "procedure_not_found"),
        ("/api/v1/procedures/2.000815/fee", {"channel": "online"}, 422, "channel_not_offered"),
        ("/api/v1/procedures/2.000815/fee", {"pages": 0}, 422, "invalid_quantity"),
        ("/api/v1/procedures/2.000815/fee", {"category": "martian"}, 422, "invalid_fee_input"),
        ("/api/v1/procedures/2.000815/fee", {"channel": "fax"}, 422, "invalid_input"),
        ("/api/v1/procedures", {"limit": 1000}, 422, "invalid_limit"),
        ("/api/v1/procedures", {"limit": "x"}, 422, "invalid_input"),
        ("/api/v1/procedures", {"cursor": "2"}, 422, "invalid_cursor"),
    ],
)
def test_api_errors_use_one_format(catalog, client, url, params, status, code):
    response = client.get(url, params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_admin_keeps_published_versions_read_only(catalog, admin_client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    version = version_by_code("2.000884")
    response = admin_client.post(
        f"/admin/catalog/procedureversion/{version.pk}/change/", {"name": "Sửa lén"}
    )
    version.refresh_from_db()
    assert version.name == "Chứng thực chữ ký trong giấy tờ, văn bản"
    assert response.status_code in (200, 302, 403)
    admin_client.post(
        "/admin/catalog/procedureversion/",
        {"action": "create_draft", "_selected_action": [version.pk]},
    )
    draft = version.number + 1  # the next number after the version in force
    assert version.procedure.versions.filter(status="draft", number=draft).exists()
    history = admin_client.get(
        f"/admin/catalog/procedure/{version.procedure.pk}/change/"
    ).content.decode()
    assert "Bản nháp" in history and "Đang áp dụng" in history
