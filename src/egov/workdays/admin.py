from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from egov.accounts.admin_scope import ProvincialOnlyAdmin
from egov.audit.services import audit_record
from egov.workdays.models import CalendarDay, CalendarDecision, WorkPeriod, WorkSchedule
from egov.workdays.services import calendar_decision_audit


class CalendarDayInline(admin.TabularInline[CalendarDay, CalendarDecision]):
    model = CalendarDay
    extra = 1


@admin.register(CalendarDecision)
class CalendarDecisionAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[CalendarDecision]):
    """Calendar changes are audited: the decision's full state after each save."""

    list_display = ["year", "title", "unit"]
    list_filter = ["year"]
    search_fields = ["title"]
    inlines = [CalendarDayInline]
    autocomplete_fields = ["unit"]

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
