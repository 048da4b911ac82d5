"""Where a user's authority reaches: the units under the units where they hold a role.

Administration is scoped (issue 9): a unit administrator (role ``system_admin`` at a unit)
manages accounts and role assignments in that unit's subtree only; a provincial administrator
(``system_admin`` at a root unit, i.e. the province's People's Committee) or a superuser
(reserved for installation) manages the whole province.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from egov.accounts.models import Role, RoleAssignment, User
from egov.org.models import Unit


def unit_subtree_ids(roots: Iterable[int]) -> set[int]:
    """``roots`` and every unit below them (units of any validity period; one query)."""
    found = set(roots)
    if not found:
        return found
    children: dict[int, list[int]] = {}
    for pk, parent_id in Unit.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    pending = list(found)
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def _role_units(user: User, roles: Iterable[str]) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.valid_on(timezone.localdate()).filter(
        user=user, role__in=list(roles)
    )


def units_under_roles(user: User | AnonymousUser, roles: Iterable[str]) -> set[int] | None:
    """Units reached by ``user``'s roles among ``roles`` today (with their subtrees); None
    means the whole province (a superuser, or one of those roles at a root unit)."""
    if not isinstance(user, User):
        return set()
    if user.is_superuser:
        return None
    held = list(_role_units(user, roles).values_list("unit_id", "unit__parent_id"))
    if any(parent is None for _, parent in held):
        return None
    return unit_subtree_ids(unit for unit, _ in held)


def is_provincial_admin(user: User | AnonymousUser) -> bool:
    """A superuser, or a system administrator at a root unit (the province)."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return _role_units(user, [Role.SYSTEM_ADMIN]).filter(unit__parent__isnull=True).exists()


def administered_units(user: User | AnonymousUser) -> set[int] | None:
    """Units ``user`` administers (None: all of them; empty: none)."""
    if not isinstance(user, User) or not user.is_active:
        return set()
    return units_under_roles(user, [Role.SYSTEM_ADMIN])


def managed_users(actor: User | AnonymousUser) -> QuerySet[User]:
    """Accounts ``actor`` may administer. A unit administrator manages the accounts whose
    current and future roles all lie in its subtree, and accounts with no role yet that are
    neither citizens nor API clients (just created, waiting for their first role).
    Superusers and API clients are managed only by provincial administrators."""
    units = administered_units(actor)
    if units is None:
        return User.objects.all()
    if not units:
        return User.objects.none()
    current = RoleAssignment.objects.filter(
        user=OuterRef("pk"), valid_until__gt=timezone.localdate()
    )
    any_role = RoleAssignment.objects.filter(user=OuterRef("pk"))
    inside = Exists(current.filter(unit_id__in=units))
    outside = Exists(current.exclude(unit_id__in=units))
    unassigned = (
        ~Exists(any_role)
        & Q(citizen_profile__isnull=True)
        & Q(api_client__isnull=True)
        & Q(socialaccount__isnull=True)
    )
    return (
        User.objects.filter(is_superuser=False, api_client__isnull=True)
        .filter((inside & ~outside) | unassigned)
        .distinct()
    )


def may_manage_user(actor: User | AnonymousUser, user: User) -> bool:
    return managed_users(actor).filter(pk=user.pk).exists()
