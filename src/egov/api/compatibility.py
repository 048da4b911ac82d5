"""Backward compatibility of ``/api/v1/``: what a client generated from the released schema
would stop understanding in the current one.

The versioning policy (docs/integration.md) promises that ``/api/v1/`` only grows: a client
generated from the released v1 schema (``docs/api/openapi-v1-released.json``) keeps working
against every later release. ``breaking_changes(released, current)`` lists each change that
breaks that promise; ``make check`` fails on any. We check it ourselves because the well-kept
diff tools either do not read OpenAPI 3.1 (openapi-diff on npm) or are not installable here
(oasdiff, a Go binary).

What counts, from the client's side:
- an operation (path and method) removed, or its ``operationId`` changed (the method name in a
  generated client);
- a parameter the client may send removed, made required, or given another type, and a new
  required parameter; an enum value the client may send removed;
- a request body property removed or given another type, and a new required property;
- a success status removed; a property the client reads removed from a success response, given
  another type, or no longer always present;
- a public operation that now needs a key.
New operations, optional parameters and properties, new error statuses and new response
properties are compatible. A new value in a response enum is reported separately
(``notices``): clients are told to tolerate unknown values, so it does not fail the check.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Schema = dict[str, Any]
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class Finding:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


class _Document:
    def __init__(self, document: Schema) -> None:
        self.document = document

    def resolve(self, schema: Schema | None) -> Schema:
        """The schema with ``$ref`` followed (also through a lone ``allOf`` wrapper)."""
        seen = 0
        while schema and seen < 32:
            seen += 1
            if "$ref" in schema:
                target: Any = self.document
                for part in schema["$ref"].removeprefix("#/").split("/"):
                    target = target[part]
                schema = target
            elif list(schema.get("allOf", [])) and len(schema["allOf"]) == 1:
                schema = schema["allOf"][0]
            else:
                break
        return schema or {}

    def operations(self) -> dict[tuple[str, str], Schema]:
        found = {}
        for path, item in self.document.get("paths", {}).items():
            for method in METHODS:
                if method in item:
                    found[(path, method)] = item[method]
        return found


def _types(document: _Document, schema: Schema) -> frozenset[str]:
    """The JSON types a schema admits (``anyOf`` of a type and null counts as both)."""
    schema = document.resolve(schema)
    if "anyOf" in schema or "oneOf" in schema:
        kinds: set[str] = set()
        for part in schema.get("anyOf", []) + schema.get("oneOf", []):
            kinds |= _types(document, part)
        return frozenset(kinds)
    kind = schema.get("type")
    if isinstance(kind, list):
        return frozenset(kind)
    if kind:
        return frozenset({kind})
    if "enum" in schema:
        return frozenset(type(value).__name__ for value in schema["enum"])
    return frozenset({"object"} if "properties" in schema else set())


def _enum(document: _Document, schema: Schema) -> set[Any] | None:
    schema = document.resolve(schema)
    values: set[Any] = set()
    found = False
    for part in [schema, *schema.get("anyOf", []), *schema.get("oneOf", [])]:
        part = document.resolve(part)
        if "enum" in part:
            found = True
            values |= set(part["enum"])
        elif part is not schema and part.get("type") not in (None, "null"):
            return None  # a free value is admitted beside the enum
    return values if found else None


def _properties(document: _Document, schema: Schema) -> tuple[dict[str, Schema], set[str]]:
    schema = document.resolve(schema)
    properties = dict(schema.get("properties", {}))
    required = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        more, more_required = _properties(document, part)
        properties.update(more)
        required |= more_required
    return properties, required


class _Comparison:
    def __init__(self, released: Schema, current: Schema) -> None:
        self.old = _Document(released)
        self.new = _Document(current)
        self.breaking: list[Finding] = []
        self.notices: list[Finding] = []

    def run(self) -> None:
        old_operations = self.old.operations()
        new_operations = self.new.operations()
        for key, old in old_operations.items():
            where = f"{key[1].upper()} {key[0]}"
            new = new_operations.get(key)
            if new is None:
                self.breaking.append(Finding(where, "the operation was removed"))
                continue
            if old.get("operationId") != new.get("operationId"):
                self.breaking.append(
                    Finding(
                        where,
                        f"operationId changed from {old.get('operationId')!r}"
                        f" to {new.get('operationId')!r}",
                    )
                )
            if old.get("security") == [] and new.get("security") != []:
                self.breaking.append(Finding(where, "a public operation now needs a key"))
            self._parameters(where, old, new)
            self._request_body(where, old, new)
            self._responses(where, old, new)

    def _parameters(self, where: str, old: Schema, new: Schema) -> None:
        def by_name(operation: Schema) -> dict[tuple[str, str], Schema]:
            return {(p["in"], p["name"]): p for p in operation.get("parameters", [])}

        old_parameters, new_parameters = by_name(old), by_name(new)
        for key, parameter in old_parameters.items():
            label = f"{where} parameter {key[1]!r} ({key[0]})"
            replacement = new_parameters.get(key)
            if replacement is None:
                self.breaking.append(Finding(label, "was removed"))
                continue
            if replacement.get("required") and not parameter.get("required"):
                self.breaking.append(Finding(label, "became required"))
            self._input_schema(label, parameter.get("schema", {}), replacement.get("schema", {}))
        for key, parameter in new_parameters.items():
            if key not in old_parameters and parameter.get("required"):
                self.breaking.append(
                    Finding(f"{where} parameter {key[1]!r} ({key[0]})", "a new required parameter")
                )

    def _input_schema(self, label: str, old: Schema, new: Schema, depth: int = 0) -> None:
        """What the client sends: types may widen, enums may grow, nothing may become required."""
        old_types, new_types = _types(self.old, old), _types(self.new, new)
        if old_types and new_types and not old_types <= new_types:
            self.breaking.append(
                Finding(label, f"type changed from {sorted(old_types)} to {sorted(new_types)}")
            )
            return
        old_enum, new_enum = _enum(self.old, old), _enum(self.new, new)
        if new_enum is not None and (old_enum is None or not old_enum <= new_enum):
            dropped = sorted(map(str, (old_enum or {"<any value>"}) - new_enum))
            self.breaking.append(Finding(label, f"no longer accepts {', '.join(dropped)}"))
        if depth > 8:
            return
        if "array" in old_types:
            self._input_schema(
                f"{label}[]",
                self.old.resolve(old).get("items", {}),
                self.new.resolve(new).get("items", {}),
                depth + 1,
            )
        if "object" not in old_types:
            return
        old_properties, _ = _properties(self.old, old)
        new_properties, new_required = _properties(self.new, new)
        _, old_required = _properties(self.old, old)
        for name in sorted(new_required - old_required):
            self.breaking.append(Finding(f"{label}.{name}", "a new required property"))
        for name, schema in old_properties.items():
            if name not in new_properties:
                self.breaking.append(Finding(f"{label}.{name}", "was removed"))
            else:
                self._input_schema(f"{label}.{name}", schema, new_properties[name], depth + 1)

    def _request_body(self, where: str, old: Schema, new: Schema) -> None:
        old_content = old.get("requestBody", {}).get("content", {})
        new_content = new.get("requestBody", {}).get("content", {})
        for media, body in old_content.items():
            if media not in new_content:
                self.breaking.append(Finding(f"{where} body", f"{media} is no longer accepted"))
                continue
            self._input_schema(
                f"{where} body", body.get("schema", {}), new_content[media].get("schema", {})
            )
        if new.get("requestBody", {}).get("required") and not old.get("requestBody"):
            self.breaking.append(Finding(f"{where} body", "a body is now required"))

    def _responses(self, where: str, old: Schema, new: Schema) -> None:
        new_responses = new.get("responses", {})
        for status, response in old.get("responses", {}).items():
            if not str(status).startswith("2"):
                continue
            label = f"{where} response {status}"
            if status not in new_responses:
                self.breaking.append(Finding(label, "the status was removed"))
                continue
            new_content = new_responses[status].get("content", {})
            for media, body in response.get("content", {}).items():
                if media not in new_content:
                    self.breaking.append(Finding(label, f"{media} is no longer returned"))
                    continue
                self._output_schema(label, body.get("schema", {}), new_content[media]["schema"])

    def _output_schema(self, label: str, old: Schema, new: Schema, depth: int = 0) -> None:
        """What the client reads: nothing it relied on may disappear or change its type."""
        old_types, new_types = _types(self.old, old), _types(self.new, new)
        if old_types and new_types and not new_types <= old_types:
            self.breaking.append(
                Finding(label, f"type changed from {sorted(old_types)} to {sorted(new_types)}")
            )
            return
        old_enum, new_enum = _enum(self.old, old), _enum(self.new, new)
        if old_enum is not None and new_enum is not None and not new_enum <= old_enum:
            added = ", ".join(sorted(map(str, new_enum - old_enum)))
            self.notices.append(Finding(label, f"new values {added}"))
        if depth > 8:
            return
        if "array" in old_types:
            self._output_schema(
                f"{label}[]",
                self.old.resolve(old).get("items", {}),
                self.new.resolve(new).get("items", {}),
                depth + 1,
            )
        if "object" not in old_types:
            return
        old_properties, old_required = _properties(self.old, old)
        new_properties, new_required = _properties(self.new, new)
        for name, schema in old_properties.items():
            if name not in new_properties:
                self.breaking.append(Finding(f"{label}.{name}", "was removed"))
                continue
            if name in old_required and name not in new_required:
                self.breaking.append(Finding(f"{label}.{name}", "is no longer always present"))
            self._output_schema(f"{label}.{name}", schema, new_properties[name], depth + 1)


def compare(released: Schema, current: Schema) -> tuple[list[Finding], list[Finding]]:
    """(breaking changes, notices) of ``current`` against the ``released`` schema."""
    comparison = _Comparison(released, current)
    comparison.run()
    return comparison.breaking, comparison.notices


def breaking_changes(released: Schema, current: Schema) -> list[Finding]:
    return compare(released, current)[0]


def iter_report(released: Schema, current: Schema) -> Iterator[str]:
    breaking, notices = compare(released, current)
    for finding in breaking:
        yield f"BREAKING {finding}"
    for finding in notices:
        yield f"notice   {finding}"
