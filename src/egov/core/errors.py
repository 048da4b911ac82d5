"""Our 403 and 404 handlers: the pages of templates/ rendered without the request, so no
context processor, session or database query can fail while an error is shown (Django
renders 400, 500 and the CSRF failure page that way already)."""

from __future__ import annotations

import re

from django.http import (
    Http404,
    HttpRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
)
from django.template.loader import render_to_string
from django.urls import Resolver404

# get_object_or_404's message names a model class in English; ours are Vietnamese sentences.
_DJANGO_NOT_FOUND = re.compile(r"No \w+ matches the given query\.")


def _message(exception: Exception) -> str:
    if isinstance(exception, Resolver404) or not exception.args:
        return ""
    message = exception.args[0]
    if not isinstance(message, str) or _DJANGO_NOT_FOUND.fullmatch(message):
        return ""
    return message


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponseNotFound:
    message = _message(exception) if isinstance(exception, Http404) else ""
    return HttpResponseNotFound(render_to_string("404.html", {"message": message}))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponseForbidden:
    return HttpResponseForbidden(render_to_string("403.html", {"message": _message(exception)}))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """settings.CSRF_FAILURE_VIEW: Django's own view renders its template with the request
    (every context processor); ours without."""
    return HttpResponseForbidden(render_to_string("403_csrf.html"))
