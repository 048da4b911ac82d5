"""Remote signing requests (ký số từ xa): the signer's confirmation on their phone, waited for
by a background task instead of a web request.

A ``RemoteSigningRequest`` covers one or several outgoing documents of one signer, confirmed
together; its state is ``waiting`` until the task ends it as ``signed``, ``declined``,
``expired`` or ``failed`` (``state.REMOTE_SIGNING_TRANSITIONS``), each step an event row.
A document is in at most one waiting request (a second click finds the first one). Rows are
loaded for people only through ``documents.permissions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RemoteSigningState(models.TextChoices):
    WAITING = "waiting", _("Đang chờ xác nhận trên điện thoại")
    SIGNED = "signed", _("Đã ký số")
    DECLINED = "declined", _("Người ký đã từ chối")
    EXPIRED = "expired", _("Hết thời gian chờ xác nhận")
    FAILED = "failed", _("Không ký được")


class RemoteSigningRequest(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=RemoteSigningState.choices,
        default=RemoteSigningState.WAITING,
    )
    credential_id = models.CharField(_("chứng thư số trên dịch vụ ký số từ xa"), max_length=255)
    # As chosen on the signing form, or as printed on each draft.
    delegation = models.CharField(_("thẩm quyền ký"), max_length=5, blank=True)
    delegation_as_drafted = models.BooleanField(_("thẩm quyền ký như dự thảo"), default=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("gửi lúc"))
    # The phone is asked until here; a request still waiting well after it is expired.
    deadline = models.DateTimeField(_("chờ xác nhận đến"))
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # Why it failed, in the words of the service or the signing step (for the signer).
    detail = models.CharField(_("chi tiết"), max_length=500, blank=True)
    task_id = models.CharField(_("mã tác vụ"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("yêu cầu ký số từ xa")
        verbose_name_plural = _("yêu cầu ký số từ xa")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "state"], name="remote_signing_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.state}"

    @property
    def chosen_delegation(self) -> str | None:
        """The delegation for ``outgoing_signing.signing_terms`` (None: as drafted)."""
        return None if self.delegation_as_drafted else self.delegation


class RemoteSigningItem(models.Model):
    """One document of a request, the revision it was asked for and how it ended."""

    request = models.ForeignKey(
        RemoteSigningRequest, on_delete=models.CASCADE, related_name="items"
    )
    document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("văn bản"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    expected_revision = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField()
    waiting = models.BooleanField(default=True)
    signed = models.BooleanField(default=False)
    message = models.CharField(_("kết quả"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("văn bản của yêu cầu ký số từ xa")
        verbose_name_plural = _("văn bản của yêu cầu ký số từ xa")
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(waiting=True),
                name="remote_signing_one_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.document_id}"


class RemoteSigningEvent(models.Model):
    request = models.ForeignKey(
        RemoteSigningRequest, on_delete=models.CASCADE, related_name="events"
    )
    sequence = models.PositiveIntegerField()
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    at = models.DateTimeField(_("lúc"))
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("bước của yêu cầu ký số từ xa")
        verbose_name_plural = _("bước của yêu cầu ký số từ xa")
        ordering = ["request", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["request", "sequence"], name="remote_signing_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.sequence} {self.to_state}"
