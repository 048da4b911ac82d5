"""Vietnamese first (the interface is Vietnamese unless the person chose English), and no
caching of answers that carry personal data."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is ignored: a
    Vietnamese government service speaks Vietnamese by default, and English only after an
    explicit choice (the language cookie set by the vi/en switch)."""

    def process_request(self, request: HttpRequest) -> None:
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
