from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.forms import ModelForm
from django.http import HttpRequest

from egov.accounts.models import RoleAssignment, User
from egov.accounts.services import role_assign, role_delete, role_update


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("egov", {"fields": ("full_name",)}))  # type: ignore[misc]
    list_display = ["username", "full_name", "email", "is_staff", "is_active"]
    search_fields = ["username", "full_name", "email"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ["user", "role", "unit", "valid_from", "valid_until"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__name", "unit__code"]
    autocomplete_fields = ["user", "unit"]

    def save_model(
        self,
        request: HttpRequest,
        obj: RoleAssignment,
        form: ModelForm[RoleAssignment],
        change: bool,
    ) -> None:
        if change:
            changes: dict[str, Any] = {name: form.cleaned_data[name] for name in form.changed_data}
            role_update(actor=request.user, assignment=obj, changes=changes)
        else:
            created = role_assign(
                actor=request.user,
                user=obj.user,
                unit=obj.unit,
                role=obj.role,
                valid_from=obj.valid_from,
                valid_until=obj.valid_until,
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        role_delete(actor=request.user, assignment=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for assignment in queryset:
            role_delete(actor=request.user, assignment=assignment)
