"""Setting up a centre's queue in /admin/: counters with their weekly lines, service lines.

Scoped like the accounts admin (issue 9): a unit administrator sees and edits the counters and
lines of the centres in its unit subtree; a provincial administrator every centre. Tickets are
not edited here: they change only through the counter screen (``centre.services``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from egov.accounts.scope import administered_units
from egov.centre.models import Counter, CounterService, ServiceLine
from egov.org.models import RECEIVING_KINDS, Unit


class _CentreScoped:
    """Rows of the centres the administrator reaches; the centre offered among those only."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        units = administered_units(request.user)
        return queryset if units is None else queryset.filter(centre_id__in=units)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "centre":
            units = administered_units(request.user)
            centres = Unit.objects.valid_on(timezone.localdate()).filter(kind__in=RECEIVING_KINDS)
            kwargs["queryset"] = centres if units is None else centres.filter(pk__in=units)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class CounterServiceInline(admin.TabularInline[CounterService, Counter]):
    model = CounterService
    extra = 1

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "line":
            units = administered_units(request.user)
            lines = ServiceLine.objects.select_related("centre")
            kwargs["queryset"] = lines if units is None else lines.filter(centre_id__in=units)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Counter)
class CounterAdmin(_CentreScoped, admin.ModelAdmin[Counter]):
    list_display = ["centre", "number", "name", "active"]
    list_filter = ["active"]
    search_fields = ["centre__name", "name"]
    list_select_related = ["centre"]
    inlines = [CounterServiceInline]


@admin.register(ServiceLine)
class ServiceLineAdmin(_CentreScoped, admin.ModelAdmin[ServiceLine]):
    list_display = ["centre", "code", "name", "priority", "order", "active"]
    list_filter = ["priority", "active"]
    search_fields = ["centre__name", "name", "code"]
    list_select_related = ["centre"]
    filter_horizontal = ["fields", "procedures"]
