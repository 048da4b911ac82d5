"""Tidying of the generated OpenAPI document before it is served and committed."""

from __future__ import annotations

import json
from typing import Any

REF = '"$ref": "#/components/schemas/'


def drop_unused_schemas(schema: dict[str, Any]) -> dict[str, Any]:
    """Remove component schemas nothing refers to. django-ninja lists the filter schemas of
    list operations among the components although their fields are expanded into query
    parameters; a generated client would get model classes nobody uses, and the lint refuses
    them (Redocly's no-unused-components)."""
    schemas: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    while True:
        outside = json.dumps({key: value for key, value in schema.items() if key != "components"})
        texts = [outside, *(json.dumps(body) for body in schemas.values())]
        used = {name for name in schemas if any(f'{REF}{name}"' in text for text in texts)}
        # A schema that refers only to itself is not used either.
        used = {
            name
            for name in used
            if f'{REF}{name}"' in outside
            or any(
                f'{REF}{name}"' in json.dumps(body)
                for other, body in schemas.items()
                if other != name
            )
        }
        unused = set(schemas) - used
        if not unused:
            return schema
        for name in unused:
            del schemas[name]


def inline_single_enum_parameters(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter that is an enum with a default comes out of pydantic as
    ``{"allOf": [{enum}], "default": …}``; generated clients (openapi-python-client) read that
    as an empty model and cannot send the parameter at all. Written as the enum itself with
    its default, the parameter means the same and every generator understands it."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                wrapped = parameter.get("schema", {})
                parts = wrapped.get("allOf", [])
                if len(parts) == 1 and "enum" in parts[0]:
                    rest = {key: value for key, value in wrapped.items() if key != "allOf"}
                    parameter["schema"] = {**parts[0], **rest}
    return schema
