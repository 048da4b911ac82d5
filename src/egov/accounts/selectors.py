"""Reads about accounts: which roles a user holds, and where."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from egov.accounts.models import RoleAssignment, User

if TYPE_CHECKING:
    from egov.accounts.actors import Actor


def active_role_assignments(user: Actor, day: dt.date | None = None) -> QuerySet[RoleAssignment]:
    if not isinstance(user, User) or not user.is_authenticated:
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.valid_on(day or timezone.localdate())
        .filter(user=user)
        .select_related("unit")
    )


def roles_today(user: Actor) -> frozenset[str]:
    """The roles ``user`` holds today, in any unit. Kept on the user object for the rest of
    the request (the menu, the MFA check and the page all ask), so it costs one query."""
    if not isinstance(user, User) or not user.is_authenticated:
        return frozenset()
    today = timezone.localdate()
    cached = getattr(user, "_egov_roles_today", None)
    if cached is not None and cached[0] == today:
        return frozenset(cached[1])
    roles = frozenset(
        str(role) for role in active_role_assignments(user).values_list("role", flat=True)
    )
    setattr(user, "_egov_roles_today", (today, roles))  # noqa: B010 (a per-request memo)
    return roles


def is_staff_member(user: Actor) -> bool:
    """Officials: anyone with admin access or an active role in a unit."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(roles_today(user))


def has_totp(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())
