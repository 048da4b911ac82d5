"""The receiving side of the exchange. A scheduled poll lists the packages pending for this
deployment's agencies, fetches each, and in one transaction either finds it already received
(by agency, DocumentId and business type: a package fetched twice creates nothing) or records
it: a new document becomes an incoming document of the receiving agency waiting in its
"chờ tiếp nhận" list, its signatures verified; a recall waits for the clerk; an update or a
replacement marks the earlier document replaced; a status message updates the sender's row.
The package is acknowledged to the axis only after that transaction commits, so a crash
between the two fetches it again next time and the de-duplication holds.

What the clerk and handlers then do to an exchanged incoming document goes back to its sender
as status messages through the documents event path (``status_for_event``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import SYSTEM, Actor, person
from egov.core.uploads import store_private
from egov.documents.actions import IncomingAction
from egov.documents.errors import TransitionRefused
from egov.documents.models import IncomingDocument, IncomingEvent, IncomingSource, IncomingStatus
from egov.documents.permissions import may_register_incoming
from egov.documents.services.incoming import incoming_receive_exchanged, incoming_withdraw
from egov.documents.services.intake import verdict_record
from egov.exchange.axis import Axis, AxisError, PendingMessage
from egov.exchange.models import (
    BusinessType,
    ReceivedPackage,
    ReceivedState,
    SentPackage,
    StatusDirection,
    StatusMessage,
    StatusState,
)
from egov.exchange.packaging import PackageError, read_document, read_status
from egov.exchange.services.outbox import _create, queue_status
from egov.exchange.state import move
from egov.org.models import Unit
from egov.signing.verification import verify_pdf

# edXML StatusCode (research notes §2.3; QCVN 102 table not read: chưa xác nhận).
ARRIVED, REFUSED, ACCEPTED, ASSIGNED, IN_PROGRESS, DONE = "01", "02", "03", "04", "05", "06"
RECALL_REQUEST, AGREED, DISAGREED = "13", "15", "16"
DOCUMENT_TYPES = (BusinessType.NEW, BusinessType.UPDATE, BusinessType.REPLACE)


@dataclass
class PollRun:
    documents: int = 0
    statuses: int = 0
    duplicates: int = 0
    invalid: int = 0
    acknowledged: list[str] = field(default_factory=list)


def exchange_poll(*, axis: Axis) -> PollRun:
    """Fetch and record everything pending on the axis (outside any transaction: each package
    commits on its own, then is acknowledged). AxisError ends the run; what was not yet
    acknowledged stays pending on the axis."""
    run = PollRun()
    for pending in axis.pending():
        data = axis.fetch(pending.id)
        if pending.message_type == "status":
            outcome = _receive_status(pending, data)
        else:
            outcome = _receive_document(pending, data)
        setattr(run, outcome, getattr(run, outcome) + 1)
        transaction.on_commit(partial(_acknowledge, axis, pending.id, run))
    return run


def _acknowledge(axis: Axis, message_id: str, run: PollRun) -> None:
    try:
        axis.acknowledge(message_id)
    except AxisError:
        return  # fetched again next time; the row is found and nothing is created twice
    run.acknowledged.append(message_id)


# --- documents ----------------------------------------------------------------------------


def _existing(agency_code: str, document_id: str, business_type: int) -> bool:
    return ReceivedPackage.objects.filter(
        agency_code=agency_code, document_id=document_id, business_type=business_type
    ).exists()


@transaction.atomic
def _receive_document(pending: PendingMessage, data: bytes) -> str:
    try:
        read = read_document(data)
    except PackageError as exc:
        return _invalid(pending, data, str(exc))
    if _existing(pending.to_organ, read.document_id, read.business_type):
        return "duplicates"
    agency = Unit.objects.filter(code=pending.to_organ).first()
    if agency is None:
        return _invalid(
            pending,
            data,
            _("Không có cơ quan mang mã định danh %(code)s trên hệ thống nơi nhận.")
            % {"code": pending.to_organ},
        )
    row = ReceivedPackage(
        agency_code=pending.to_organ,
        agency=agency,
        from_organ=read.from_organ,
        document_id=read.document_id,
        business_type=read.business_type,
        axis_id=pending.id,
        package=data,
        reason=read.reason,
    )
    try:
        with transaction.atomic():
            if read.business_type == BusinessType.RECALL:
                row.concerns = _earlier(pending.to_organ, read.document_id)
                _create(row, ReceivedState.RECALL_REQUESTED, axis_id=pending.id)
                return "documents"
            _create(row, ReceivedState.RECEIVED, axis_id=pending.id)
    except IntegrityError:
        return "duplicates"  # another poll recorded it a moment ago
    file, verdict = None, {}
    if read.attachments:
        name, content = read.attachments[0]
        verdict = verdict_record(verify_pdf(content))
        file = store_private(io.BytesIO(content), original_name=name, prefix="documents/incoming")
    # The package's own XML signature was verified by ``read_document`` (or it is invalid).
    verdict["package_signer"] = read.signer
    incoming = incoming_receive_exchanged(
        agency=agency,
        organ_name=read.organ_name or read.from_organ,
        subject=read.fields.pop("subject") or _("(không có trích yếu)"),
        file=file,
        signature_verdict=verdict,
        data={"axis_id": pending.id, "document_id": read.document_id},
        **read.fields,
    )
    row.incoming = incoming
    row.save(update_fields=["incoming"])
    if read.business_type in (BusinessType.UPDATE, BusinessType.REPLACE):
        earlier = _earlier(pending.to_organ, read.replaces_document_id)
        if earlier is not None:
            row.concerns = earlier
            row.save(update_fields=["concerns"])
            _replace(earlier, by=row)
    # Điều 21.2.c: the sender learns the same day that the document arrived.
    queue_status(received=row, code=ARRIVED)
    return "documents"


def _earlier(agency_code: str, document_id: str) -> ReceivedPackage | None:
    if not document_id:
        return None
    return (
        ReceivedPackage.objects.filter(
            agency_code=agency_code, document_id=document_id, business_type__in=DOCUMENT_TYPES
        )
        .order_by("-id")
        .first()
    )


def _replace(earlier: ReceivedPackage, *, by: ReceivedPackage) -> None:
    if earlier.state != ReceivedState.RECEIVED:
        return
    move(earlier, ReceivedState.REPLACED, data={"by": by.document_id})
    incoming = earlier.incoming
    if incoming is not None and incoming.status not in (
        IncomingStatus.RECALLED,
        IncomingStatus.REPLACED,
    ):
        incoming_withdraw(
            actor=SYSTEM,
            document=incoming,
            action=IncomingAction.REPLACE,
            reason=_("Thay thế bằng văn bản %s") % by.document_id,
        )


def _invalid(pending: PendingMessage, data: bytes, problem: str) -> str:
    key = pending.document_id or f"axis:{pending.id}"
    try:
        business = int(pending.business_type or 0)
    except ValueError:
        business = 0
    if _existing(pending.to_organ, key, business):
        return "duplicates"
    row = ReceivedPackage(
        agency_code=pending.to_organ,
        agency=Unit.objects.filter(code=pending.to_organ).first(),
        from_organ=pending.from_organ,
        document_id=key,
        business_type=business if business in BusinessType.values else 0,
        axis_id=pending.id,
        package=data,
        problem=problem[:500],
    )
    _create(row, ReceivedState.INVALID, problem=problem[:200])
    _refuse_invalid(row, pending)
    return "invalid"


def _refuse_invalid(row: ReceivedPackage, pending: PendingMessage) -> None:
    """Tell the sender why its package was not taken (NĐ 30/2020, Điều 21.2.b: a document
    that is not accepted goes back to the sender with the reason): 02 "từ chối tiếp nhận" for
    a document, 16 "từ chối thu hồi" for a recall (a 02 would be read by the sender as the
    refusal of the document itself). Nothing when the package named no DocumentId (the sender
    could not match the answer) or no agency of ours holds the organ code (no key to sign)."""
    if row.agency is None or not pending.document_id:
        return
    code = DISAGREED if row.business_type == BusinessType.RECALL else REFUSED
    queue_status(received=row, code=code, description=row.problem)


# --- status messages ----------------------------------------------------------------------


@transaction.atomic
def _receive_status(pending: PendingMessage, data: bytes) -> str:
    if StatusMessage.objects.filter(
        direction=StatusDirection.IN, to_organ=pending.to_organ, axis_id=pending.id
    ).exists():
        return "duplicates"
    try:
        read = read_status(data)
    except PackageError:
        read = None
    sent = None
    if read is not None:
        kinds = (
            [BusinessType.RECALL]
            if read.code in (AGREED, DISAGREED)
            else [BusinessType.NEW, BusinessType.UPDATE, BusinessType.REPLACE]
        )
        sent = (
            SentPackage.objects.filter(
                document_id=read.document_id, to_organ=pending.from_organ, business_type__in=kinds
            )
            .order_by("-id")
            .first()
        )
    status = StatusMessage(
        direction=StatusDirection.IN,
        code=read.code if read else "",
        description=read.description if read else "",
        document_id=read.document_id if read else pending.document_id,
        from_organ=pending.from_organ,
        to_organ=pending.to_organ,
        at=(read.at if read and read.at else timezone.now()),
        staff=read.staff if read else "",
        sent=sent,
        axis_id=pending.id,
        package=data,
    )
    try:
        with transaction.atomic():
            _create(status, StatusState.APPLIED if sent else StatusState.UNMATCHED)
    except IntegrityError:
        return "duplicates"
    if sent is not None and (
        sent.receiver_status_at is None or status.at >= sent.receiver_status_at
    ):
        sent.receiver_status = status.code
        sent.receiver_status_at = status.at
        sent.receiver_description = status.description
        sent.save(update_fields=["receiver_status", "receiver_status_at", "receiver_description"])
    return "statuses"


# --- what happens to an exchanged incoming document goes back as status -------------------


def status_for_event(event: object) -> None:
    """Documents event subscriber: the clerk's and handlers' steps on an incoming document
    that came through the axis become status messages to its sender (accepted 03, refused 02,
    assigned 04, in progress 05, done 06)."""
    if not isinstance(event, IncomingEvent):
        return
    document: IncomingDocument = event.document
    if document.source != IncomingSource.EXCHANGE:
        return
    code = {
        IncomingAction.REGISTER: ACCEPTED,
        IncomingAction.RETURN_TO_SENDER: REFUSED,
        IncomingAction.DISTRIBUTE: ASSIGNED,
        IncomingAction.START: IN_PROGRESS,
    }.get(IncomingAction(event.action))
    if event.action == IncomingAction.COMPLETE and event.to_status == IncomingStatus.COMPLETED:
        code = DONE
    if code is None:
        return
    received = ReceivedPackage.objects.filter(incoming=document).first()
    if received is None:
        return
    actor = event.actor
    queue_status(
        received=received,
        code=code,
        description=event.reason,
        staff=actor.display_name if actor is not None else "",
    )


@transaction.atomic
def exchange_recall_decide(
    *, actor: Actor, received: ReceivedPackage, agree: bool, reason: str = ""
) -> ReceivedPackage:
    """The clerk's answer to a sender's recall: agree (the incoming document is withdrawn,
    status 15) or refuse (status 16, a reason required)."""
    received = ReceivedPackage.objects.select_for_update().get(pk=received.pk)
    if received.agency is None or not may_register_incoming(actor, received.agency):
        raise TransitionRefused(_("Chỉ văn thư của cơ quan nhận mới được trả lời đề nghị thu hồi."))
    if received.state != ReceivedState.RECALL_REQUESTED:
        raise TransitionRefused(_("Đề nghị thu hồi này đã được trả lời."))
    if not agree and not reason.strip():
        raise TransitionRefused(_("Cần ghi rõ lý do từ chối thu hồi."))
    target = ReceivedState.RECALL_AGREED if agree else ReceivedState.RECALL_REFUSED
    move(received, target, actor=actor, data={"reason": reason.strip()[:500]})
    earlier = received.concerns
    if agree and earlier is not None and earlier.incoming is not None:
        incoming = earlier.incoming
        if incoming.status not in (IncomingStatus.RECALLED, IncomingStatus.REPLACED):
            incoming_withdraw(
                actor=actor,
                document=incoming,
                action=IncomingAction.RECALL,
                reason=received.reason or reason,
            )
    user = person(actor)
    queue_status(
        received=received,
        code=AGREED if agree else DISAGREED,
        description=reason.strip(),
        staff=user.display_name if user else "",
    )
    return received
