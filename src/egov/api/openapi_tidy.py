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
