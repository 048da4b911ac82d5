"""Accounts, role assignments and API clients in /admin/, scoped (issue 9): a unit
administrator sees and manages the accounts and role assignments of its own unit subtree; a
provincial administrator the whole province; API clients are provincial. The services are the
real guard (accounts.services.role_authority_check); the admin reflects them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.accounts.actors import signed_in
from egov.accounts.admin_scope import ProvincialOnlyAdmin, _provincial
from egov.accounts.models import ApiClient, RoleAssignment, User
from egov.accounts.scope import administered_units, managed_users
from egov.accounts.services import (
    api_client_revoke,
    api_client_rotate,
    role_assign,
    role_authority_check,
    role_delete,
    role_update,
)
from egov.org.models import Unit

# Only a superuser (installation) makes superusers; only provincial administrators hand out
# Django groups and permissions.
SUPERUSER_ONLY = ("is_superuser",)
PROVINCIAL_ONLY = ("groups", "user_permissions")


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("egov", {"fields": ("full_name",)}))  # type: ignore[misc]
    list_display = ["username", "full_name", "email", "is_staff", "is_active"]
    search_fields = ["username", "full_name", "email"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).filter(pk__in=managed_users(request.user).values("pk"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += SUPERUSER_ONLY
        if not _provincial(request):
            fields += PROVINCIAL_ONLY
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Accounts are deactivated, not deleted (their audit trail and dossiers refer to
        # them); only provincial administrators may delete one made by mistake.
        return _provincial(request) and super().has_delete_permission(request, obj)


class RoleAssignmentForm(forms.ModelForm[RoleAssignment]):
    actor: User | None = None

    class Meta:
        model = RoleAssignment
        fields = ["user", "unit", "role", "valid_from", "valid_until"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        user, unit = cleaned.get("user"), cleaned.get("unit")
        if self.errors or user is None or unit is None:
            return cleaned
        try:
            if self.instance.pk:
                stored = RoleAssignment.objects.select_related("user", "unit").get(
                    pk=self.instance.pk
                )
                role_authority_check(self.actor, user=stored.user, units=[stored.unit])
            role_authority_check(
                self.actor,
                user=user,
                units=[unit],
                new_user=not self.instance.pk or self.instance.user_id != user.pk,
            )
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return cleaned


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    form = RoleAssignmentForm
    list_display = ["user", "role", "unit", "valid_from", "valid_until"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__name", "unit__code"]
    list_select_related = ["user", "unit"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleAssignment]:
        queryset = super().get_queryset(request)
        units = administered_units(request.user)
        return queryset if units is None else queryset.filter(unit_id__in=units)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        # A subclass per request: the form checks with the service who is acting.
        return type(form.__name__, (form,), {"actor": signed_in(request)})

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "unit":
            units = administered_units(request.user)
            valid = Unit.objects.valid_on(timezone.localdate())
            kwargs["queryset"] = valid if units is None else valid.filter(pk__in=units)
        elif db_field.name == "user":
            # The administrator itself is offered too: the service refuses it with a message
            # the form shows, rather than the account silently missing from the list.
            kwargs["queryset"] = User.objects.filter(
                pk__in=managed_users(request.user).values("pk")
            ).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _own(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and obj.user_id == request.user.pk

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._own(request, obj) and super().has_delete_permission(request, obj)

    def save_model(
        self,
        request: HttpRequest,
        obj: RoleAssignment,
        form: ModelForm[RoleAssignment],
        change: bool,
    ) -> None:
        if change:
            changes: dict[str, Any] = {name: form.cleaned_data[name] for name in form.changed_data}
            role_update(actor=signed_in(request), assignment=obj, changes=changes)
        else:
            created = role_assign(
                actor=signed_in(request),
                user=obj.user,
                unit=obj.unit,
                role=obj.role,
                valid_from=obj.valid_from,
                valid_until=obj.valid_until,
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        role_delete(actor=signed_in(request), assignment=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for assignment in queryset:
            try:
                role_delete(actor=signed_in(request), assignment=assignment)
            except ValidationError as exc:
                self.message_user(
                    request, f"{assignment}: {' '.join(exc.messages)}", messages.ERROR
                )


API_CLIENT_FIELDS = (
    "name",
    "user",
    "key_prefix",
    "active",
    "created_at",
    "expires_at",
    "rotated_at",
    "revoked_at",
    "last_used_at",
)


@admin.register(ApiClient)
class ApiClientAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[ApiClient]):
    """Provincial administrators revoke keys and rotate them (the new key is shown once, on
    the page that answers the action, and never stored in clear). Clients are created with
    ``manage.py api_client create``."""

    list_display = [
        "name",
        "user",
        "key_prefix",
        "active",
        "expires_at",
        "last_used_at",
        "rotated_at",
        "revoked_at",
    ]
    list_filter = ["active"]
    search_fields = ["name", "key_prefix"]
    readonly_fields = API_CLIENT_FIELDS
    fields = API_CLIENT_FIELDS
    actions = ["revoke", "rotate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked clients stay listed: the audit trail refers to them

    @admin.action(description=gettext_lazy("Thu hồi khóa (ngừng hoạt động ngay)"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        for client in queryset:
            try:
                api_client_revoke(actor=signed_in(request), client=client, reason="admin")
            except ValidationError as exc:
                self.message_user(request, f"{client}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Đã thu hồi khóa của “%s”.") % client.name)

    @admin.action(description=gettext_lazy("Đổi khóa (khóa mới hiển thị một lần)"))
    def rotate(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> HttpResponse | None:
        keys: list[tuple[ApiClient, str]] = []
        for client in queryset:
            try:
                keys.append(api_client_rotate(actor=signed_in(request), client=client))
            except ValidationError as exc:
                self.message_user(request, f"{client}: {' '.join(exc.messages)}", messages.ERROR)
        if not keys:
            return None
        return TemplateResponse(
            request,
            "admin/accounts/apiclient/new_keys.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Khóa mới — lưu ngay, sẽ không hiển thị lại"),
                "keys": keys,
            },
        )  # admin pages are never cached (Cache-Control: no-store)
