"""Errors that never reach an API operation still answer in the API's JSON format (issue 14 §4):
an unknown path, a method the path does not take, a server error."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

pytestmark = pytest.mark.django_db


def test_an_unknown_api_path_is_a_json_404(client: Client, settings) -> None:
    settings.DEBUG = False
    answer = client.get("/api/v1/khong-co")
    assert (answer.status_code, answer["Content-Type"]) == (404, "application/json")
    assert answer.json() == {
        "error": {"code": "not_found", "message": "Không có địa chỉ này trong API.", "details": []}
    }


def test_a_wrong_method_is_a_json_405_with_allow(client: Client) -> None:
    answer = client.delete("/api/v1/health")
    assert (answer.status_code, answer["Allow"]) == (405, "GET")
    assert answer.json()["error"] == {
        "code": "method_not_allowed",
        "message": "Địa chỉ này không nhận phương thức DELETE.",
        "details": [],
    }


def test_english_when_chosen(client: Client) -> None:
    client.cookies["django_language"] = "en"
    answer = client.post("/api/v1/health")
    assert answer.json()["error"]["message"] == "This address does not take the POST method."


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("an operation that fails")


urlpatterns = [path("api/v1/hong", _broken)]


@pytest.mark.urls(__name__)
def test_a_server_error_is_a_json_500(client: Client, settings) -> None:
    settings.DEBUG = False
    client.raise_request_exception = False
    answer = client.get("/api/v1/hong")
    assert (answer.status_code, answer["Content-Type"]) == (500, "application/json")
    assert answer.json()["error"] == {
        "code": "server_error",
        "message": "Lỗi hệ thống; yêu cầu chưa được thực hiện. Vui lòng thử lại.",
        "details": [],
    }


@pytest.mark.urls(__name__)
def test_pages_outside_the_api_keep_their_html_error_page(client: Client, settings) -> None:
    settings.DEBUG = False
    answer = client.get("/khong-co/")
    assert (answer.status_code, answer["Content-Type"]) == (404, "text/html; charset=utf-8")
