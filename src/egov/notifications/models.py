"""The outbox: every message to a citizen is a row written in the same transaction as the
change it reports, then delivered by the background worker with retries.

Recipients' addresses are personal data: they live in these rows (needed to deliver) and are
never written to logs; a delivered message keeps its text so staff can answer "what did we
send?".
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo (ZNS)")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không thành công")


class Message(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    event = models.CharField(_("sự kiện"), max_length=40)
    # What the message is about, e.g. a dossier code (no foreign key: any app may notify).
    reference = models.CharField(_("liên quan đến"), max_length=60, db_index=True)
    # The unit that sends it (a dossier's receiving unit): staff see the messages of their
    # units only. Empty for messages about accounts (phone codes): provincial staff only.
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    # Channel-specific data, e.g. a ZNS template id and its parameters.
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=MessageStatus.choices, default="pending"
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lần tới lúc"))
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)
    provider_id = models.CharField(_("mã của nhà cung cấp"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due_idx"),
            models.Index(fields=["recipient", "sent_at"], name="message_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.event} {self.reference}"
