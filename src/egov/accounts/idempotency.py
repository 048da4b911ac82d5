"""``Idempotency-Key`` for the API's writes: a client that did not get the answer (a timeout,
a dropped connection) sends the same request again with the same key and gets the first
answer — status and body — while nothing is written a second time.

    @staff_router.post("/dossiers", response={201: DossierOut, ...})
    @idempotent(DossierOut)
    def receive(request, payload): ...

Keys belong to the API client (its service account) and live ``EGOV_IDEMPOTENCY_KEY_HOURS``.
The answer is stored in the transaction of the write, under a unique (client, key): a retry
that arrives while the first request still runs waits for it and replays its answer; if the
first one failed, its row is gone with its transaction and the retry runs as a new request.
Only successful answers are kept: an error wrote nothing, so running the retry again is
harmless. The same key with another request (method, path or body bytes differ) is refused
with 422 ``idempotency_key_reused``. Without the header nothing changes."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.responses import Status

from egov.accounts.api_auth import api_user
from egov.accounts.models import IdempotentRequest
from egov.core.api_errors import ApiError
from egov.core.api_render import ApiRenderer

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# About one keyed write in SWEEP_EVERY also deletes every client's expired keys.
SWEEP_EVERY = 200
# Function names of the operations that take the header (each API function name is unique:
# the api app derives the operation ids from them and documents the header on those).
IDEMPOTENT_OPERATIONS: set[str] = set()
_renderer = ApiRenderer()
CONTENT_TYPE = f"{_renderer.media_type}; charset={_renderer.charset}"


def _valid_key(value: str) -> bool:
    return 0 < len(value) <= MAX_KEY_LENGTH and all(" " <= ch <= "~" for ch in value)


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status, content_type=CONTENT_TYPE)
    response["Idempotent-Replayed"] = "true"
    return response


def _render(request: HttpRequest, schema: type[Schema], result: Any) -> tuple[int, bytes]:
    """The answer as ninja renders it for the operation's response schema."""
    status, value = (
        (result.status_code, result.value) if isinstance(result, Status) else (200, result)
    )
    data = schema.model_validate(value).model_dump()
    return status, _renderer.render(request, data, response_status=status).encode()


def idempotent(schema: type[Schema]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make a write operation honour ``Idempotency-Key``; ``schema`` is its success schema."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            key = request.headers.get(HEADER)
            if key is None:
                return view(request, *args, **kwargs)
            if not _valid_key(key):
                raise ApiError(
                    422,
                    "invalid_idempotency_key",
                    _("Idempotency-Key phải có từ 1 đến %d ký tự ASCII in được.") % MAX_KEY_LENGTH,
                )
            user = api_user(request)
            fingerprint = _fingerprint(request)
            now = timezone.now()
            if secrets.randbelow(SWEEP_EVERY) == 0:
                # Old keys of every client, now and then and outside the write: deleting them
                # inside it would lock rows that the client's other writes also delete.
                IdempotentRequest.objects.filter(expires_at__lte=now).delete()
            with transaction.atomic():
                # Only this key, if expired, so that it counts as new.
                IdempotentRequest.objects.filter(user=user, key=key, expires_at__lte=now).delete()
                record, created = IdempotentRequest.objects.get_or_create(
                    user=user,
                    key=key,
                    defaults={
                        "fingerprint": fingerprint,
                        "status": 0,
                        "body": b"",
                        "created_at": now,
                        "expires_at": now + dt.timedelta(hours=settings.EGOV_IDEMPOTENCY_KEY_HOURS),
                    },
                )
                if not created:
                    if record.fingerprint != fingerprint:
                        raise ApiError(
                            422,
                            "idempotency_key_reused",
                            _(
                                "Idempotency-Key này đã được dùng cho một yêu cầu khác; mỗi "
                                "yêu cầu mới cần một khóa mới."
                            ),
                        )
                    return _replay(record)
                status, body = _render(request, schema, view(request, *args, **kwargs))
                record.status, record.body = status, body
                record.save(update_fields=["status", "body"])
            return HttpResponse(body, status=status, content_type=CONTENT_TYPE)

        # ninja reads the parameters from the signature: the view's, with its annotations
        # resolved in the view's own module.
        wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        IDEMPOTENT_OPERATIONS.add(view.__name__)
        return wrapper

    return decorate
