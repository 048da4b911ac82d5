"""Vietnamese first (the interface is Vietnamese unless the person chose English), no caching
of answers that carry personal data, one JSON error format under /api/."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is ignored: a
    Vietnamese government service speaks Vietnamese by default, and English only after an
    explicit choice (the language cookie set by the vi/en switch). Under /api/ the
    Accept-Language header is that explicit choice."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            # A program asks for its language explicitly: the API's messages follow
            # Accept-Language (vi when absent or unsupported; en-US, en → en).
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Answers about one person or one dossier, whoever asks: the public lookup (masked, but still
# about a person), its API, the staff API (API keys open no session) and the signature check.
PERSONAL_PATHS = (
    "/tra-cuu-ho-so/",
    "/danh-gia/",
    "/xac-thuc-van-ban/",
    "/api/v1/public/dossiers/",
    "/api/v1/staff/",
    "/api/v1/signatures/",
)


class PersonalDataNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every answer that may carry personal data — to a
    signed-in person, or on the paths above — so that no shared cache, proxy or the browser's
    history keeps it. Public pages (the catalog, static files) stay cacheable. An answer that
    set its own Cache-Control (file downloads) keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith(PERSONAL_PATHS):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _api_error_codes() -> dict[int, tuple[str, str]]:
    return {
        400: ("bad_request", _("Yêu cầu không hợp lệ.")),
        403: ("forbidden", _("Không có quyền thực hiện yêu cầu này.")),
        404: ("not_found", _("Không có địa chỉ này trong API.")),
        405: ("method_not_allowed", _("Địa chỉ này không nhận phương thức %(method)s.")),
        413: ("payload_too_large", _("Nội dung gửi lên quá lớn.")),
        500: ("server_error", _("Lỗi hệ thống; yêu cầu chưa được thực hiện. Vui lòng thử lại.")),
    }


class ApiErrorEnvelopeMiddleware:
    """Every error under /api/ in the API's one JSON format ({"error": {"code", "message",
    "details"}}, ``egov.core.api_errors``), also those that never reach an operation: an
    unknown path (Django's 404), a method the path does not take (405, its Allow header kept),
    a server error (the 500 handler's page). Operations' own errors are JSON already."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        known = _api_error_codes()
        code, message = known.get(
            response.status_code, known[400 if response.status_code < 500 else 500]
        )
        if response.status_code == 405:
            message = message % {"method": request.method}
        envelope = JsonResponse(
            {"error": {"code": code, "message": message, "details": []}},
            status=response.status_code,
        )
        for header in ("Allow", "Retry-After"):
            if response.has_header(header):
                envelope[header] = response[header]
        return envelope
