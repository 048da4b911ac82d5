from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("Tài khoản nộp trực tuyến")
    KIOSK = "kiosk", _("Tại Bộ phận Một cửa (mã hồ sơ và thông tin kiểm tra)")


class Rating(models.Model):
    """One applicant's evaluation of the handling of one dossier, kept with the unit and the
    officers who handled it, for the reports.

    Ratings made since the official indices (``criteria_version`` = an index set's key, e.g.
    "tt01-2018") hold the applicant's factual answers and the scores of indices 1, 3, 4 and 7
    (``scores``, keyed by index number); the province's extra questions (NĐ 61/2018 Điều 31
    khoản 1 điểm i) are in ``answers`` too but are not scored. Older ratings
    (``criteria_version`` "2026-1") kept the three-level scale of ``criteria.py`` and stay
    readable as they were; they have no index scores."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="rating"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    criteria_version = models.CharField(max_length=20)
    channel = models.CharField(
        _("hình thức đánh giá"),
        max_length=10,
        choices=RatingChannel.choices,
        default=RatingChannel.ONLINE,
    )
    answers = models.JSONField(_("đánh giá theo tiêu chí"))
    scores = models.JSONField(_("điểm theo chỉ số"), default=dict, blank=True)
    overall = models.PositiveSmallIntegerField(_("đánh giá tổng thể"), null=True, blank=True)
    comment = models.TextField(_("góp ý"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.criteria_version}"


class UnitAssessment(models.Model):
    """A unit-level index assessed for a period from inspections, reports and approval
    decisions (TT 01/2018/TT-VPCP Điều 14 khoản 3 điểm c): indices 5, 6 and 8. The facts are
    kept (``facts``) and the score is computed from them by the index set's thresholds."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    index_set = models.CharField(_("bộ chỉ số"), max_length=20)
    index = models.PositiveSmallIntegerField(_("chỉ số"))
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    facts = models.JSONField(_("số liệu"), default=dict)
    score = models.PositiveSmallIntegerField(_("điểm"))
    basis = models.CharField(_("căn cứ (biên bản, báo cáo)"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("chấm điểm chỉ số của đơn vị")
        verbose_name_plural = _("chấm điểm chỉ số của đơn vị")
        ordering = ["unit", "index", "-period_end", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__lte=2), name="unit_assessment_score_range"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="unit_assessment_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} #{self.index}: {self.score}"
