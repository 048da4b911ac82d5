from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.Model):
    """One applicant's rating of the service for one dossier, kept with the unit and the
    officers who handled it, for the reports."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="rating"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    criteria_version = models.CharField(max_length=20)
    answers = models.JSONField(_("đánh giá theo tiêu chí"))
    overall = models.PositiveSmallIntegerField(_("đánh giá tổng thể"))
    comment = models.TextField(_("góp ý"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.overall}"
