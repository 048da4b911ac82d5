"""Remote signing of outgoing documents (ký số từ xa, CSC API v2): the signer confirms on their
phone, which may take minutes — no web request waits for it.

- ``outgoing_remote_sign_start`` (the web request): checks each document as ``outgoing_sign``
  would, records a ``RemoteSigningRequest`` (state ``waiting``, one event) and enqueues
  ``tasks.remote_signing_task`` in the same transaction. A document already waiting in a
  request gets that request back: a second click sends nothing to the phone.
- ``outgoing_remote_sign_run`` (the task, queue ``signing``): signs every document with
  ``sign_personal`` exactly as the other methods do, its key being the signer's credential at
  the service; all of them are confirmed with one request on the phone
  (``egov.contrib.csc.batch``, ``numSignatures`` = their count, in groups of the credential's
  ``multisign``). The signed PDFs go through ``record_personal_signature`` — the same ``sign``
  transition as ``outgoing_sign`` — and the request ends ``signed``; else ``declined``,
  ``expired`` or ``failed`` with the documents still waiting for signature.
- ``remote_signing_refresh``: a request still waiting ``GRACE`` after its deadline (no worker
  ran it, or it died) is ended ``expired`` by whoever reads it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from egov.accounts.models import User
from egov.contrib.csc.batch import CscBatch
from egov.contrib.csc.client import CscDeclined, CscError, CscTimeout
from egov.contrib.csc.signer import CscSigner
from egov.documents.errors import StaleRevision, TransitionForbidden, TransitionRefused
from egov.documents.events import record_remote_signing_event
from egov.documents.models import (
    OutgoingDocument,
    RemoteSigningItem,
    RemoteSigningRequest,
    RemoteSigningState,
    VersionKind,
)
from egov.documents.services.outgoing_signing import (
    SignTerms,
    draft_to_sign,
    latest_version_file,
    record_personal_signature,
    signing_terms,
)
from egov.documents.state import REMOTE_SIGNING_TRANSITIONS
from egov.documents.tasks import remote_signing_task
from egov.signing.services import Box, SigningError, sign_personal
from egov.signing.signers import personal_signing_method, remote_signing_client

logger = logging.getLogger(__name__)

# After the deadline, the task may still be signing (timestamps, revocation data) and saving.
GRACE = dt.timedelta(minutes=2)
MAX_DOCUMENTS = 50
W = RemoteSigningState


@dataclass(frozen=True)
class RemoteStart:
    request: RemoteSigningRequest
    created: bool  # False: a request for these documents was already waiting


def _named(document: OutgoingDocument, reason: object) -> str:
    return f"{document.subject}: {reason}"


def outgoing_remote_sign_start(
    *,
    actor: User,
    documents: list[tuple[OutgoingDocument, int | None]],
    delegation: str | None = None,
    signer_position: str = "",
) -> RemoteStart:
    """Send one remote signing request for ``documents`` (each with the revision the signer
    saw; None: as it is now; a document named twice counts once). All or nothing: a document
    that cannot be signed refuses the request, naming the document. When one of them already
    waits in a request, that request is returned and nothing is sent. Raises
    TransitionRefused (TransitionForbidden when the caller does not sign
    remotely), StaleRevision or SigningError."""
    method = personal_signing_method(actor)
    if not method.remote:
        # The caller's account, not the documents, is at fault: a refusal of the caller (403).
        raise TransitionForbidden(
            _("Tài khoản của bạn không dùng ký số từ xa; hãy ký trực tiếp trên văn bản.")
        )
    unique: dict[int, tuple[OutgoingDocument, int | None]] = {}
    for document, revision in documents:
        unique.setdefault(document.pk, (document, revision))
    documents = list(unique.values())
    if not documents:
        raise TransitionRefused(_("Hãy chọn ít nhất một văn bản để ký."))
    if len(documents) > MAX_DOCUMENTS:
        raise TransitionRefused(
            _("Mỗi lần ký số từ xa được tối đa %(count)d văn bản.") % {"count": MAX_DOCUMENTS}
        )
    remote_signing_client()  # configured at all: said now, not after the task ran
    with transaction.atomic():
        ids = sorted(document.pk for document, _revision in documents)
        list(OutgoingDocument.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        existing = _waiting_for(ids)
        if existing is not None:
            return RemoteStart(existing, created=False)
        for document, revision in documents:
            _check_signable(actor, document, delegation, signer_position, revision)
        try:
            with transaction.atomic():
                request = _create(
                    actor, documents, method.credential_id, delegation, signer_position
                )
        except IntegrityError:  # a concurrent click got there first
            existing = _waiting_for(ids)
            if existing is None:
                raise
            return RemoteStart(existing, created=False)
    return RemoteStart(request, created=True)


def _waiting_for(ids: list[int]) -> RemoteSigningRequest | None:
    item = (
        RemoteSigningItem.objects.filter(document_id__in=ids, waiting=True)
        .select_related("request")
        .order_by("request_id")
        .first()
    )
    if item is None:
        return None
    request = remote_signing_refresh(item.request)
    return request if request.state == W.WAITING else _waiting_for(ids)


def _check_signable(
    actor: User,
    document: OutgoingDocument,
    delegation: str | None,
    signer_position: str,
    revision: int | None,
) -> None:
    if document.is_secret:
        reason = _(
            "Văn bản mật không có tệp để ký số; hãy ký trên trang của văn bản (chỉ ghi nhận "
            "việc ký)."
        )
        raise TransitionRefused(_named(document, reason))
    try:
        signing_terms(
            actor=actor,
            document=document,
            delegation=delegation,
            signer_position=signer_position,
            expected_revision=revision,
        )
        if latest_version_file(document, VersionKind.DRAFT) is None:
            raise TransitionRefused(_("Văn bản chưa có tệp dự thảo để ký."))
    except StaleRevision as exc:
        raise StaleRevision(_named(document, exc)) from None
    except TransitionRefused as exc:
        # The same kind (role, state, input), the document named.
        raise type(exc)(_named(document, exc), field=exc.field) from None


def _create(
    actor: User,
    documents: list[tuple[OutgoingDocument, int | None]],
    credential_id: str,
    delegation: str | None,
    signer_position: str,
) -> RemoteSigningRequest:
    now = timezone.now()
    request = RemoteSigningRequest.objects.create(
        actor=actor,
        credential_id=credential_id,
        delegation=delegation or "",
        delegation_as_drafted=delegation is None,
        signer_position=signer_position[:100],
        created_at=now,
        deadline=now + dt.timedelta(seconds=settings.EGOV_CSC_CONFIRM_TIMEOUT_SECONDS),
    )
    RemoteSigningItem.objects.bulk_create(
        RemoteSigningItem(
            request=request,
            document=document,
            expected_revision=document.revision if revision is None else revision,
            position=position,
        )
        for position, (document, revision) in enumerate(documents)
    )
    record_remote_signing_event(
        request=request,
        from_state="",
        to_state=W.WAITING,
        actor=actor,
        data={"documents": [document.pk for document, _revision in documents]},
    )
    # In the same transaction: the database backend stores the task as a row, so the request
    # and its task exist together or not at all.
    request.task_id = str(remote_signing_task.enqueue(request.pk).id)
    request.save(update_fields=["task_id"])
    return request


def remote_signing_refresh(request: RemoteSigningRequest) -> RemoteSigningRequest:
    """``request`` as it is now; ended ``expired`` when it still waits ``GRACE`` after its
    deadline (nothing will answer any more)."""
    if request.state == W.WAITING and timezone.now() > request.deadline + GRACE:
        _finish(request, W.EXPIRED, items={})
    request.refresh_from_db()
    return request


# --- the task ------------------------------------------------------------------------------


@dataclass
class _Ready:
    item: RemoteSigningItem
    terms: SignTerms
    data: bytes
    box: Box


def outgoing_remote_sign_run(*, request_id: int) -> str:
    """Run one remote signing request (the task); returns its state afterwards."""
    request = RemoteSigningRequest.objects.select_related("actor").filter(pk=request_id).first()
    if request is None:
        return "missing"
    if request.state != W.WAITING:
        return request.state
    # Messages kept on the rows are in the source language, whoever's task this is.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return _run(request)
        except Exception:
            logger.error("remote signing request %s failed unexpectedly", request.pk)
            _finish(
                request,
                W.FAILED,
                items={},
                detail=_("Lỗi hệ thống khi ký số từ xa, vui lòng thử lại."),
            )
            raise


def _run(request: RemoteSigningRequest) -> str:
    actor = request.actor
    items = {item.pk: item for item in request.items.select_related("document")}
    if timezone.now() >= request.deadline:  # the worker came too late: do not ring the phone
        return _finish(request, W.EXPIRED, items=items)
    ready: list[_Ready] = []
    for item in items.values():
        try:
            terms = signing_terms(
                actor=actor,
                document=item.document,
                delegation=request.chosen_delegation,
                signer_position=request.signer_position,
                expected_revision=item.expected_revision,
            )
            data, box = draft_to_sign(item.document)
        except (TransitionRefused, StaleRevision) as exc:
            item.message = str(exc)
        except SigningError as exc:
            item.message = exc.message
        else:
            ready.append(_Ready(item, terms, data, box))
    if not ready:
        return _finish(request, W.FAILED, items=items, detail=_("Không còn văn bản nào ký được."))
    try:
        client = remote_signing_client()
        credential = client.credential_info(request.credential_id)
    except SigningError as exc:
        return _finish(request, W.FAILED, items=items, detail=exc.message)
    except CscError as exc:
        return _finish(request, W.FAILED, items=items, detail=str(exc))
    client.confirm_timeout = (request.deadline - timezone.now()).total_seconds()
    batch = CscBatch(client, credential, description=_phone_text([r.item for r in ready]))
    results = batch.sign_all([_signing_job(r.data, r.box) for r in ready])
    return _apply(request, items, ready, results)


def _signing_job(data: bytes, box: Box) -> Callable[[CscSigner], bytes]:
    return lambda signer: sign_personal(data, signer=signer, box=box)


def _phone_text(items: list[RemoteSigningItem]) -> str:
    """What the signer reads on the phone before confirming (at most 500 characters)."""
    subjects = "; ".join(item.document.subject for item in items)
    text = ngettext(
        "Ký số %(count)d văn bản: %(subjects)s",
        "Ký số %(count)d văn bản: %(subjects)s",
        len(items),
    ) % {"count": len(items), "subjects": subjects}
    return text if len(text) <= 500 else text[:499] + "…"


def _apply(
    request: RemoteSigningRequest,
    items: dict[int, RemoteSigningItem],
    ready: list[_Ready],
    results: list[bytes | Exception],
) -> str:
    """Record the signed PDFs, then end the request — under its row lock, so a request
    expired meanwhile by a reader records nothing."""
    phone_error: CscError | None = None
    with transaction.atomic():
        locked = RemoteSigningRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state != W.WAITING:
            return locked.state
        for entry, result in zip(ready, results, strict=True):
            item = entry.item
            if isinstance(result, bytes):
                try:
                    record_personal_signature(
                        actor=locked.actor,
                        document=item.document,
                        signed=result,
                        terms=entry.terms,
                        expected_revision=item.expected_revision,
                    )
                except (TransitionRefused, StaleRevision) as exc:
                    item.message = str(exc)
                else:
                    item.signed = True
            elif isinstance(result, CscError):
                phone_error = phone_error or result
                if not isinstance(result, CscDeclined | CscTimeout):  # the state says those
                    item.message = str(result)
            elif isinstance(result, SigningError):
                item.message = result.message
            else:
                logger.error("remote signing request %s: %s", request.pk, type(result).__name__)
                item.message = _("Lỗi hệ thống khi ký số từ xa, vui lòng thử lại.")
        if any(item.signed for item in items.values()):
            state, detail = W.SIGNED, ""
        elif isinstance(phone_error, CscDeclined):
            state, detail = W.DECLINED, ""
        elif isinstance(phone_error, CscTimeout):
            state, detail = W.EXPIRED, ""
        else:
            detail = (
                str(phone_error)
                if phone_error
                else next((item.message for item in items.values() if item.message), "")
            )
            state = W.FAILED
        return _finish(locked, state, items=items, detail=detail)


def _finish(
    request: RemoteSigningRequest,
    state: str,
    *,
    items: dict[int, RemoteSigningItem],
    detail: str = "",
) -> str:
    """End a waiting request in ``state`` (one event row); ``items`` carry each document's
    outcome (those not given keep none). Returns the request's state afterwards."""
    with transaction.atomic():
        locked = RemoteSigningRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state != W.WAITING:
            return locked.state
        assert state in REMOTE_SIGNING_TRANSITIONS[W.WAITING]
        locked.state, locked.finished_at, locked.detail = state, timezone.now(), detail[:500]
        locked.save(update_fields=["state", "finished_at", "detail"])
        ended = list(locked.items.all())
        for item in ended:
            outcome = items.get(item.pk, item)
            item.waiting, item.signed, item.message = False, outcome.signed, outcome.message[:500]
            item.save(update_fields=["waiting", "signed", "message"])
        record_remote_signing_event(
            request=locked,
            from_state=W.WAITING,
            to_state=state,
            actor=locked.actor,
            data={"signed": sum(1 for i in ended if i.signed), "documents": len(ended)},
        )
    request.state = state
    return state
