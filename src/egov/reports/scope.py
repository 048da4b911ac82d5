"""Whose reports a staff user may read: the units below those where they hold a leader,
supervisor or administrator role (egov.accounts.scope), the whole province only for a role at
the province's People's Committee (the unit with ``EGOV_NATIONAL_UNIT_CODE``) or a superuser.

``accounts.scope.units_under_roles`` reads a role at any root unit as the whole province; the
organisation has other roots (the provincial police, outside the People's Committee's tree),
whose leaders see their own subtree here, not the province's figures."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from egov.accounts.models import Role, RoleAssignment, User
from egov.accounts.scope import unit_subtree_ids, units_under_roles

REPORT_ROLES = (Role.DEPARTMENT_LEADER, Role.CENTRE_LEADER, Role.SUPERVISOR, Role.SYSTEM_ADMIN)


def report_units(user: User | AnonymousUser) -> set[int] | None:
    """Units whose reports ``user`` reads (None: the whole province; empty: none)."""
    units = units_under_roles(user, REPORT_ROLES)
    if units is not None or not isinstance(user, User) or user.is_superuser:
        return units
    held = list(
        RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(user=user, role__in=REPORT_ROLES)
        .values_list("unit_id", "unit__code")
    )
    if any(code == settings.EGOV_NATIONAL_UNIT_CODE for _unit, code in held):
        return None
    return unit_subtree_ids(unit for unit, _code in held)
