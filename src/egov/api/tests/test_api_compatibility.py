"""The v1 compatibility check: each kind of breaking change is found, compatible growth is not."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from egov.api.compatibility import compare

RELEASED: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        "/api/v1/dossiers": {
            "get": {
                "operationId": "list_dossiers",
                "parameters": [
                    {
                        "in": "query",
                        "name": "status",
                        "required": False,
                        "schema": {"$ref": "#/components/schemas/Status"},
                    },
                    {
                        "in": "query",
                        "name": "limit",
                        "required": False,
                        "schema": {"type": "integer"},
                    },
                ],
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Page"}}
                        }
                    },
                    "401": {"content": {"application/json": {"schema": {"type": "object"}}}},
                },
            },
            "post": {
                "operationId": "receive_dossier",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["procedure"],
                                "properties": {
                                    "procedure": {"type": "string"},
                                    "note": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Dossier"}}
                        }
                    }
                },
            },
        },
        "/api/v1/lookup": {
            "get": {
                "operationId": "lookup",
                "security": [],
                "responses": {"200": {"description": "OK"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Status": {"type": "string", "enum": ["received", "processing"]},
            "Dossier": {
                "type": "object",
                "required": ["code", "status"],
                "properties": {
                    "code": {"type": "string"},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "due_at": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                },
            },
            "Page": {
                "type": "object",
                "required": ["items"],
                "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Dossier"}}
                },
            },
        }
    },
}


def changed(edit: Any) -> dict[str, Any]:
    schema = copy.deepcopy(RELEASED)
    edit(schema)
    return schema


def findings(current: dict[str, Any]) -> list[str]:
    return [str(finding) for finding in compare(RELEASED, current)[0]]


def test_the_same_schema_is_compatible():
    assert compare(RELEASED, copy.deepcopy(RELEASED)) == ([], [])


def test_growth_is_compatible():
    def grow(schema: dict[str, Any]) -> None:
        get = schema["paths"]["/api/v1/dossiers"]["get"]
        get["parameters"].append(
            {"in": "query", "name": "cursor", "required": False, "schema": {"type": "string"}}
        )
        get["responses"]["403"] = {"description": "Forbidden"}
        schema["components"]["schemas"]["Dossier"]["properties"]["unit"] = {"type": "string"}
        schema["paths"]["/api/v1/units"] = {
            "get": {"operationId": "list_units", "responses": {"200": {}}}
        }
        body = schema["paths"]["/api/v1/dossiers"]["post"]["requestBody"]
        body["content"]["application/json"]["schema"]["properties"]["extra"] = {"type": "string"}

    assert findings(changed(grow)) == []


def test_a_removed_operation_and_a_renamed_operation_id_break():
    def edit(schema: dict[str, Any]) -> None:
        del schema["paths"]["/api/v1/lookup"]
        schema["paths"]["/api/v1/dossiers"]["post"]["operationId"] = "create_dossier"

    assert findings(changed(edit)) == [
        "POST /api/v1/dossiers: operationId changed from 'receive_dossier' to 'create_dossier'",
        "GET /api/v1/lookup: the operation was removed",
    ]


def test_parameters_that_break():
    def edit(schema: dict[str, Any]) -> None:
        get = schema["paths"]["/api/v1/dossiers"]["get"]
        get["parameters"][1]["required"] = True
        get["parameters"].append(
            {"in": "query", "name": "unit", "required": True, "schema": {"type": "string"}}
        )
        schema["components"]["schemas"]["Status"]["enum"] = ["received"]

    assert findings(changed(edit)) == [
        "GET /api/v1/dossiers parameter 'status' (query): no longer accepts processing",
        "GET /api/v1/dossiers parameter 'limit' (query): became required",
        "GET /api/v1/dossiers parameter 'unit' (query): a new required parameter",
        # The same enum in the responses now has fewer values: compatible, so not listed.
    ]


def test_a_new_required_body_property_and_a_changed_type_break():
    def edit(schema: dict[str, Any]) -> None:
        body = schema["paths"]["/api/v1/dossiers"]["post"]["requestBody"]
        body_schema = body["content"]["application/json"]["schema"]
        body_schema["required"].append("unit")
        body_schema["properties"]["unit"] = {"type": "string"}
        body_schema["properties"]["note"] = {"type": "integer"}

    assert findings(changed(edit)) == [
        "POST /api/v1/dossiers body.unit: a new required property",
        "POST /api/v1/dossiers body.note: type changed from ['string'] to ['integer']",
    ]


def test_responses_that_break_and_a_new_enum_value_that_is_only_noticed():
    def edit(schema: dict[str, Any]) -> None:
        dossier = schema["components"]["schemas"]["Dossier"]
        del dossier["properties"]["due_at"]
        dossier["required"] = ["code"]
        schema["components"]["schemas"]["Status"]["enum"].append("returned")
        schema["paths"]["/api/v1/lookup"]["get"]["security"] = [{"ApiKey": []}]

    current = changed(edit)
    assert findings(current) == [
        "GET /api/v1/dossiers response 200.items[].status: is no longer always present",
        "GET /api/v1/dossiers response 200.items[].due_at: was removed",
        "POST /api/v1/dossiers response 201.status: is no longer always present",
        "POST /api/v1/dossiers response 201.due_at: was removed",
        "GET /api/v1/lookup: a public operation now needs a key",
    ]
    assert [str(notice) for notice in compare(RELEASED, current)[1]] == [
        "GET /api/v1/dossiers response 200.items[].status: new values returned",
        "POST /api/v1/dossiers response 201.status: new values returned",
    ]


def test_the_command_fails_on_a_breaking_change(tmp_path: Path, capsys):
    released = tmp_path / "released.json"
    released.write_text(json.dumps(RELEASED), encoding="utf-8")
    current = tmp_path / "current.json"
    current.write_text(json.dumps(changed(lambda s: s["paths"].pop("/api/v1/lookup"))))
    call_command("check_api_compatibility", released=str(released), current=str(released))
    assert "tương thích ngược với bản đã phát hành" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:
        call_command("check_api_compatibility", released=str(released), current=str(current))
    assert stopped.value.code == 1
    assert "Không tương thích ngược: GET /api/v1/lookup: the operation was removed" in (
        capsys.readouterr().err
    )
