"""Rows the platform itself keeps, below every domain app."""

from __future__ import annotations

from django.db import models


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
