"""The targets of the province's e-government plan (Đề án Chính quyền điện tử, QĐ 2459/QĐ-UBND
2012, targets 1.2.x) as versioned data, and the figures the responsible units enter for the
targets egov cannot compute (training, outreach).

A target row is one version of one target (``code`` + validity period): when the law or the
organisation changes what a target means — the districts abolished on 01/07/2025 — a new row
starts that day and the old one ends, so a past quarter is measured by the target then in force.
Rows come from ``reports/data/plan-targets/*.json`` (``manage.py load_plan_targets``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.validity import ValidityPeriod, ValidityQuerySet, validity_constraint
from egov.workdays.models import Confidence


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "≥"
    MORE_THAN = "gt", ">"
    EQUAL = "eq", "="


class Measure(models.TextChoices):
    """How a target's value is found: a computation over egov's data, or entered."""

    PROCEDURES_INFORMATION = "procedures_information", _("Thủ tục có đủ thông tin trực tuyến")
    PROCEDURES_ONLINE_SUBMISSION = (
        "procedures_online_submission",
        _("Thủ tục cho phép nộp hồ sơ trực tuyến"),
    )
    PROCEDURES_AT_CENTRES = "procedures_at_centres", _("Thủ tục giải quyết tại trung tâm")
    DOCUMENTS_ELECTRONIC = "documents_electronic", _("Văn bản trao đổi dạng điện tử")
    DOCUMENTS_SIGNED = "documents_signed", _("Văn bản điện tử được ký số")
    UNITS_ACTIVE = "units_active", _("Đơn vị tham gia hệ thống")
    STAFF_ACTIVE = "staff_active", _("Cán bộ sử dụng hệ thống")
    ENTERED = "entered", _("Nhập có minh chứng")


class Plan(models.Model):
    """The decision that set the targets, and who reports on them to the province."""

    key = models.SlugField(_("khóa"), max_length=60, unique=True)
    title = models.CharField(_("tên đề án, kế hoạch"), max_length=300)
    decision = models.CharField(_("quyết định phê duyệt"), max_length=300)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    confidence = models.CharField(
        _("mức kiểm chứng"), max_length=1, choices=Confidence.choices, default=Confidence.UNVERIFIED
    )
    source = models.TextField(_("nguồn"), blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    # [{"unit": key, "valid_from": date|null, "valid_until": date|null, "confirmed": bool}]
    reporting_units = models.JSONField(_("đơn vị báo cáo"), default=list, blank=True)

    class Meta:
        verbose_name = _("đề án, kế hoạch")
        verbose_name_plural = _("đề án, kế hoạch")

    def __str__(self) -> str:
        return self.title


class PlanTarget(ValidityPeriod):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("đề án")
    )
    code = models.CharField(_("mã chỉ tiêu"), max_length=20)
    name = models.CharField(_("tên chỉ tiêu"), max_length=500)
    comparison = models.CharField(
        _("so sánh"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    # Null: the plan's text was not found, the target value stays "chưa xác định".
    target_value = models.DecimalField(
        _("giá trị chỉ tiêu"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=20, default="%")
    measure = models.CharField(_("cách xác định"), max_length=40, choices=Measure.choices)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    # [{"unit": key, "valid_from": date|null, "valid_until": date|null}] for entered targets.
    responsible_units = models.JSONField(_("đơn vị nhập số liệu"), default=list, blank=True)
    article = models.CharField(_("điều, mục"), max_length=200, blank=True)
    confidence = models.CharField(
        _("mức kiểm chứng"), max_length=1, choices=Confidence.choices, default=Confidence.UNVERIFIED
    )
    method = models.TextField(_("cách tính"), blank=True)
    unconfirmed = models.JSONField(_("thông tin chưa xác nhận"), default=list, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu đề án")
        verbose_name_plural = _("chỉ tiêu đề án")
        ordering = ["plan", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code", "valid_from"], name="plan_target_version_unique"
            ),
            validity_constraint("plan_target_validity_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def is_entered(self) -> bool:
        return self.measure == Measure.ENTERED


class PlanTargetEntry(models.Model):
    """A figure entered by the responsible unit for one quarter, with its evidence. A later
    entry for the same quarter replaces the earlier one in the reports; both are kept."""

    target = models.ForeignKey(
        PlanTarget, on_delete=models.PROTECT, related_name="entries", verbose_name=_("chỉ tiêu")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    value = models.DecimalField(_("giá trị"), max_digits=7, decimal_places=2)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị nhập")
    )
    evidence_file = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tệp minh chứng"),
    )
    evidence_reference = models.CharField(
        _("văn bản minh chứng (số, ký hiệu, ngày)"), max_length=300, blank=True
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    entered_at = models.DateTimeField(_("nhập lúc"))

    class Meta:
        verbose_name = _("số liệu chỉ tiêu nhập theo quý")
        verbose_name_plural = _("số liệu chỉ tiêu nhập theo quý")
        ordering = ["target", "year", "quarter", "-entered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="plan_entry_quarter"
            ),
            models.CheckConstraint(
                condition=~models.Q(evidence_reference="") | models.Q(evidence_file__isnull=False),
                name="plan_entry_has_evidence",
            ),
        ]
        indexes = [models.Index(fields=["target", "year", "quarter"], name="plan_entry_idx")]

    def __str__(self) -> str:
        return f"{self.target.code} {self.year}-Q{self.quarter}: {self.value}"
