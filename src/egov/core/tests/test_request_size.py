"""Oversized bodies are refused from their declared length, before anything reads them
(issue 9, point 18): 413 in Vietnamese (JSON under /api/), 411 for chunked bodies."""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings

from egov.core.request_size import FORM_MARGIN_BYTES, request_body_limit
from egov.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer):
        raise AssertionError("the body was read")


def test_the_limit_follows_the_upload_settings(settings):
    settings.EGOV_UPLOAD_MAX_MB = 10
    settings.EGOV_UPLOAD_MAX_FILES_PER_REQUEST = 10
    assert request_body_limit() == 100 * MB + FORM_MARGIN_BYTES
    settings.EGOV_UPLOAD_MAX_MB = 2
    assert request_body_limit() == 20 * MB + FORM_MARGIN_BYTES


def test_django_parser_limits_are_consistent():
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == settings.EGOV_UPLOAD_MAX_FILES_PER_REQUEST
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.EGOV_UPLOAD_MAX_MB * MB
    assert request_body_limit() > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_150_mb_upload_is_refused_before_its_body_is_read(client):
    response = client.generic(
        "POST",
        "/thu-tuc/1.001612/nop-truc-tuyen/",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(150 * MB),
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Dữ liệu gửi lên quá lớn: mỗi tệp tối đa 10 MB, tổng cộng tối đa 101 MB" in page


def test_the_api_answers_413_in_its_json_error_format(quang_ninh, client):
    response = client.generic(
        "POST",
        "/api/v1/staff/dossiers",
        content_type="application/json",
        CONTENT_LENGTH=str(request_body_limit() + 1),
        HTTP_AUTHORIZATION="Bearer egov_0000_nope",
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    assert response.json() == {
        "error": {
            "code": "payload_too_large",
            "message": "Dữ liệu gửi lên quá lớn: mỗi tệp tối đa 10 MB, "
            "tổng cộng tối đa 101 MB mỗi lần gửi.",
            "details": [],
        }
    }
    assert not Dossier.objects.exists()


def test_chunked_and_malformed_lengths_are_refused(client):
    chunked = client.generic(
        "POST", "/api/v1/staff/dossiers", data=b"{}", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert chunked.status_code == 411
    assert chunked.json()["error"]["code"] == "length_required"
    malformed = client.generic("POST", "/api/v1/staff/dossiers", CONTENT_LENGTH="12abc")
    assert malformed.status_code == 400
    assert malformed.json()["error"]["code"] == "bad_request"


def test_a_body_within_the_limit_goes_through(quang_ninh, client):
    body = json.dumps({"procedure": "x"}).encode()
    response = client.generic(
        "POST",
        "/api/v1/staff/dossiers",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer egov_0000_nope",
    )
    assert response.status_code == 401  # reached the API, which asks for a valid key
