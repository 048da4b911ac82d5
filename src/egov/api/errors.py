"""The API's error handlers: every error leaves in the one JSON format of
``egov.core.api_errors`` ({"error": {"code", "message", "details"}}).

Validation details name the field (``applicant.name``, ``components.0.originals``) and say
what is wrong in Vietnamese: pydantic's own English messages never reach the client."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from egov.catalog.selectors import ProcedureNotFound
from egov.core.api_errors import ApiError

_HTTP_CODES = {
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    429: "rate_limited",
}


def _pydantic_message(error: dict[str, Any]) -> str:
    """Vietnamese for pydantic's error types; our own custom types carry Vietnamese already."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in {"control_characters"}:
        return str(error.get("msg", ""))
    if kind == "missing":
        return _("Trường này là bắt buộc.")
    if kind == "string_too_long":
        return _("Tối đa %d ký tự.") % int(ctx.get("max_length", 0))
    if kind == "string_too_short":
        return _("Cần ít nhất %d ký tự.") % int(ctx.get("min_length", 0))
    if kind in {"too_long"}:
        return _("Tối đa %d phần tử.") % int(ctx.get("max_length", 0))
    if kind in {"too_short"}:
        return _("Cần ít nhất %d phần tử.") % int(ctx.get("min_length", 0))
    if kind in {"greater_than_equal", "greater_than"}:
        limit = ctx.get("ge", ctx.get("gt"))
        return (
            _("Phải lớn hơn hoặc bằng %s.") % limit
            if kind.endswith("equal")
            else _("Phải lớn hơn %s.") % limit
        )
    if kind in {"less_than_equal", "less_than"}:
        limit = ctx.get("le", ctx.get("lt"))
        return (
            _("Phải nhỏ hơn hoặc bằng %s.") % limit
            if kind.endswith("equal")
            else _("Phải nhỏ hơn %s.") % limit
        )
    if kind in {"enum", "literal_error"}:
        return _("Giá trị không hợp lệ; chọn một trong: %s.") % str(ctx.get("expected", ""))
    if kind.startswith("int_") or kind == "int_type":
        return _("Phải là số nguyên.")
    if kind.startswith("bool_"):
        return _("Phải là true hoặc false.")
    if kind.startswith("string_") or kind == "string_type":
        return _("Phải là chuỗi ký tự.")
    if kind == "timezone_aware":
        return _(
            "Thời điểm cần có độ lệch múi giờ (RFC 3339), ví dụ 2026-05-04T17:00:00+07:00 "
            "hoặc 2026-05-04T10:00:00Z."
        )
    if kind.startswith(("datetime_", "timezone_")):
        return _("Thời điểm không hợp lệ; dùng dạng ISO 8601, ví dụ 2026-05-04T17:00:00+07:00.")
    if kind.startswith("date_"):
        return _("Ngày không hợp lệ; dùng dạng YYYY-MM-DD.")
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Phải là một danh sách.")
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return _("Phải là một đối tượng JSON.")
    if kind.startswith("float_") or kind.startswith("decimal_"):
        return _("Phải là một số.")
    if kind == "extra_forbidden":
        return _("Trường này không được phép.")
    return _("Giá trị không hợp lệ.")


def _field(loc: Any) -> str:
    # ("body", "payload", "applicant", "name") → "applicant.name"; ("query", "limit") → "limit"
    parts = [str(p) for p in (loc or [])]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts)


def _error(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    details: list[Any] | None = None,
) -> HttpResponse:
    return api.create_response(
        request,
        {"error": {"code": code, "message": message, "details": details or []}},
        status=status,
    )


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = _error(api, request, exc.status, exc.code, exc.message, exc.details)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [
            {
                "field": _field(e.get("loc")),
                "message": _pydantic_message(e),
                "code": str(e.get("type") or "invalid"),
            }
            for e in exc.errors
            if isinstance(e, dict)
        ]
        return _error(
            api, request, 422, "invalid_input", _("Dữ liệu gửi lên không hợp lệ."), details
        )

    @api.exception_handler(ProcedureNotFound)
    def _procedure_not_found(request: HttpRequest, exc: ProcedureNotFound) -> HttpResponse:
        return _error(api, request, 404, "procedure_not_found", str(exc))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, "not_found", _("Không tìm thấy."))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _error(api, request, 401, "unauthenticated", _("Cần xác thực."))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            # ninja's "Cannot parse request body": the body is not JSON (or not a form).
            return _error(
                api,
                request,
                422,
                "invalid_input",
                _("Nội dung gửi lên không đọc được; cần JSON hợp lệ."),
                [{"field": "body", "message": _("JSON không hợp lệ."), "code": "json_invalid"}],
            )
        code = _HTTP_CODES.get(exc.status_code, "bad_request")
        return _error(api, request, exc.status_code, code, _("Yêu cầu không hợp lệ."))
