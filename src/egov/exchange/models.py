"""The exchange log of the inter-agency axis: what was sent (one row per outgoing document,
recipient and business type, the outbox of the axis), what was received (one row per
receiving agency, DocumentId and business type: the de-duplication key), and the status
messages in both directions. Each row has its state (``state.py``) and an event row per
transition (``ExchangeEvent``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BusinessType(models.IntegerChoices):
    """edXML ``BussinessDocType`` (two independent implementations agree; QCVN 102 text not
    read: chưa xác nhận)."""

    NEW = 0, _("Văn bản mới")
    RECALL = 1, _("Thu hồi")
    UPDATE = 2, _("Cập nhật")
    REPLACE = 3, _("Thay thế")


class SentState(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi lên trục")
    SENT = "sent", _("Đã gửi lên trục")
    FAILED = "failed", _("Trục từ chối gói tin")


class ReceivedState(models.TextChoices):
    RECEIVED = "received", _("Đã nhận, chờ tiếp nhận")
    INVALID = "invalid", _("Gói tin không hợp lệ")
    RECALL_REQUESTED = "recall_requested", _("Nơi gửi đề nghị thu hồi")
    RECALL_AGREED = "recall_agreed", _("Đã đồng ý thu hồi")
    RECALL_REFUSED = "recall_refused", _("Đã từ chối thu hồi")
    REPLACED = "replaced", _("Đã được thay thế")


class StatusDirection(models.TextChoices):
    OUT = "out", _("Gửi đi")
    IN = "in", _("Nhận về")


class StatusState(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi lên trục")
    SENT = "sent", _("Đã gửi lên trục")
    FAILED = "failed", _("Trục từ chối")
    APPLIED = "applied", _("Đã cập nhật")
    UNMATCHED = "unmatched", _("Không tìm thấy văn bản tương ứng")


class OutboxRow(models.Model):
    """What the sender keeps for a retry: attempts, the next attempt, the last error."""

    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)
    axis_id = models.CharField(_("mã trên trục"), max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class SentPackage(OutboxRow):
    """One package of an outgoing document to one recipient on the axis."""

    outgoing = models.ForeignKey(
        "documents.OutgoingDocument", on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        "documents.OutgoingRecipient", on_delete=models.PROTECT, related_name="+"
    )
    from_organ = models.CharField(max_length=13)
    to_organ = models.CharField(max_length=13)
    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=200)
    business_type = models.PositiveSmallIntegerField(
        choices=BusinessType.choices, default=BusinessType.NEW
    )
    # For an update or a replacement: the DocumentId it replaces.
    replaces_document_id = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=SentState.choices, default=SentState.QUEUED)
    # Built once at the first attempt, so a retry sends the same bytes.
    package = models.BinaryField(null=True, blank=True, editable=False)
    # The receiver's latest status message (edXML StatusCode) about this package.
    receiver_status = models.CharField(_("trạng thái tại nơi nhận"), max_length=2, blank=True)
    receiver_status_at = models.DateTimeField(null=True, blank=True)
    receiver_description = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("gói tin gửi đi")
        verbose_name_plural = _("gói tin gửi đi")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "business_type", "document_id"], name="sent_package_once"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="sent_due_idx")]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.to_organ} ({self.business_type})"


class ReceivedPackage(models.Model):
    """One package that arrived for one agency. A package fetched twice (the acknowledgement
    was lost) finds its row by (agency, DocumentId, business type) and creates nothing."""

    agency_code = models.CharField(max_length=13)
    agency = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_organ = models.CharField(max_length=13)
    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=200)
    business_type = models.PositiveSmallIntegerField(choices=BusinessType.choices)
    axis_id = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=ReceivedState.choices)
    package = models.BinaryField(editable=False)
    incoming = models.ForeignKey(
        "documents.IncomingDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A recall, update or replacement names the earlier package it concerns.
    concerns = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followers"
    )
    reason = models.CharField(max_length=500, blank=True)
    problem = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("gói tin nhận về")
        verbose_name_plural = _("gói tin nhận về")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency_code", "document_id", "business_type"],
                name="received_package_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} ← {self.from_organ} ({self.business_type})"


class StatusMessage(OutboxRow):
    """A status message (edXML ``Status``) sent about a received document, or received about
    a sent one."""

    direction = models.CharField(max_length=3, choices=StatusDirection.choices)
    state = models.CharField(max_length=10, choices=StatusState.choices)
    code = models.CharField(_("mã trạng thái"), max_length=2)
    description = models.CharField(max_length=500, blank=True)
    document_id = models.CharField(max_length=200)
    from_organ = models.CharField(max_length=13)
    to_organ = models.CharField(max_length=13)
    at = models.DateTimeField(default=timezone.now)
    staff = models.CharField(max_length=100, blank=True)
    received = models.ForeignKey(
        ReceivedPackage, null=True, blank=True, on_delete=models.PROTECT, related_name="statuses"
    )
    sent = models.ForeignKey(
        SentPackage, null=True, blank=True, on_delete=models.PROTECT, related_name="statuses"
    )
    package = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("thông điệp trạng thái")
        verbose_name_plural = _("thông điệp trạng thái")
        ordering = ["id"]
        constraints = [
            # A status fetched twice from the axis is applied once.
            models.UniqueConstraint(
                fields=["to_organ", "axis_id"],
                condition=models.Q(direction="in"),
                name="status_in_once",
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="status_due_idx")]

    def __str__(self) -> str:
        return f"{self.direction} {self.code} {self.document_id}"


class ExchangeEvent(models.Model):
    """One transition of a sent package, a received package or a status message."""

    sent = models.ForeignKey(
        SentPackage, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    received = models.ForeignKey(
        ReceivedPackage, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    status = models.ForeignKey(
        StatusMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("bước liên thông")
        verbose_name_plural = _("bước liên thông")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(sent__isnull=False, received__isnull=True, status__isnull=True)
                    | models.Q(sent__isnull=True, received__isnull=False, status__isnull=True)
                    | models.Q(sent__isnull=True, received__isnull=True, status__isnull=False)
                ),
                name="exchange_event_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Replacement(models.Model):
    """An outgoing document that updates or replaces an earlier one of the same agency: when
    it is issued, its packages carry BussinessDocType 2/3 and the earlier DocumentId."""

    outgoing = models.OneToOneField(
        "documents.OutgoingDocument", on_delete=models.PROTECT, related_name="+"
    )
    replaces = models.ForeignKey(
        "documents.OutgoingDocument", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.PositiveSmallIntegerField(
        choices=[
            (BusinessType.UPDATE, BusinessType.UPDATE.label),
            (BusinessType.REPLACE, BusinessType.REPLACE.label),
        ]
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("văn bản thay thế")
        verbose_name_plural = _("văn bản thay thế")

    def __str__(self) -> str:
        return f"{self.outgoing_id} ⟶ {self.replaces_id}"
