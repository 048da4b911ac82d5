"""What the national-portal sync keeps: the outbox of dossier changes to push, the procedures
pulled from the national catalog, and the dossiers received from the national portal."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không thành công")


class NationalSync(models.Model):
    """One dossier event to push to the national portal (DongBoHoSoMC), written by the event
    subscriber in the event's transaction. Rows of one dossier are sent in ``id`` order: a row
    waits until every earlier row of its dossier is sent (a failed one stops the dossier until
    an administrator retries it)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="national_syncs"
    )
    event = models.OneToOneField(
        "dossiers.DossierEvent", on_delete=models.CASCADE, related_name="national_sync"
    )
    # The record as of the event (status code, dates, sequence); the applicant's identity and
    # the e-results are added when it is sent (payloads.py says why).
    payload = models.JSONField(default=dict)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=SyncStatus.choices, default=SyncStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    replays = models.PositiveIntegerField(_("số lần gửi lại"), default=0)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("gửi lần tới lúc"))
    locked_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("bản ghi đồng bộ Cổng DVC quốc gia")
        verbose_name_plural = _("bản ghi đồng bộ Cổng DVC quốc gia")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="national_sync_due_idx"),
            models.Index(fields=["dossier", "status", "id"], name="national_sync_order_idx"),
            models.Index(fields=["created_at"], name="national_sync_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.payload.get('ThuTuCapNhat')} {self.status}"


class NationalProcedure(models.Model):
    """A procedure of the national catalog as last pulled: its content's fingerprint tells a
    changed procedure from an unchanged one, so a repeated pull changes nothing."""

    national_code = models.CharField(_("mã thủ tục quốc gia"), max_length=20, unique=True)
    content_hash = models.CharField(max_length=64)
    national_updated_at = models.CharField(_("cập nhật trên Cổng quốc gia"), max_length=14)
    procedure = models.ForeignKey(
        "catalog.Procedure", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    pulled_at = models.DateTimeField(_("lấy về lúc"))

    class Meta:
        verbose_name = _("thủ tục lấy từ Cổng DVC quốc gia")
        verbose_name_plural = _("thủ tục lấy từ Cổng DVC quốc gia")

    def __str__(self) -> str:
        return self.national_code


class NationalSubmission(models.Model):
    """A dossier submitted on the national portal and received here, once per national id."""

    national_id = models.CharField(_("mã hồ sơ trên Cổng quốc gia"), max_length=60, unique=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="national_submission"
    )
    received_at = models.DateTimeField(_("nhận về lúc"))
    acknowledged_at = models.DateTimeField(_("đã xác nhận với Cổng quốc gia lúc"), null=True)

    class Meta:
        verbose_name = _("hồ sơ nộp trên Cổng DVC quốc gia")
        verbose_name_plural = _("hồ sơ nộp trên Cổng DVC quốc gia")

    def __str__(self) -> str:
        return self.national_id
