"""Which error codes each operation can answer with, written into its OpenAPI responses.

The codes are found in the code itself, not kept by hand beside it: every published code
(``egov.core.api_error_codes.ERROR_CODES``) written as a string in the operation's function, or
in a function of ours that it calls (followed a few calls deep: ``_dossier_or_404``,
``as_api_errors`` …), plus what the framework adds to every operation of its kind — a key's
401/403 scope/429 limit, 422 ``invalid_input`` for parameters and bodies, the body size
refusals. A helper may raise a code on a path one operation never takes, so a list can name a
code the operation does not give in practice; it never misses one written in our code. A code
raised deeper, in a service, reaches the API only through such a helper, which names it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from egov.core.api_error_codes import ERROR_CODES

DEPTH = 4
_QUOTED = re.compile(r"[\"']([a-z][a-z0-9_]+)[\"']")
_CALLED = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_PREFIX = "Mã lỗi (GET /api/v1/errors): "
# Exceptions that the API's handlers (egov.api.errors) answer with a code of their own.
RAISED_AS = {"ProcedureNotFound": "procedure_not_found", "Http404": "not_found"}
_NAME = re.compile(r"\b([A-Z][A-Za-z0-9]+)\b")
# What django-ninja writes on a response that says nothing of its own.
GENERIC = {
    "",
    "Bad Request",
    "Unauthorized",
    "Forbidden",
    "Not Found",
    "Conflict",
    "Unprocessable Entity",
    "Too Many Requests",
}


def codes_in_code(function: Callable[..., Any]) -> set[str]:
    """The published codes written in ``function`` and in the egov functions it calls."""
    found: set[str] = set()
    seen: set[int] = set()

    def visit(target: Any, depth: int) -> None:
        if isinstance(target, partial):  # a helper with its arguments bound (codes among them)
            found.update(
                value
                for value in target.keywords.values()
                if isinstance(value, str) and value in ERROR_CODES
            )
            target = target.func
        target = inspect.unwrap(target)
        if depth > DEPTH or id(target) in seen or not inspect.isfunction(target):
            return
        seen.add(id(target))
        try:
            source = inspect.getsource(target)
        except (OSError, TypeError):
            return
        found.update(code for code in _QUOTED.findall(source) if code in ERROR_CODES)
        found.update(RAISED_AS[name] for name in _NAME.findall(source) if name in RAISED_AS)
        names = target.__globals__
        for name in _CALLED.findall(source):
            called = names.get(name)
            function = called.func if isinstance(called, partial) else called
            if getattr(function, "__module__", "").startswith("egov."):
                visit(called, depth + 1)

    visit(function, 0)
    return found


def framework_codes(operation: dict[str, Any]) -> set[str]:
    """What any operation of this kind can answer, whatever its function says."""
    codes = set()
    if operation.get("security"):
        codes |= {"unauthenticated", "insufficient_scope", "rate_limited"}
    checked = [
        parameter
        for parameter in operation.get("parameters", [])
        if parameter.get("in") != "path" or parameter.get("schema", {}).get("type") != "string"
    ]
    if checked or "requestBody" in operation:  # a free text in the path cannot be invalid
        codes.add("invalid_input")
    if "requestBody" in operation:
        codes |= {"bad_request", "length_required", "payload_too_large"}
    return codes


def describe_error_codes(
    operation: dict[str, Any], codes: Iterable[str], error_content: dict[str, Any]
) -> None:
    """Name, on each error response of ``operation``, the codes it can carry; a code whose
    status the operation did not declare adds that response."""
    by_status: dict[int, list[str]] = {}
    for code in sorted(set(codes)):
        by_status.setdefault(ERROR_CODES[code].status, []).append(code)
    responses = operation.setdefault("responses", {})
    for status in list(responses):
        described = str(responses[status].get("description", ""))
        if str(status)[0] in "45" and int(status) not in by_status and described in GENERIC:
            # Declared through a shared set of answers (WRITE_ERRORS …), but nothing in the
            # operation's code gives it: not an answer this operation has.
            del responses[status]
    for status, names in sorted(by_status.items()):
        response = responses.get(status) or responses.get(str(status))
        if response is None:
            response = responses[status] = {"content": error_content, "description": ""}
        described = str(response.get("description", ""))
        if _PREFIX in described:
            continue  # written by hand for this operation (documents.api_common.error_docs)
        generic = described in {
            "",
            "Bad Request",
            "Not Found",
            "Unprocessable Entity",
            "Forbidden",
            "Conflict",
            "Too Many Requests",
            "Unauthorized",
        }
        listed = _PREFIX + ", ".join(names) + "."
        if not generic and not described.rstrip().endswith((".", ";", ")")):
            described = described.rstrip() + "."
        response["description"] = listed if generic else f"{described} {listed}"
