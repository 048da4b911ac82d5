"""Who sees the plan's targets and who enters their figures.

The targets measure the whole province, so they are shown to the provincial level: a
supervisor or system administrator whose role reaches the whole province
(``units_under_roles`` → None), a leader, supervisor or administrator of the provincial service
centre (a centre directly under the province's root unit), and the leaders of the
unit that reports the plan's progress (Sở Thông tin và Truyền thông, since 01/03/2025 Sở Khoa
học và Công nghệ: ``Plan.reporting_units``). A figure is entered by staff of the unit
responsible for that target on the quarter's last day (``PlanTarget.responsible_units``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from egov.accounts.models import Role, RoleAssignment, User
from egov.accounts.scope import units_under_roles
from egov.core.validity import OPEN_END, OPEN_START
from egov.org.models import Unit, UnitKind
from egov.reports.targets_models import Plan, PlanTarget

PROVINCE_ROLES = (Role.SUPERVISOR, Role.SYSTEM_ADMIN, Role.CENTRE_LEADER)
REPORTING_ROLES = (Role.DEPARTMENT_LEADER, Role.SYSTEM_ADMIN, Role.SUPERVISOR)
ENTRY_ROLES = (Role.DEPARTMENT_LEADER, Role.SPECIALIST, Role.CLERK, Role.SYSTEM_ADMIN)


def _day(value: Any, default: dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if value else default


def units_on(ranges: Iterable[dict[str, Any]], day: dt.date) -> list[str]:
    """The unit keys of ``ranges`` (``{"unit", "valid_from", "valid_until"}``) in force on
    ``day`` (from inclusive, until exclusive, as every validity period)."""
    return [
        row["unit"]
        for row in ranges
        if _day(row.get("valid_from"), OPEN_START) <= day < _day(row.get("valid_until"), OPEN_END)
    ]


def reporting_unit(plan: Plan, day: dt.date) -> Unit | None:
    keys = units_on(plan.reporting_units, day)
    return Unit.objects.filter(key=keys[0]).first() if keys else None


def _roles_at(user: User, roles: Iterable[str]) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(user=user, role__in=list(roles))
        .select_related("unit", "unit__parent")
    )


def may_view_plan_targets(user: User | AnonymousUser) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    if units_under_roles(user, [Role.SUPERVISOR, Role.SYSTEM_ADMIN]) is None:
        return True
    for held in _roles_at(user, PROVINCE_ROLES):
        unit = held.unit
        if (
            unit.kind == UnitKind.SERVICE_CENTRE
            and unit.parent is not None
            and unit.parent.parent_id is None
        ):
            return True
    today = timezone.localdate()
    reporting = {
        key for plan in Plan.objects.all() for key in units_on(plan.reporting_units, today)
    }
    return any(held.unit.key in reporting for held in _roles_at(user, REPORTING_ROLES))


def responsible_units(target: PlanTarget, day: dt.date) -> list[Unit]:
    keys = units_on(target.responsible_units, day)
    return list(Unit.objects.filter(key__in=keys).order_by("name"))


def quarter_last_day(year: int, quarter: int) -> dt.date:
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def may_enter_for(user: User, target: PlanTarget, unit: Unit, year: int, quarter: int) -> bool:
    """``unit`` is responsible for ``target`` on the quarter's last day and ``user`` holds an
    entry role at that unit (or above it) today."""
    if not 1 <= quarter <= 4:
        return False
    day = quarter_last_day(year, quarter)
    if unit.key not in units_on(target.responsible_units, day):
        return False
    reach = units_under_roles(user, ENTRY_ROLES)
    return reach is None or unit.pk in reach


def entry_units(user: User, target: PlanTarget, year: int, quarter: int) -> list[Unit]:
    """The responsible units of ``target`` in that quarter that ``user`` may enter for."""
    if not 1 <= quarter <= 4:
        return []
    units = responsible_units(target, quarter_last_day(year, quarter))
    return [unit for unit in units if may_enter_for(user, target, unit, year, quarter)]
