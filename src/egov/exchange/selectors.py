"""Reads of the exchange: the axis status of each recipient of an outgoing document, what
waits for an agency's clerk, and the count of documents exchanged electronically (the plan's
indicator "văn bản trao đổi dưới dạng điện tử", for the reports)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from egov.documents.models import (
    IncomingDocument,
    IncomingSource,
    IncomingStatus,
    OutgoingDocument,
)
from egov.exchange.models import (
    BusinessType,
    ReceivedPackage,
    ReceivedState,
    SentPackage,
    SentState,
)
from egov.org.models import Unit

# edXML StatusCode labels (research notes §2.3; QCVN 102 table not read: chưa xác nhận).
STATUS_LABELS = {
    "01": pgettext_lazy("edXML status", "Đã đến"),
    "02": pgettext_lazy("edXML status", "Từ chối tiếp nhận"),
    "03": pgettext_lazy("edXML status", "Đã tiếp nhận"),
    "04": pgettext_lazy("edXML status", "Đã phân công"),
    "05": pgettext_lazy("edXML status", "Đang xử lý"),
    "06": pgettext_lazy("edXML status", "Hoàn thành"),
    "13": pgettext_lazy("edXML status", "Đề nghị lấy lại"),
    "15": pgettext_lazy("edXML status", "Đồng ý thu hồi, cập nhật"),
    "16": pgettext_lazy("edXML status", "Từ chối thu hồi, cập nhật"),
}
DOCUMENT_TYPES = (BusinessType.NEW, BusinessType.UPDATE, BusinessType.REPLACE)


def status_label(code: str) -> str:
    return str(STATUS_LABELS[code]) if code in STATUS_LABELS else code


@dataclass(frozen=True)
class AxisRow:
    """One package of an outgoing document on the axis, as its page shows it."""

    package: SentPackage
    kind: str
    state: str
    receiver: str


def axis_rows(document: OutgoingDocument) -> list[AxisRow]:
    rows = SentPackage.objects.filter(outgoing=document).select_related("recipient")
    return [
        AxisRow(
            package=row,
            kind=row.get_business_type_display(),
            state=row.get_state_display(),
            receiver=status_label(row.receiver_status) if row.receiver_status else "",
        )
        for row in rows.order_by("recipient_id", "id")
    ]


RECALL_ANSWERS = {"15": "agreed", "16": "refused"}


def pending_recalls(document: OutgoingDocument) -> QuerySet[SentPackage]:
    """Recall packages of ``document`` still waiting for the receiver's answer (15 or 16):
    queued or accepted by the axis. A recall the axis refused waits for nothing."""
    return SentPackage.objects.filter(
        outgoing=document,
        business_type=BusinessType.RECALL,
        state__in=(SentState.QUEUED, SentState.SENT),
    ).exclude(receiver_status__in=tuple(RECALL_ANSWERS))


@dataclass(frozen=True)
class RecallRow:
    """What became of the recall sent to one recipient, for the outgoing document's page."""

    package: SentPackage
    answer: str  # "pending", "agreed", "refused" or "failed"
    label: str


def recall_rows(document: OutgoingDocument) -> list[RecallRow]:
    rows = SentPackage.objects.filter(
        outgoing=document, business_type=BusinessType.RECALL
    ).select_related("recipient")
    labels = {
        "pending": _("Chờ nơi nhận trả lời"),
        "agreed": _("Nơi nhận đồng ý thu hồi"),
        "refused": _("Nơi nhận từ chối thu hồi"),
        "failed": _("Trục không nhận đề nghị thu hồi"),
    }
    result = []
    for row in rows.order_by("recipient_id", "id"):
        if row.state == SentState.FAILED:
            answer = "failed"
        else:
            answer = RECALL_ANSWERS.get(row.receiver_status, "pending")
        result.append(RecallRow(package=row, answer=answer, label=str(labels[answer])))
    return result


def recallable(document: OutgoingDocument) -> bool:
    """A recall can be sent: some recipient got the document through the axis and has no
    recall yet, and no recall waits for an answer (the page offers the form only then)."""
    delivered = SentPackage.objects.filter(
        outgoing=document, state=SentState.SENT, business_type__in=DOCUMENT_TYPES
    )
    recalled = SentPackage.objects.filter(
        outgoing=document, business_type=BusinessType.RECALL
    ).values("recipient_id")
    return (
        delivered.exclude(recipient_id__in=recalled).exists()
        and not pending_recalls(document).exists()
    )


@dataclass(frozen=True)
class ClerkInbox:
    waiting: list[IncomingDocument]
    recalls: list[ReceivedPackage]
    # Packages that failed verification (already refused to the sender): the newest first.
    invalid: list[ReceivedPackage]


def clerk_inbox(agencies: Sequence[Unit]) -> ClerkInbox:
    """What came through the axis for ``agencies`` (the caller's clerk agencies, checked by
    the caller): documents waiting to be accepted or refused, recalls waiting for an answer,
    and the packages that failed verification — their sender organ, DocumentId, time and
    reason only (``package`` is not loaded: unverified content is never shown)."""
    waiting = (
        IncomingDocument.objects.filter(
            agency__in=agencies, source=IncomingSource.EXCHANGE, status=IncomingStatus.RECEIVED
        )
        .select_related("agency")
        .order_by("arrival_date", "id")
    )
    recalls = (
        ReceivedPackage.objects.filter(agency__in=agencies, state=ReceivedState.RECALL_REQUESTED)
        .select_related("agency", "concerns__incoming")
        .order_by("received_at", "id")
    )
    invalid = (
        ReceivedPackage.objects.filter(agency__in=agencies, state=ReceivedState.INVALID)
        .only("from_organ", "document_id", "business_type", "received_at", "problem", "agency")
        .order_by("-received_at", "-id")
    )
    return ClerkInbox(
        waiting=list(waiting[:200]), recalls=list(recalls[:200]), invalid=list(invalid[:50])
    )


@dataclass(frozen=True)
class ExchangedCount:
    agency_id: int
    sent: int
    received: int

    @property
    def total(self) -> int:
        return self.sent + self.received


def exchanged_documents(
    *, start: dt.datetime, end: dt.datetime, agencies: Iterable[Unit] | None = None
) -> list[ExchangedCount]:
    """Documents exchanged electronically through the axis per agency in [start, end): sent
    (a package accepted by the axis, per recipient) and received (a package recorded, not
    invalid). Recalls are not documents; an update or a replacement is."""
    sent = SentPackage.objects.filter(
        state=SentState.SENT, business_type__in=DOCUMENT_TYPES, sent_at__gte=start, sent_at__lt=end
    )
    received = ReceivedPackage.objects.filter(
        business_type__in=DOCUMENT_TYPES, received_at__gte=start, received_at__lt=end
    ).exclude(state=ReceivedState.INVALID)
    if agencies is not None:
        ids = [unit.pk for unit in agencies]
        sent = sent.filter(outgoing__agency_id__in=ids)
        received = received.filter(agency_id__in=ids)
    counts: dict[int, list[int]] = {}
    for row in sent.values("outgoing__agency_id").annotate(n=Count("id")):
        counts.setdefault(row["outgoing__agency_id"], [0, 0])[0] = row["n"]
    for row in received.exclude(agency=None).values("agency_id").annotate(n=Count("id")):
        counts.setdefault(row["agency_id"], [0, 0])[1] = row["n"]
    return [
        ExchangedCount(agency_id=agency, sent=pair[0], received=pair[1])
        for agency, pair in sorted(counts.items())
    ]
