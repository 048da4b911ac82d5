from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from egov.accounts.admin_scope import ProvincialOnlyAdmin
from egov.audit.services import audit_record
from egov.workdays.models import (
    CalendarDay,
    CalendarDecision,
    DayCountingRule,
    WorkPeriod,
    WorkSchedule,
)
from egov.workdays.selectors import year_calendar
from egov.workdays.services import calendar_decision_audit


class CalendarDayInline(admin.TabularInline[CalendarDay, CalendarDecision]):
    model = CalendarDay
    extra = 1


@admin.register(CalendarDecision)
class CalendarDecisionAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[CalendarDecision]):
    """Calendar changes are audited: the decision's full state after each save."""

    list_display = ["year", "number", "issued_on", "title", "confidence", "unit"]
    list_filter = ["year", "confidence"]
    search_fields = ["title", "number"]
    inlines = [CalendarDayInline]
    autocomplete_fields = ["unit"]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The years that matter for deadlines now: say which are still computed by default.
        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1):
            note = year_calendar(year).note
            if note:
                messages.warning(request, note)
        return super().changelist_view(request, extra_context)

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        calendar_decision_audit(
            actor=request.user,
            decision=form.instance,
            action="workdays.decision_changed" if change else "workdays.decision_created",
        )

    def delete_model(self, request: HttpRequest, obj: CalendarDecision) -> None:
        calendar_decision_audit(
            actor=request.user, decision=obj, action="workdays.decision_deleted"
        )
        super().delete_model(request, obj)


class WorkPeriodInline(admin.TabularInline[WorkPeriod, WorkSchedule]):
    model = WorkPeriod
    extra = 1


@admin.register(WorkSchedule)
class WorkScheduleAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[WorkSchedule]):
    list_display = ["name", "unit", "valid_from", "valid_until"]
    inlines = [WorkPeriodInline]
    autocomplete_fields = ["unit"]

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        schedule = form.instance
        audit_record(
            actor=request.user,
            action="workdays.schedule_changed" if change else "workdays.schedule_created",
            target=schedule,
            details={
                "unit": schedule.unit.key if schedule.unit else None,
                "periods": [
                    [p.weekday, p.start.isoformat(), p.end.isoformat()]
                    for p in schedule.periods.all()
                ],
            },
        )


@admin.register(DayCountingRule)
class DayCountingRuleAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[DayCountingRule]):
    """The rule applies to deadlines computed from its date on; stored due moments stay."""

    list_display = ["rule", "unit", "valid_from", "valid_until"]
    autocomplete_fields = ["unit"]

    def save_model(
        self, request: HttpRequest, obj: DayCountingRule, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="workdays.day_counting_changed" if change else "workdays.day_counting_created",
            target=obj,
            details={
                "unit": obj.unit.key if obj.unit else None,
                "rule": obj.rule,
                "valid_from": obj.valid_from.isoformat(),
                "valid_until": obj.valid_until.isoformat(),
            },
        )
