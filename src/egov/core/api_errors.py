"""One JSON error format for the whole API: {"error": {"code", "message", "details"}}.

Each app's router raises ``ApiError`` and documents ``ErrorResponse``; the ``api`` app, which
mounts the routers, turns every error into this shape (``egov.api.errors``). Both live here,
on the lowest floor, so that domain apps never import the ``api`` app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Schema


class ErrorDetail(Schema):
    # The input at fault (``applicant.name``, ``components.0.originals``; "" for the whole).
    field: str
    message: str
    # What is wrong, for programs: ``missing``, ``string_too_long``, ``enum``,
    # ``timezone_aware``… (pydantic's error types) or a service's own code; ``invalid`` when
    # nothing more precise is known.
    code: str = "invalid"


class ErrorBody(Schema):
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorResponse(Schema):
    error: ErrorBody


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.headers = headers or {}


def validation_details(exc: DjangoValidationError, *, prefix: str = "") -> list[dict[str, str]]:
    """A service's ValidationError as API details; ``prefix`` names the object its fields
    belong to (``applicant.``)."""
    if hasattr(exc, "error_dict"):
        return [
            {
                "field": f"{prefix}{name}" if name != "__all__" else "",
                "message": message,
                "code": error.code or "invalid",
            }
            for name, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [
        {"field": "", "message": message, "code": error.code or "invalid"}
        for error in exc.error_list
        for message in error.messages
    ]
