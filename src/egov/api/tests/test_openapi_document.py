"""What an integrator's client generator reads in the OpenAPI document (issue 14 §4): stable,
meaningful operation ids, the server, the licence, security said on every operation, files
with their media type, the Idempotency-Key header where writes take it."""

import re
from typing import Any

from egov.api.api import api


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def test_operation_ids_are_unique_snake_case_names_without_module_paths() -> None:
    ids = [operation["operationId"] for _path, _method, operation in _operations()]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", i)] == []
    assert [i for i in ids if i.startswith("egov_")] == []
    assert {"receive_dossier", "transition_dossier", "lookup_dossier"} <= set(ids)


def test_server_licence_and_contact() -> None:
    schema = api.get_openapi_schema()
    assert schema["servers"] == [{"url": "/", "description": "Máy chủ egov phục vụ tài liệu này"}]
    assert schema["info"]["license"] == {
        "name": "AGPL-3.0-or-later",
        "identifier": "AGPL-3.0-or-later",
    }
    assert schema["info"]["contact"] == {"name": "Đơn vị vận hành egov của tỉnh"}


def test_every_operation_says_its_security() -> None:
    public = sorted(
        operation["operationId"]
        for path, _method, operation in _operations()
        if operation["security"] == []
    )
    assert public == [
        "calendar_deadline",
        "calendar_holidays",
        "get_procedure",
        "get_unit",
        "health",
        "list_error_codes",
        "list_faq",
        "list_fields",
        "list_procedures",
        "list_units",
        "lookup_dossier",
        "procedure_fee",
        "signatures_verify",
    ]
    keyed = {str(o["security"]) for p, _m, o in _operations() if p.startswith("/api/v1/staff/")}
    assert keyed == {"[{'ApiKeyAuth': []}]"}


def test_files_have_their_media_type() -> None:
    media = {
        operation["operationId"]: sorted(operation["responses"][200]["content"])
        for _path, method, operation in _operations()
        if method == "get"
    }
    assert media["dossier_receipt_pdf"] == ["application/pdf"]
    assert media["download_version"] == ["application/pdf"]
    assert media["download_scan"] == ["application/octet-stream"]
    assert [name for name, types in media.items() if not types] == []


def test_idempotent_writes_document_the_header() -> None:
    with_header = sorted(
        operation["operationId"]
        for _path, _method, operation in _operations()
        if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    )
    assert with_header == [
        "apologise_dossier",
        "complete_assignment",
        "create_copy",
        "distribute_incoming",
        "extend_dossier",
        "issue_notice",
        "link_reply",
        "receive_dossier",
        "receive_incoming",
        "record_fee",
        "register_incoming",
        "return_incoming",
        "sign_copy_again",
        "start_assignment",
        "transition_dossier",
        "transition_outgoing",
    ]


def test_every_write_takes_an_idempotency_key_or_says_how_to_retry() -> None:
    from egov.api.api import RETRY_NOTES

    writes = {
        operation["operationId"]: operation
        for _path, method, operation in _operations()
        if method in {"post", "put", "patch", "delete"}
    }
    keyed = {
        name
        for name, operation in writes.items()
        if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    }
    assert set(writes) - keyed == set(RETRY_NOTES)
    for name in RETRY_NOTES:
        assert writes[name]["description"].endswith(RETRY_NOTES[name])


def test_each_operation_body_is_its_own_schema() -> None:
    """Two schema classes of one name would share one component, and one operation would
    document the other's body (the dossier reception once showed the incoming document's)."""
    schema = api.get_openapi_schema()
    body = schema["paths"]["/api/v1/staff/dossiers"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"procedure", "applicant", "components"} <= set(
        schema["components"]["schemas"][ref]["properties"]
    )
