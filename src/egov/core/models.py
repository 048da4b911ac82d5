"""Rows the platform itself keeps, below every domain app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """One rate-limit window of one subject (a client address, an account, a number): how
    many times it was counted. Incremented by one atomic upsert (``core.ratelimit``), so every
    worker and host sees the same count; expired windows are swept as counting goes on."""

    key = models.CharField(max_length=100, primary_key=True)
    hits = models.PositiveIntegerField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "rate counter"

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"


class NumberCounter(models.Model):
    """The last number taken in one legal number series (``core.numbering``): a series name,
    the scope it runs in (a unit, a register…) and the period it restarts with (a day, a
    year). Advanced by one atomic upsert inside the transaction that uses the number, so a
    rollback gives the number back and the series stays gap-free."""

    series = models.CharField(max_length=40)
    scope = models.CharField(max_length=200)
    period = models.CharField(max_length=10)
    last = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = "number counter"
        constraints = [
            models.UniqueConstraint(
                fields=["series", "scope", "period"], name="number_counter_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.scope} {self.period}: {self.last}"


class StoredFile(models.Model):
    """One file kept in the private storage (``STORAGES["private"]``, never under a public
    URL): its name as given, its type as its first bytes show (``core.uploads.sniff``), its
    size and SHA-256, the random storage key it lives under, who uploaded it and when.

    Scans, applicants' uploads, e-results — and next official documents and signed PDFs —
    point to a row of this table; ``core.uploads`` stores and removes them,
    ``core.downloads`` serves them once the caller has checked access."""

    key = models.CharField("storage key", max_length=200, unique=True)
    name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"))

    class Meta:
        verbose_name = _("tệp đã lưu")
        verbose_name_plural = _("tệp đã lưu")

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        """The extension of the storage key (chosen from the content, not from the name)."""
        return self.key.rsplit(".", 1)[-1]
