"""The published list of error codes (GET /api/v1/errors): every code the code base answers
with is in it, with its status; messages follow Accept-Language."""

import re
from pathlib import Path

import pytest

from egov.core.api_error_codes import ERROR_CODES

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2]
# ApiError(404, "dossier_not_found", ...) and the envelope's own codes.
RAISED = re.compile(r'ApiError\(\s*(\d{3}),\s*"([a-z_]+)"')


def _raised() -> set[tuple[int, str]]:
    found = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for status, code in RAISED.findall(path.read_text()):
            found.add((int(status), code))
    return found


def test_every_code_the_code_base_answers_with_is_published_with_its_status():
    raised = _raised()
    assert len(raised) > 40
    assert {(s, c) for s, c in raised if ERROR_CODES.get(c, None) is None} == set()
    assert {(s, c) for s, c in raised if ERROR_CODES[c].status != s} == set()


def test_the_list_is_served_with_retryability(client):
    answer = client.get("/api/v1/errors")
    assert answer.status_code == 200
    codes = {entry["code"]: entry for entry in answer.json()}
    assert set(codes) == set(ERROR_CODES)
    assert codes["rate_limited"] == {
        "code": "rate_limited",
        "status": 429,
        "retryable": True,
        "description": "Quá nhiều yêu cầu; gửi lại sau Retry-After giây.",
    }
    assert [c for c, e in codes.items() if e["retryable"]] == ["rate_limited", "server_error"]
    assert codes["revision_conflict"]["status"] == 409
    assert [e["status"] for e in answer.json()] == sorted(e["status"] for e in answer.json())


def test_messages_follow_accept_language(client):
    english = client.get("/api/v1/errors", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    entry = {e["code"]: e for e in english.json()}["rate_limited"]
    assert entry["description"] == "Too many requests; send again after Retry-After seconds."
    assert english["Content-Language"] == "en"
    missing = client.get("/api/v1/khong-co", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.json()["error"]["message"] == "The API has no such address."
    default = client.get("/api/v1/khong-co", HTTP_ACCEPT_LANGUAGE="fr")
    assert default.json()["error"]["message"] == "Không có địa chỉ này trong API."
    assert client.get("/api/v1/khong-co")["Content-Language"] == "vi"


def test_the_codes_named_per_response_of_an_operation_are_published():
    from egov.api.api import api
    from egov.core.api_error_codes import ERROR_CODES

    prefix = "Mã lỗi (GET /api/v1/errors): "
    named: dict[str, int] = {}
    for operations in api.get_openapi_schema()["paths"].values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                description = response.get("description", "")
                if description.startswith(prefix):
                    for code in description.removeprefix(prefix).rstrip(".").split(", "):
                        named[code] = int(status)
    assert {"forbidden", "state_conflict", "invalid_input", "copy_refused"} <= named.keys()
    # Each code under the status it is published with.
    assert {code: ERROR_CODES[code].status for code in named} == named
