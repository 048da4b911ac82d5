"""Catalog administration. Published versions are read-only: "Tạo bản nháp để sửa" makes a
new draft through the service, so the version in force and its history stay intact."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from egov.accounts.actors import signed_in
from egov.accounts.admin_scope import ProvincialOnlyAdmin
from egov.audit.services import audit_record
from egov.catalog.models import (
    Channel,
    Component,
    FeeRule,
    FormTemplate,
    Procedure,
    ProcedureField,
    ProcedureVersion,
    ProcessStep,
    VersionStatus,
)
from egov.catalog.search import index_version
from egov.catalog.services import procedure_version_edit, procedure_version_publish


@admin.register(ProcedureField)
class ProcedureFieldAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[ProcedureField]):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]


class DraftOnlyInline:
    """Inlines of a version can be changed only while the version is a draft."""

    def _editable(self, obj: Any) -> bool:
        return obj is None or getattr(obj, "status", VersionStatus.DRAFT) == VersionStatus.DRAFT

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj)


class ChannelInline(DraftOnlyInline, admin.TabularInline[Channel, ProcedureVersion]):
    model = Channel
    extra = 0
    show_change_link = True


class ComponentInline(DraftOnlyInline, admin.TabularInline[Component, ProcedureVersion]):
    model = Component
    extra = 0
    show_change_link = True


class ProcessStepInline(DraftOnlyInline, admin.TabularInline[ProcessStep, ProcedureVersion]):
    model = ProcessStep
    extra = 0
    autocomplete_fields = ["unit"]


class VersionInline(admin.TabularInline[ProcedureVersion, Procedure]):
    model = ProcedureVersion
    fields = readonly_fields = (
        "number",
        "status",
        "name",
        "valid_from",
        "valid_until",
        "published_at",
        "change_note",
    )
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[Procedure]):
    """The procedure with its full version history."""

    list_display = ["national_code", "key"]
    search_fields = ["national_code", "key", "versions__name"]
    inlines = [VersionInline]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[ProcedureVersion]):
    list_display = ["name", "procedure", "number", "status", "field", "valid_from", "valid_until"]
    list_filter = ["status", "field", "implementing_level", "online_service"]
    search_fields = ["name", "procedure__national_code", "procedure__key"]
    inlines = [ChannelInline, ComponentInline, ProcessStepInline]
    autocomplete_fields = ["competent_unit", "implementing_units", "coordinating_units"]
    actions = ["create_draft", "publish"]
    exclude = ["search_text"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        lifecycle = ["procedure", "number", "status", "valid_from", "valid_until", "published_at"]
        if obj is None or obj.status == VersionStatus.DRAFT:
            return lifecycle[1:] if obj else ["status", "valid_from", "valid_until", "published_at"]
        return [f.name for f in ProcedureVersion._meta.fields if f.name != "search_text"] + [
            "implementing_units",
            "coordinating_units",
        ]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        index_version(form.instance)
        if form.instance.status == VersionStatus.DRAFT:
            audit_record(
                actor=request.user,
                action="catalog.draft_edited" if change else "catalog.draft_created",
                target=form.instance,
                details={"via": "admin"},
            )

    @admin.action(description="Tạo bản nháp để sửa (giữ nguyên phiên bản đang áp dụng)")
    def create_draft(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset:
            try:
                draft = procedure_version_edit(
                    actor=signed_in(request), version=version, changes={}
                )
            except ValidationError as exc:
                self.message_user(request, f"{version}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request, f"Đã tạo bản nháp phiên bản {draft.number} của {version.procedure}."
                )

    @admin.action(description="Công bố bản nháp (hiệu lực từ hôm nay)")
    def publish(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset:
            try:
                procedure_version_publish(actor=signed_in(request), version=version)
            except ValidationError as exc:
                self.message_user(request, f"{version}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"Đã công bố {version}.")


class FeeRuleInline(admin.TabularInline[FeeRule, Channel]):
    model = FeeRule
    extra = 0


@admin.register(Channel)
class ChannelAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[Channel]):
    list_display = ["version", "kind", "time_kind", "time_amount"]
    inlines = [FeeRuleInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.version.status == VersionStatus.DRAFT)


class FormTemplateInline(admin.TabularInline[FormTemplate, Component]):
    model = FormTemplate
    extra = 0


@admin.register(Component)
class ComponentAdmin(ProvincialOnlyAdmin, admin.ModelAdmin[Component]):
    list_display = ["name", "version", "required"]
    inlines = [FormTemplateInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.version.status == VersionStatus.DRAFT)
