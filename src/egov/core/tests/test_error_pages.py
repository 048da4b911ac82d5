"""Issue 13 point 1: the error pages are our own, in Vietnamese (English through gettext),
in the site's layout, and render without what can fail when things go wrong: no context
processor, no session, no signed-in user, no database query (Django renders 400, 500 and the
CSRF failure page without a request)."""

import pytest
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import Resolver404
from django.utils import translation
from django.views.defaults import server_error
from tests.english_words import english_words, visible_text

from egov.accounts.models import User
from egov.core.errors import page_not_found

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_like(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def english_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def test_404_in_vietnamese_and_english(production_like, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/khong-co-trang-nay/")
    text = visible_text(response.content.decode())
    assert response.status_code == 404
    assert "Lỗi 404 Không tìm thấy trang" in text
    assert "Về trang chủ" in text
    assert english_words(response.content.decode()) == []
    english = visible_text(english_client().get("/khong-co-trang-nay/").content.decode())
    assert "Error 404 Page not found" in english


def test_404_shows_our_reason_never_django_s_english_one(production_like):
    request = RequestFactory().get("/")
    with translation.override("vi"):
        ours = page_not_found(request, Http404("Không tìm thấy tệp."))
        django_s = page_not_found(request, Http404("No Dossier matches the given query."))
        unmatched = page_not_found(request, Resolver404({"path": "x", "tried": []}))
    assert "<strong>Không tìm thấy tệp.</strong>" in ours.content.decode()
    assert "Địa chỉ này không tồn tại" not in ours.content.decode()
    for response in (django_s, unmatched):
        page = response.content.decode()
        assert "Địa chỉ này không tồn tại" in page and "<strong>" not in page
        assert english_words(page) == []


def test_403_says_why_in_the_site_layout(production_like, quang_ninh):
    citizen = User.objects.create_user("dan.thuong", password="x" * 12)
    client = Client()
    client.force_login(citizen)
    response = client.get("/staff/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Lỗi 403 Không có quyền truy cập Trang này chỉ dành cho cán bộ, công chức." in (
        visible_text(page)
    )
    assert "/static/egov/site" in page  # the site's stylesheet
    assert english_words(page) == []
    assert "403 Forbidden" not in page
    client.cookies["django_language"] = "en"
    english = visible_text(client.get("/staff/").content.decode())
    assert "Error 403 Access denied" in english


def test_csrf_failure_page(production_like, django_assert_num_queries):
    client = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        response = client.post("/accounts/login/", {"login": "x", "password": "y"})
    text = visible_text(response.content.decode())
    assert response.status_code == 403
    assert "Lỗi 403 Không thể gửi biểu mẫu" in text
    assert english_words(response.content.decode()) == []
    english = Client(enforce_csrf_checks=True)
    english.cookies["django_language"] = "en"
    text = visible_text(english.post("/accounts/login/").content.decode())
    assert "The form could not be sent" in text


def test_400_for_a_host_not_served(production_like, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/", HTTP_HOST="khong-phai-cong.example")
    text = visible_text(response.content.decode())
    assert response.status_code == 400
    assert "Lỗi 400 Yêu cầu không hợp lệ" in text
    assert english_words(response.content.decode()) == []


def test_500_renders_without_context_or_database(production_like, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0), translation.override("vi"):
        response = server_error(request)
    text = visible_text(response.content.decode())
    assert response.status_code == 500
    assert "Lỗi 500 Hệ thống đang gặp sự cố" in text
    assert "Dữ liệu bạn đã lưu không bị mất" in text
    assert english_words(response.content.decode()) == []
    assert "Cổng dịch vụ công tỉnh Quảng Ninh" in text  # the site's name, from the settings
