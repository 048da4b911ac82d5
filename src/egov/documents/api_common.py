"""What the two document APIs (``api_incoming``, ``staff_api_outgoing``) share: the id and
revision types, the error responses they document, the caller's document loaded through
``permissions`` (404 when they may not see it), and the services' refusals in the common error
shape (``egov.core.api_errors``)."""

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
from egov.documents.errors import DocumentError, SecretFileRefused, StaleRevision
from egov.documents.permissions import get_incoming_for_actor, get_outgoing_for_actor
from egov.documents.services.incoming import DuplicateWarning
from egov.documents.services.intake import IntakeFileRefused
from egov.signing.services import SigningError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Revision = Annotated[int, Field(ge=0, le=2**31 - 1)]
# The errors an operation on one document may answer, after its own success response.
READ_ERRORS = {401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}
WRITE_ERRORS = {401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse}

Document = TypeVar("Document")


def _caller_and_document(
    request: HttpRequest,
    pk: int,
    *,
    load: Callable[[User, int], Document | None],
    not_found: StrOrPromise,
) -> tuple[User, Document]:
    """The API caller and the document ``pk`` as ``load`` (a ``permissions`` loader) gives it
    to them; 404 ``document_not_found`` saying ``not_found`` when it does not."""
    user = api_user(request)
    document = load(user, pk)
    if document is None:
        raise ApiError(404, "document_not_found", str(not_found))
    return user, document


caller_and_incoming = partial(
    _caller_and_document,
    load=get_incoming_for_actor,
    not_found=gettext_lazy("Không tìm thấy văn bản đến trong phạm vi bạn được xem."),
)
caller_and_outgoing = partial(
    _caller_and_document,
    load=get_outgoing_for_actor,
    not_found=gettext_lazy("Không tìm thấy văn bản trong phạm vi bạn được xem."),
)


def refusal(exc: DocumentError | SigningError) -> ApiError:
    """A service's refusal as the API's error: 409 when the document changed since it was read
    (or may be a duplicate the caller has to confirm), 422 otherwise."""
    if isinstance(exc, StaleRevision):
        return ApiError(409, "conflict", str(exc))
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
    if isinstance(exc, SigningError):
        return ApiError(422, "signing_failed", exc.message)
    if isinstance(exc, SecretFileRefused):
        return ApiError(422, "secret_file_refused", str(exc))
    if isinstance(exc, IntakeFileRefused):
        return ApiError(422, "invalid_file", str(exc))
    return ApiError(422, "transition_refused", str(exc))


@contextmanager
def as_api_errors() -> Iterator[None]:
    """Run a service; its refusal leaves as the API's error (``refusal``)."""
    try:
        yield
    except (DocumentError, SigningError) as exc:
        raise refusal(exc) from None
