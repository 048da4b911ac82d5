"""What the document APIs (``api_incoming``, ``staff_api_outgoing``, ``api_copies``) share: the
id and revision types, the error responses they document, the caller's document or copy loaded
through ``permissions`` (404 when they may not see it), and the services' refusals in the
common error shape (``egov.core.api_errors``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Annotated, TypeVar

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field

from egov.accounts.api_auth import api_user
from egov.accounts.models import User
from egov.core.api_errors import ApiError, ErrorResponse
from egov.documents.errors import (
    CopyNotSigned,
    CopyRefused,
    DocumentError,
    SecretFileRefused,
    StaleRevision,
    StateConflict,
    TransitionForbidden,
    TransitionRefused,
)
from egov.documents.permissions import (
    get_copy_for_actor,
    get_incoming_for_actor,
    get_outgoing_for_actor,
)
from egov.documents.services.incoming import DuplicateWarning
from egov.documents.services.intake import IntakeFileRefused
from egov.signing.services import SigningError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Revision = Annotated[int, Field(ge=0, le=2**31 - 1)]
# The errors an operation on one document may answer, after its own success response.
READ_ERRORS = {401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}
WRITE_ERRORS = {
    401: ErrorResponse,
    403: ErrorResponse,
    404: ErrorResponse,
    409: ErrorResponse,
    422: ErrorResponse,
}

Document = TypeVar("Document")

# What each error status of a document operation can carry, for its ``openapi_extra``
# (``error_docs``); every code is in ``core.api_error_codes`` (GET /api/v1/errors).
NOT_FOUND = ("document_not_found",)
TRANSITION_ERRORS: dict[int, tuple[str, ...]] = {
    403: ("forbidden", "insufficient_scope"),
    404: NOT_FOUND,
    409: ("revision_conflict", "state_conflict"),
    422: ("invalid_input",),
}


def error_docs(
    codes: dict[int, tuple[str, ...]], **more: tuple[str, ...]
) -> dict[str, dict[int, dict[str, str]]]:
    """``openapi_extra`` naming the error codes each status of an operation can carry:
    ``codes`` plus ``more`` (``s422=("invalid_file",)`` adds to 422)."""
    merged = {status: list(names) for status, names in codes.items()}
    for key, names in more.items():
        merged.setdefault(int(key.removeprefix("s")), []).extend(names)
    return {
        "responses": {
            status: {"description": "Mã lỗi (GET /api/v1/errors): " + ", ".join(names) + "."}
            for status, names in sorted(merged.items())
        }
    }


DOCUMENT_NOT_FOUND = gettext_lazy("Không tìm thấy văn bản trong phạm vi bạn được xem.")
_COPY_NOT_FOUND = gettext_lazy("Không tìm thấy bản sao trong phạm vi bạn được xem.")


def document_for(
    user: User,
    pk: int,
    *,
    load: Callable[[User, int], Document | None],
    not_found: StrOrPromise = DOCUMENT_NOT_FOUND,
    code: str = "document_not_found",
) -> Document:
    """The document ``pk`` as ``load`` (a ``permissions`` loader) gives it to ``user``; 404
    ``code`` saying ``not_found`` when it does not."""
    document = load(user, pk)
    if document is None:
        raise ApiError(404, code, str(not_found))
    return document


def _caller_and_document(
    request: HttpRequest,
    pk: int,
    *,
    load: Callable[[User, int], Document | None],
    not_found: StrOrPromise,
    code: str = "document_not_found",
) -> tuple[User, Document]:
    """The API caller and the document ``pk`` as ``document_for`` gives it to them."""
    user = api_user(request)
    return user, document_for(user, pk, load=load, not_found=not_found, code=code)


caller_and_incoming = partial(
    _caller_and_document,
    load=get_incoming_for_actor,
    not_found=gettext_lazy("Không tìm thấy văn bản đến trong phạm vi bạn được xem."),
)
caller_and_outgoing = partial(
    _caller_and_document, load=get_outgoing_for_actor, not_found=DOCUMENT_NOT_FOUND
)
# Electronic copies answer 404 ``copy_not_found``; ``copy_for`` when the caller is known.
copy_for = partial(
    document_for, load=get_copy_for_actor, not_found=_COPY_NOT_FOUND, code="copy_not_found"
)
caller_and_copy = partial(
    _caller_and_document, load=get_copy_for_actor, not_found=_COPY_NOT_FOUND, code="copy_not_found"
)


def refusal(exc: DocumentError | SigningError) -> ApiError:
    """A service's refusal as the API's error: 409 ``revision_conflict`` when the document
    changed since it was read, ``possible_duplicate`` when the caller has to confirm; 403
    ``forbidden`` when the caller's roles do not allow the action; 409 ``state_conflict`` when
    the document's status does not; 422 otherwise — an electronic copy's own codes
    (``copy_refused``, ``copy_not_signed``), the file's, and ``invalid_input`` with the field
    at fault in ``details`` when the service named one."""
    if isinstance(exc, StaleRevision):
        return ApiError(409, "revision_conflict", str(exc))
    if isinstance(exc, DuplicateWarning):
        return ApiError(
            409,
            "possible_duplicate",
            str(exc),
            [
                {
                    "field": "override_reason",
                    "message": _("Trùng với văn bản đến id %(id)s, số đến %(number)s: %(subject)s")
                    % {"id": d.pk, "number": d.arrival_number, "subject": d.subject[:120]},
                }
                for d in exc.duplicates
            ],
        )
    if isinstance(exc, TransitionForbidden):
        return ApiError(403, "forbidden", str(exc))
    if isinstance(exc, StateConflict):
        return ApiError(409, "state_conflict", str(exc))
    if isinstance(exc, SigningError):
        return ApiError(422, "signing_failed", exc.message)
    if isinstance(exc, SecretFileRefused):
        return ApiError(422, "secret_file_refused", str(exc))
    if isinstance(exc, IntakeFileRefused):
        return ApiError(422, "invalid_file", str(exc))
    if isinstance(exc, CopyNotSigned):
        return ApiError(422, "copy_not_signed", str(exc))
    if isinstance(exc, CopyRefused):
        return ApiError(422, "copy_refused", str(exc))
    field = exc.field if isinstance(exc, TransitionRefused) else ""
    return ApiError(
        422, "invalid_input", str(exc), [{"field": field, "message": str(exc), "code": "invalid"}]
    )


@contextmanager
def as_api_errors() -> Iterator[None]:
    """Run a service; its refusal leaves as the API's error (``refusal``)."""
    try:
        yield
    except (DocumentError, SigningError) as exc:
        raise refusal(exc) from None
