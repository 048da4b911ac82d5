"""Subscriptions of partner systems, the events sent to them and each delivery's lifecycle.

A ``WebhookEvent`` is the outgoing CloudEvent, serialised once (``body``): every attempt and
every subscriber gets the same bytes, so a signature never depends on re-serialising. A
``Delivery`` is one event for one subscription (unique together); its lifecycle
(``state.DELIVERY_TRANSITIONS``) and the subscription's (active ⇄ paused) are each applied
by one function that appends an event row (``DeliveryStep``, ``SubscriptionStep``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubscriptionState(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    PAUSED = "paused", _("Tạm dừng")


class PauseReason(models.TextChoices):
    NONE = "", _("Không")
    OWNER = "owner", _("Chủ đăng ký tạm dừng")
    FAILING = "failing", _("Gửi không thành công liên tục")
    DEAD_LETTERS = "dead_letters", _("Nhiều sự kiện liên tiếp không gửi được")
    GONE = "gone", _("Hệ thống nhận trả lời 410 (không nhận nữa)")


class Subscription(models.Model):
    owner = models.ForeignKey(
        "accounts.ApiClient",
        verbose_name=_("ứng dụng kết nối"),
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    description = models.CharField(_("mô tả"), max_length=200, blank=True)
    url = models.URLField(_("địa chỉ nhận sự kiện"), max_length=500)
    event_types = models.JSONField(_("loại sự kiện"), default=list)
    # Empty: no filter. Filters match exactly the listed units (receiving, handling,
    # competent or liên thông unit of a dossier; the agency of a document).
    units = models.ManyToManyField(
        "org.Unit", verbose_name=_("đơn vị"), blank=True, related_name="+"
    )
    procedures = models.ManyToManyField(
        "catalog.Procedure",
        verbose_name=_("thủ tục"),
        blank=True,
        related_name="webhook_subscriptions",
    )
    # The HMAC secret is needed in clear to sign, so it is stored sealed (Fernet under a key
    # derived from SECRET_KEY, ``webhooks.signing``), never hashed, never shown after creation.
    secret_sealed = models.TextField()
    previous_secret_sealed = models.TextField(blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=SubscriptionState.choices,
        default=SubscriptionState.ACTIVE,
    )
    pause_reason = models.CharField(
        _("lý do tạm dừng"), max_length=20, choices=PauseReason.choices, blank=True
    )
    # Health: set at the first failed attempt after a success, cleared by a success.
    failing_since = models.DateTimeField(_("lỗi liên tục từ"), null=True, blank=True)
    consecutive_dead = models.PositiveIntegerField(default=0)
    last_success_at = models.DateTimeField(_("gửi thành công gần nhất"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("đăng ký nhận sự kiện")
        verbose_name_plural = _("đăng ký nhận sự kiện")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.url}"


class SubscriptionStep(models.Model):
    """One change of a subscription's state (paused, resumed) with who and why."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="steps")
    sequence = models.PositiveIntegerField()
    from_state = models.CharField(max_length=10)
    to_state = models.CharField(max_length=10)
    reason = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["subscription", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "sequence"], name="webhook_subscription_step_seq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id}#{self.sequence} {self.to_state}"


class WebhookEvent(models.Model):
    """The CloudEvent as sent: ``id`` is its CloudEvents id and the ``webhook-id`` header, the
    idempotency key a receiver de-duplicates on."""

    id = models.UUIDField(primary_key=True)
    type = models.CharField(max_length=40)
    subject = models.CharField(max_length=60)
    time = models.DateTimeField(db_index=True)
    body = models.TextField()

    class Meta:
        ordering = ["time", "id"]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    DELIVERED = "delivered", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi, chờ gửi lại")
    DEAD = "dead", _("Không gửi được (danh sách chết)")


class Delivery(models.Model):
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(max_length=10, choices=DeliveryState.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set while a worker sends it; a worker that died mid-send leaves it to expire.
    locked_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_latency_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="webhook_delivery_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due_idx"),
            models.Index(fields=["subscription", "id"], name="webhook_delivery_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id}: {self.event_id} {self.state}"


class DeliveryStep(models.Model):
    """One transition of a delivery: each attempt's outcome (answer code, error, latency), a
    dead letter, a replay (with the person or client who asked)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="steps")
    sequence = models.PositiveSmallIntegerField()
    from_state = models.CharField(max_length=10)
    to_state = models.CharField(max_length=10)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["delivery", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "sequence"], name="webhook_delivery_step_seq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id}#{self.sequence} {self.to_state}"
