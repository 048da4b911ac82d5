"""The event row of every lifecycle in the documents app: who did what, when, from which status
to which, why, and what else the step produced (for an incoming document this is its
TraceHeaderList, NĐ 30/2020/NĐ-CP Phụ lục VI). Rows are appended only by
``events.record_event``.

Each lifecycle keeps a table of its own (``IncomingEvent``, ``OutgoingEvent``,
``WorkFileEvent``): each has a real foreign key with its own cascade and a sequence unique
within its document or file, which one shared table could only have with a nullable key per
kind.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventRow(models.Model):
    """One step of a lifecycle, numbered from 1 within what it belongs to.

    A concrete model adds the foreign key named by ``lifecycle_field`` (``related_name=
    "events"``), names ``actions`` (the values ``action`` may take) and, in its ``Meta``, its
    names and the unique sequence. Where its statuses or actions are shorter it narrows those
    columns: they are as wide as the status field of what the event belongs to."""

    lifecycle_field: ClassVar[str] = "document"
    actions: ClassVar[type[models.TextChoices]]

    sequence = models.PositiveIntegerField()
    action = models.CharField(_("thao tác"), max_length=30)
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"))
    reason = models.TextField(_("lý do, ý kiến"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["document", "sequence"]

    def __str__(self) -> str:
        return f"{self.serializable_value(self.lifecycle_field)}#{self.sequence} {self.action}"
