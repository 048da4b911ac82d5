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
