"""Online applications being written: a draft keeps what the citizen typed and uploaded, so
the application can be left and resumed; submitting it creates exactly one dossier."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationDraft(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_drafts"
    )
    version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+"
    )
    receiving_unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.JSONField(_("thông tin người nộp"), default=dict, blank=True)
    result_delivery = models.CharField(max_length=10, default="online")
    # Earlier results chosen instead of uploads: component id (str) → DossierFile ids.
    reused = models.JSONField(default=dict, blank=True)
    # Documents of the applicant's data store given instead of uploads (NĐ 45/2020 Điều 16):
    # component id (str) → store document code, or "" when the citizen chose to upload. A
    # component without an entry takes the newest document offered (portal.selectors).
    store_choices = models.JSONField(default=dict, blank=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.version_id}"


class DraftFile(models.Model):
    draft = models.ForeignKey(ApplicationDraft, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey("catalog.Component", on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft", "component", "added_at", "id"]

    def __str__(self) -> str:
        return f"{self.draft_id}: {self.file_id}"
