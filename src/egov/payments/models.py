"""Online payments of a dossier's financial obligation: one row per attempt, and every message
exchanged with the gateway (IPN, return, query) kept as it came."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")


class OnlinePayment(models.Model):
    txn_ref = models.CharField(_("mã giao dịch của hệ thống"), max_length=34, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="online_payments"
    )
    provider = models.CharField(_("cổng thanh toán"), max_length=20, default="vnpay")
    # "fee": the procedure's fee (phí, lệ phí) of an online dossier; "obligation": a financial
    # obligation requested during processing.
    purpose = models.CharField(_("khoản nộp"), max_length=12, default="obligation")
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    description = models.CharField(_("nội dung thanh toán"), max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PaymentStatus.choices, default="pending"
    )
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    transaction_no = models.CharField(_("mã giao dịch tại cổng"), max_length=30, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    response_code = models.CharField(_("mã kết quả"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán trực tuyến")
        verbose_name_plural = _("giao dịch thanh toán trực tuyến")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.txn_ref


class GatewayMessage(models.Model):
    """One message from or to the gateway: what came, and what we answered."""

    payment = models.ForeignKey(
        OnlinePayment, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    kind = models.CharField(max_length=10)  # ipn | return | querydr
    params = models.JSONField(default=dict)
    answer = models.CharField(max_length=4, blank=True)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.answer}"
