"""Refuse oversized request bodies before anything reads them.

Django only applies its upload limits while it parses a body, i.e. after the whole body has
been received. This middleware looks at the declared length first: a body larger than the
largest legitimate request (``EGOV_UPLOAD_MAX_MB`` for each file a request may carry, plus a
margin for the form fields) gets 413 at once, and a body without a declared length (chunked
transfer encoding, which Django would silently read as empty) gets 411. The reverse proxy's
``client_max_body_size`` (docs/operations.md) should match ``request_body_limit()``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Room for the form fields and multipart boundaries next to the files themselves.
FORM_MARGIN_BYTES = 1024 * 1024


def request_body_limit() -> int:
    """The largest request body accepted, in bytes."""
    per_file = int(settings.EGOV_UPLOAD_MAX_MB) * 1024 * 1024
    return per_file * int(settings.EGOV_UPLOAD_MAX_FILES_PER_REQUEST) + FORM_MARGIN_BYTES


def _refuse(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": code, "message": message, "details": []}}, status=status
        )
    return render(request, "request_refused.html", {"message": message}, status=status)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or ""
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return _refuse(
                request,
                411,
                "length_required",
                _("Yêu cầu phải ghi rõ độ dài dữ liệu gửi lên (Content-Length)."),
            )
        if declared:
            if not declared.isdigit():
                return _refuse(
                    request,
                    400,
                    "bad_request",
                    _("Độ dài dữ liệu gửi lên (Content-Length) không hợp lệ."),
                )
            if int(declared) > request_body_limit():
                return _refuse(
                    request,
                    413,
                    "payload_too_large",
                    _(
                        "Dữ liệu gửi lên quá lớn: mỗi tệp tối đa %(per_file)s MB, "
                        "tổng cộng tối đa %(total)s MB mỗi lần gửi."
                    )
                    % {
                        "per_file": settings.EGOV_UPLOAD_MAX_MB,
                        "total": request_body_limit() // (1024 * 1024),
                    },
                )
        return self.get_response(request)
