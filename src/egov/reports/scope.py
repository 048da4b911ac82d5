"""Whose reports a staff user may read: the units below those where they hold a leader,
supervisor or administrator role (egov.accounts.scope), the whole province only for a role at
the province's People's Committee (the unit with ``EGOV_NATIONAL_UNIT_CODE``) or a superuser.

``accounts.scope.units_under_roles`` reads a role at any root unit as the whole province; the
organisation has other roots (the provincial police, outside the People's Committee's tree),
whose leaders and administrators see their own subtree here, not the province's figures or
dossiers. Biểu 06, the service index and the dashboards all ask ``report_units``."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from egov.accounts.models import Role, RoleAssignment, User
from egov.accounts.scope import unit_subtree_ids

REPORT_ROLES = (Role.DEPARTMENT_LEADER, Role.CENTRE_LEADER, Role.SUPERVISOR, Role.SYSTEM_ADMIN)


def report_units(
    user: User | AnonymousUser, roles: Iterable[str] = REPORT_ROLES
) -> set[int] | None:
    """Units whose figures and dossiers ``user`` reads through a report, a dashboard or the
    service index, by the roles among ``roles`` held today (None: the whole province; empty:
    none). The one rule of every report in this app."""
    if not isinstance(user, User) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    held = list(
        RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(user=user, role__in=list(roles))
        .values_list("unit_id", "unit__code")
    )
    if any(code == settings.EGOV_NATIONAL_UNIT_CODE for _unit, code in held):
        return None
    return unit_subtree_ids(unit for unit, _code in held)
