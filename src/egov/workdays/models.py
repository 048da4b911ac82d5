"""Office hours and yearly holiday decisions, stored as data with their legal source."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.validity import ValidityPeriod, ValidityQuerySet, validity_constraint
from egov.workdays.rules import HOLIDAY_NAMES


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


class CalendarDecision(models.Model):
    """A yearly decision on days off (Bộ luật Lao động 2019 Điều 112 khoản 3: the Prime
    Minister fixes the Tết and Quốc khánh days; the Ministry of Home Affairs announces the
    schedule for state agencies, often with swapped working days). Its off days replace the
    rule-computed days of the same holiday for that year."""

    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("văn bản"), max_length=300)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)
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
    name = models.CharField(_("tên"), max_length=200)
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
