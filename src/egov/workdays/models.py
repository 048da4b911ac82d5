"""Office hours and yearly holiday decisions, stored as data with their legal source."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.validity import ValidityPeriod, ValidityQuerySet, validity_constraint
from egov.workdays.engine import DayCounting
from egov.workdays.rules import HOLIDAY_NAMES

# Field lengths the loader checks too (SQLite does not enforce them, PostgreSQL does).
TITLE_LENGTH, NUMBER_LENGTH, DAY_NAME_LENGTH = 300, 100, 200


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Thứ Hai")
    TUESDAY = 1, _("Thứ Ba")
    WEDNESDAY = 2, _("Thứ Tư")
    THURSDAY = 3, _("Thứ Năm")
    FRIDAY = 4, _("Thứ Sáu")
    SATURDAY = 5, _("Thứ Bảy")
    SUNDAY = 6, _("Chủ nhật")


class WorkSchedule(ValidityPeriod):
    """Office hours of a unit (or, without a unit, the default for every unit). A unit
    without its own schedule uses its nearest ancestor's, then the default."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="work_schedules",
        help_text=_("Để trống: lịch mặc định cho mọi đơn vị."),
    )
    name = models.CharField(_("tên lịch"), max_length=200)
    source = models.CharField(_("căn cứ"), max_length=500, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        indexes = [
            models.Index(fields=["unit", "valid_from", "valid_until"], name="schedule_unit_idx")
        ]
        constraints = [validity_constraint("schedule_validity_order")]

    def __str__(self) -> str:
        return self.name


class WorkPeriod(models.Model):
    schedule = models.ForeignKey(WorkSchedule, on_delete=models.CASCADE, related_name="periods")
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    start = models.TimeField(_("từ"))
    end = models.TimeField(_("đến"))

    class Meta:
        verbose_name = _("ca làm việc")
        verbose_name_plural = _("ca làm việc")
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="period_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class Confidence(models.TextChoices):
    """How far a decision's content was checked (the labels of the legal audit, §0). Only
    PRIMARY counts as checked; every other level is shown as "chưa đối chiếu"."""

    PRIMARY = "P", _("Đã đối chiếu văn bản gốc")
    SECONDARY = "S", _("Theo nguồn thứ cấp (báo chí, cổng thông tin)")
    IMPLEMENTATIONS = "I", _("Theo hệ thống khác")
    UNVERIFIED = "U", _("Chưa kiểm chứng")


class CalendarDecision(models.Model):
    """A yearly decision on days off (Bộ luật Lao động 2019 Điều 112 khoản 3: the Prime
    Minister fixes the Tết and Quốc khánh days; the Ministry of Home Affairs announces the
    schedule for state agencies, often with swapped working days — a weekday off and a
    Saturday worked, both rows of one decision). Its off days replace the rule-computed days
    of the same holiday for that year."""

    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("văn bản"), max_length=TITLE_LENGTH)
    number = models.CharField(
        _("số, ký hiệu"),
        max_length=NUMBER_LENGTH,
        blank=True,
        help_text=_("Vd. 12729/VPCP-KGVX."),
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    confidence = models.CharField(
        _("mức kiểm chứng"),
        max_length=1,
        choices=Confidence.choices,
        default=Confidence.UNVERIFIED,
        help_text=_("Chỉ chọn “Đã đối chiếu văn bản gốc” sau khi đọc chính văn bản."),
    )
    # Sources of a decision known only from reports name several articles: no length limit.
    source = models.TextField(_("nguồn"), blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("phạm vi đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_decisions",
        help_text=_("Để trống: áp dụng toàn quốc / toàn tỉnh."),
    )
    notes = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("quyết định lịch nghỉ")
        verbose_name_plural = _("quyết định lịch nghỉ")
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["year"], name="decision_year_idx")]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"

    @property
    def confirmed(self) -> bool:
        return self.confidence == Confidence.PRIMARY

    @property
    def reference(self) -> str:
        """The number and date, as cited next to each day (falls back to the title)."""
        if not self.number:
            return self.title
        if self.issued_on:
            return f"{self.number} ngày {self.issued_on:%d/%m/%Y}"
        return self.number


class DayKind(models.TextChoices):
    OFF = "off", _("Ngày nghỉ")
    WORKING = "working", _("Ngày làm việc (làm bù)")


class CalendarDay(models.Model):
    decision = models.ForeignKey(CalendarDecision, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=10, choices=DayKind.choices)
    holiday_key = models.CharField(
        _("dịp nghỉ"),
        max_length=30,
        choices=list(HOLIDAY_NAMES.items()),
        blank=True,
        help_text=_("Ngày nghỉ của dịp này thay thế ngày tính theo quy tắc trong năm đó."),
    )
    name = models.CharField(_("tên"), max_length=DAY_NAME_LENGTH)
    works_as_weekday = models.PositiveSmallIntegerField(
        _("làm việc theo giờ của"),
        choices=Weekday.choices,
        null=True,
        blank=True,
        help_text=_("Ngày làm bù dùng giờ làm việc của thứ này (mặc định: Thứ Hai)."),
    )

    class Meta:
        verbose_name = _("ngày trong quyết định")
        verbose_name_plural = _("ngày trong quyết định")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "date"], name="decision_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    def clean(self) -> None:
        if self.decision_id and self.date and self.date.year != self.decision.year:
            raise ValidationError(_("Ngày phải thuộc năm của quyết định."))
        if self.kind == DayKind.OFF and not self.holiday_key:
            raise ValidationError(
                _("Ngày nghỉ cần ghi rõ dịp nghỉ (hoặc “ngày nghỉ theo quyết định”).")
            )


class DayCountingRule(ValidityPeriod):
    """How whole working days are counted for a province (set on its root unit) or, without
    a unit, for every unit. A unit uses its nearest ancestor's rule, then the one without a
    unit, then the default of ``egov.workdays.engine`` (docs/calendar.md). A deadline is
    computed once, with the rule in force on the day of receipt, and stored: changing the
    rule never moves a stored dossier's due moment."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="day_counting_rules",
        help_text=_("Đơn vị gốc của tỉnh (UBND tỉnh); để trống: mọi đơn vị."),
    )
    rule = models.CharField(
        _("cách tính"),
        max_length=20,
        choices=[
            (
                DayCounting.END_OF_DAY.value,
                _(
                    "Không tính ngày tiếp nhận; hết hạn khi hết giờ làm việc của ngày cuối "
                    "(Bộ luật Dân sự 2015 Điều 147, 148)"
                ),
            ),
            (
                DayCounting.SAME_TIME.value,
                _("Giữ nguyên giờ tiếp nhận: hết hạn cùng giờ của ngày làm việc cuối"),
            ),
        ],
    )
    basis = models.TextField(_("căn cứ, lý do"))

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("cách tính thời hạn theo ngày")
        verbose_name_plural = _("cách tính thời hạn theo ngày")
        indexes = [
            models.Index(fields=["unit", "valid_from", "valid_until"], name="counting_unit_idx")
        ]
        constraints = [validity_constraint("counting_validity_order")]

    def __str__(self) -> str:
        return str(self.get_rule_display())
