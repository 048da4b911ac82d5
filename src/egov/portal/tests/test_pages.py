from pathlib import Path

import pytest
import time_machine

pytestmark = pytest.mark.django_db


def test_home_is_vietnamese_with_landmarks(quang_ninh, client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Dịch vụ công trực tuyến tỉnh Quảng Ninh" in html
    assert 'role="banner"' in html and 'id="main"' in html and 'role="contentinfo"' in html
    assert "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh" in html
    assert "/static/django_htmx/htmx" in html  # served locally, not from a CDN
    assert "cdn" not in html.lower()


def test_language_switch_to_english(quang_ninh, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Quảng Ninh online public services" in html


@time_machine.travel("2026-04-27 09:00 +0700", tick=False)
def test_home_tells_today_is_a_compensatory_day_off(quang_ninh, client):
    html = client.get("/").content.decode()
    assert "Nghỉ bù Giỗ Tổ Hùng Vương" in html


def test_workspace_requires_login(client, db):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_vietnamese_even_when_the_browser_prefers_english(db, client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html


def test_stylesheet_and_htmx_are_served_locally(db, client):
    from django.contrib.staticfiles import finders

    for path, content_type, marker in [
        ("/static/egov/site.css", "text/css", b"/* egov \xe2\x80\x94 one stylesheet"),
        ("/static/django_htmx/htmx-2.min.js", "text/javascript", b"htmx"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].split(";")[0] == content_type, path
        served = b"".join(response.streaming_content if response.streaming else [response.content])
        # The very file shipped with the code (our stylesheet, django-htmx's copy of htmx).
        source = finders.find(path.removeprefix("/static/"))
        assert served == Path(source).read_bytes(), path
        assert marker in served[:200], path
