"""Every error response of the OpenAPI document names the codes it can carry (issue 14 §4)."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from egov.api.api import api
from egov.api.error_docs import codes_in_code
from egov.core.api_error_codes import ERROR_CODES

PREFIX = "Mã lỗi (GET /api/v1/errors): "


def _raise(code: str) -> None:
    raise ValueError(code)


def _helper_that_answers_unit_not_found() -> None:
    _raise("unit_not_found")


_bound_with_code = partial(_raise, code="copy_not_found")


def _operation() -> dict[str, str]:
    _helper_that_answers_unit_not_found()
    _bound_with_code()
    return {"code": "invalid_input"}  # a published code written here is named too


def test_codes_are_found_in_the_function_and_the_helpers_it_calls():
    assert codes_in_code(_operation) == {"unit_not_found", "copy_not_found", "invalid_input"}


def _responses() -> list[tuple[str, str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (method, path, str(status), response)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if str(status)[0] in "45"
    ]


def test_every_error_response_names_its_codes_and_each_has_that_status():
    unnamed = []
    for method, path, status, response in _responses():
        description = response["description"]
        if PREFIX not in description:
            unnamed.append((method, path, status))
            continue
        named = re.findall(r"[a-z_]+", description.split(PREFIX, 1)[1])
        assert named, (method, path, status)
        for code in named:
            assert ERROR_CODES[code].status == int(status), (method, path, status, code)
    assert unnamed == []


def test_exact_codes_of_a_few_operations():
    schema = api.get_openapi_schema()
    unit = schema["paths"]["/api/v1/units/{code}"]["get"]["responses"]
    assert {str(status): r["description"] for status, r in unit.items()} == {
        "200": "OK",
        "404": PREFIX + "unit_not_found.",
    }
    transitions = schema["paths"]["/api/v1/staff/dossiers/{code}/transitions"]["post"]
    described = transitions["responses"][409]["description"]
    assert described.endswith(PREFIX + "revision_conflict, state_conflict.")
    key_refusals = transitions["responses"][403]["description"]
    assert key_refusals.endswith(PREFIX + "forbidden, insufficient_scope.")
