"""The sending side of the exchange. Issuing an outgoing document with outside recipients that
have an organ code writes one queued package per recipient in the issue's transaction (the
documents event path); after the commit a task sends what is due, and an axis that does not
answer gets the package again later (growing delays), so an outage delays packages but loses
none. The axis takes a repeated package as the same one (same DocumentId), so a retry after
a lost answer is not delivered twice. Status messages about received documents go the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor
from egov.documents.errors import TransitionRefused
from egov.documents.models import (
    OutgoingDocument,
    OutgoingStatus,
    RecipientKind,
)
from egov.documents.permissions import may_register_incoming
from egov.exchange.axis import Axis, AxisRefused, AxisUnavailable
from egov.exchange.errors import PackageError as EdxmlError
from egov.exchange.models import (
    BusinessType,
    ReceivedPackage,
    Replacement,
    SentPackage,
    SentState,
    StatusDirection,
    StatusMessage,
    StatusState,
)
from egov.exchange.packaging import document_id, document_package, status_package
from egov.exchange.selectors import pending_recalls
from egov.exchange.state import move

FIRST_DELAY = dt.timedelta(seconds=30)
MAX_DELAY = dt.timedelta(minutes=10)


def exchange_enabled() -> bool:
    return bool(settings.EGOV_AXIS_URL and settings.EGOV_AXIS_ORGAN_ID)


def wake_sender() -> None:
    """After the commit: one sending run, unless one is already waiting."""
    from egov.exchange.tasks import send_exchange_task, task_waiting

    if not task_waiting(send_exchange_task):
        send_exchange_task.enqueue()


def queue_packages(document: OutgoingDocument) -> list[SentPackage]:
    """One queued package per outside recipient with an organ code (called in the issue's
    transaction by the event subscriber). Secret documents never go on the axis
    (QĐ 28/2018/QĐ-TTg excludes them)."""
    if not exchange_enabled() or document.is_secret or not document.agency.code:
        return []
    replacement = Replacement.objects.filter(outgoing=document).select_related("replaces").first()
    kind, replaces = BusinessType.NEW, ""
    if replacement is not None:
        kind, replaces = BusinessType(replacement.kind), document_id(replacement.replaces)
    rows = []
    recipients = document.recipients.filter(kind=RecipientKind.EXTERNAL).exclude(organ_id="")
    for recipient in recipients:
        row = SentPackage(
            outgoing=document,
            recipient=recipient,
            from_organ=document.agency.code,
            to_organ=recipient.organ_id,
            document_id=document_id(document),
            business_type=kind,
            replaces_document_id=replaces,
            reason=replacement.reason if replacement else "",
        )
        _create(row, SentState.QUEUED, business_type=int(kind))
        rows.append(row)
    if rows:
        transaction.on_commit(wake_sender)
    return rows


def _create(row: SentPackage | StatusMessage | ReceivedPackage, state: str, **data: object) -> None:
    """Save a new row in ``state`` and write its first event."""
    row.state = state
    row.save()
    move(row, state, created=True, data=dict(data))


def queue_status(
    *, received: ReceivedPackage, code: str, description: str = "", staff: str = ""
) -> StatusMessage | None:
    """A status message (edXML StatusCode) to the sender of ``received``, sent after the
    commit. Nothing when the exchange is off."""
    if not exchange_enabled():
        return None
    status = StatusMessage(
        direction=StatusDirection.OUT,
        state=StatusState.QUEUED,
        code=code,
        description=description[:500],
        document_id=received.document_id,
        from_organ=received.agency_code,
        to_organ=received.from_organ,
        received=received,
        staff=staff[:100],
    )
    _create(status, StatusState.QUEUED, code=code)
    transaction.on_commit(wake_sender)
    return status


@transaction.atomic
def exchange_declare_replacement(
    *,
    actor: Actor,
    document: OutgoingDocument,
    replaces: OutgoingDocument,
    kind: int,
    reason: str,
) -> Replacement:
    """Say, before it is issued, that ``document`` updates or replaces ``replaces`` (issued
    earlier by the same agency): its packages will carry BussinessDocType 2/3 and the earlier
    DocumentId, and the receivers mark the earlier one replaced."""
    if not may_register_incoming(actor, document.agency):
        raise TransitionRefused(_("Chỉ văn thư của cơ quan mới được khai báo văn bản thay thế."))
    if kind not in (BusinessType.UPDATE, BusinessType.REPLACE):
        raise TransitionRefused(_("Chỉ chọn cập nhật hoặc thay thế."))
    if replaces.agency_id != document.agency_id or replaces.pk == document.pk:
        raise TransitionRefused(_("Văn bản bị thay thế phải là văn bản khác của cùng cơ quan."))
    if replaces.status != OutgoingStatus.ISSUED or document.status == OutgoingStatus.ISSUED:
        raise TransitionRefused(
            _("Văn bản bị thay thế phải đã phát hành; văn bản thay thế thì chưa.")
        )
    if not reason.strip():
        raise TransitionRefused(_("Cần ghi rõ lý do cập nhật, thay thế."))
    replacement, _created = Replacement.objects.update_or_create(
        outgoing=document,
        defaults={"replaces": replaces, "kind": kind, "reason": reason.strip()[:500]},
    )
    return replacement


@transaction.atomic
def exchange_recall(*, actor: Actor, document: OutgoingDocument, reason: str) -> list[SentPackage]:
    """The sender recalls an issued document (NĐ 30/2020, Điều 18.4): a recall package
    (BussinessDocType 1) to each recipient that was sent it; each receiver agrees (15) or
    refuses (16)."""
    if not may_register_incoming(actor, document.agency):
        raise TransitionRefused(_("Chỉ văn thư của cơ quan mới được thu hồi văn bản đã gửi."))
    if not reason.strip():
        raise TransitionRefused(_("Cần ghi rõ lý do thu hồi."))
    # Two clerks recalling at once: the second waits here and then sees the first's rows.
    OutgoingDocument.objects.select_for_update().filter(pk=document.pk).first()
    if pending_recalls(document).exists():
        raise TransitionRefused(
            _(
                "Văn bản đang có đề nghị thu hồi chờ nơi nhận trả lời; "
                "không gửi đề nghị thu hồi lần nữa."
            )
        )
    delivered = SentPackage.objects.filter(
        outgoing=document, state=SentState.SENT, business_type__in=[0, 2, 3]
    )
    rows = []
    for sent in delivered:
        if SentPackage.objects.filter(
            recipient=sent.recipient,
            business_type=BusinessType.RECALL,
            document_id=sent.document_id,
        ).exists():
            continue
        row = SentPackage(
            outgoing=document,
            recipient=sent.recipient,
            from_organ=sent.from_organ,
            to_organ=sent.to_organ,
            document_id=sent.document_id,
            business_type=BusinessType.RECALL,
            reason=reason.strip()[:500],
        )
        _create(row, SentState.QUEUED, business_type=BusinessType.RECALL)
        rows.append(row)
    if not rows and delivered.exists():
        # One recall per recipient and DocumentId (the axis knows a recall by both).
        raise TransitionRefused(_("Mọi nơi nhận đã trả lời đề nghị thu hồi văn bản này."))
    if not rows:
        raise TransitionRefused(_("Không có nơi nhận nào đã được gửi văn bản qua trục để thu hồi."))
    transaction.on_commit(wake_sender)
    return rows


# --- sending ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendRun:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _retry_delay(attempts: int) -> dt.timedelta:
    delay: dt.timedelta = FIRST_DELAY * (2 ** max(attempts - 1, 0))
    return min(delay, MAX_DELAY)


def _due(model: type[SentPackage] | type[StatusMessage], now: dt.datetime) -> list[int]:
    rows: QuerySet[SentPackage] | QuerySet[StatusMessage] = (
        StatusMessage.objects.filter(direction=StatusDirection.OUT)
        if model is StatusMessage
        else SentPackage.objects.all()
    )
    due = rows.filter(state="queued", next_attempt_at__lte=now).order_by("next_attempt_at", "id")
    return list(due.values_list("pk", flat=True)[:200])


def _send_one(axis: Axis, model: type[SentPackage] | type[StatusMessage], pk: int) -> str:
    """Send one row (outside any caller's transaction); "sent", "retried", "failed" or ""
    (someone else took it)."""
    with transaction.atomic():
        rows = model.objects.filter(pk=pk, state="queued")
        if connection.vendor == "postgresql":
            rows = rows.select_for_update(skip_locked=True)
        row = rows.first()
        if row is None:
            return ""
        if row.package is None:
            try:
                row.package = (
                    document_package(row) if isinstance(row, SentPackage) else status_package(row)
                )
            except (EdxmlError, ImproperlyConfigured) as exc:
                # Nothing to send (no signing key, a required element missing): a person must
                # look at it; retrying the same build would fail the same way.
                row.last_error = str(exc)[:500]
                move(row, "failed", data={"error": "build"}, fields=("last_error",))
                return "failed"
            row.save(update_fields=["package"])
        package = bytes(row.package)
        now = timezone.now()
        row.attempts += 1
        try:
            receipt = (
                axis.send(package) if isinstance(row, SentPackage) else axis.send_status(package)
            )
        except AxisUnavailable as exc:
            row.next_attempt_at = now + _retry_delay(row.attempts)
            row.last_error = str(exc)[:500]
            row.save(update_fields=["attempts", "next_attempt_at", "last_error"])
            return "retried"
        except AxisRefused as exc:
            row.last_error = str(exc)[:500]
            move(row, "failed", data={"error": exc.code}, fields=("attempts", "last_error"))
            return "failed"
        row.axis_id, row.sent_at, row.last_error = receipt.message_id, now, ""
        move(
            row,
            "sent",
            data={"axis_id": receipt.message_id, "duplicate": receipt.duplicate},
            fields=("attempts", "axis_id", "sent_at", "last_error"),
        )
        return "sent"


def exchange_send_due(*, axis: Axis, now: dt.datetime | None = None) -> SendRun:
    """Send every due package and status message; stop at the first "unavailable" (the rest
    wait for the next run rather than hammer an axis that is down)."""
    now = now or timezone.now()
    counts = {"sent": 0, "retried": 0, "failed": 0}
    for model in (SentPackage, StatusMessage):
        for pk in _due(model, now):
            outcome = _send_one(axis, model, pk)
            if outcome:
                counts[outcome] += 1
            if outcome == "retried":
                return SendRun(**counts)
    return SendRun(**counts)


def next_send_at() -> dt.datetime | None:
    """The earliest moment something queued is due (for the task to schedule itself)."""
    times = [
        SentPackage.objects.filter(state=SentState.QUEUED).aggregate(at=Min("next_attempt_at"))[
            "at"
        ],
        StatusMessage.objects.filter(
            Q(state=StatusState.QUEUED) & Q(direction=StatusDirection.OUT)
        ).aggregate(at=Min("next_attempt_at"))["at"],
    ]
    known = [t for t in times if t is not None]
    return min(known) if known else None
