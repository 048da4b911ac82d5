"""Append-only, hash-chained audit trail.

Each entry stores the SHA-256 of its own canonical content together with the previous
entry's hash, so editing or deleting any row breaks the chain at that row; the chain head
(last sequence and hash) is kept in a separate row so that removing the newest entries is
detected too. ``python manage.py audit_verify`` walks the chain.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    sequence = models.PositiveBigIntegerField(_("số thứ tự"), unique=True)
    moment = models.DateTimeField(_("thời điểm"))
    # Plain columns, not a foreign key: deleting a user must never rewrite history.
    actor_id = models.BigIntegerField(_("mã người thực hiện"), null=True, blank=True)
    actor_label = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=64, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)
    previous_hash = models.CharField(_("mã băm mục trước"), max_length=64)
    entry_hash = models.CharField(_("mã băm"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký kiểm tra")
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["moment"], name="audit_moment_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class AuditChainHead(models.Model):
    """Single row (pk=1) holding the newest sequence and hash; locked while appending."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")
        verbose_name_plural = _("đầu chuỗi nhật ký")

    def __str__(self) -> str:
        return f"#{self.last_sequence}"
