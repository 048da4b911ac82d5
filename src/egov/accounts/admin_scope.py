"""Who sees what in /admin/ (issue 9): data that covers the whole province or holds personal
data of every unit — the outbox, the audit trail, API clients, the organisation registry, the
catalog, calendars — is for provincial administrators only (system_admin at the province's
root unit, or a superuser reserved for installation), on top of the Django model permission.
Unit administrators manage accounts and role assignments of their own subtree
(accounts.admin)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from egov.accounts.scope import is_provincial_admin


def _provincial(request: HttpRequest) -> bool:
    cached = getattr(request, "_egov_provincial_admin", None)
    if cached is None:
        cached = is_provincial_admin(request.user)
        request._egov_provincial_admin = cached  # type: ignore[attr-defined]
    return bool(cached)


class ProvincialOnlyAdmin:
    """Mixin placed before ``admin.ModelAdmin``: every permission also needs a provincial
    administrator."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _provincial(request) and bool(super().has_module_permission(request))  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _provincial(request) and bool(super().has_view_permission(request, obj))  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _provincial(request) and bool(super().has_add_permission(request, *args))  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _provincial(request) and bool(super().has_change_permission(request, obj))  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _provincial(request) and bool(super().has_delete_permission(request, obj))  # type: ignore[misc]
