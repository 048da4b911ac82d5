"""One JSON error format for the whole API: {"error": {"code", "message", "details"}}.

Each app's router raises ``ApiError`` and documents ``ErrorResponse``; the ``api`` app, which
mounts the routers, turns every error into this shape (``egov.api.errors``). Both live here,
on the lowest floor, so that domain apps never import the ``api`` app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Schema


class ErrorDetail(Schema):
    field: str
    message: str


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
            {"field": f"{prefix}{name}" if name != "__all__" else "", "message": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": message} for message in exc.messages]
