"""Reads about accounts: which roles a user holds, and where."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from egov.accounts.models import RoleAssignment


def active_role_assignments(user: Any, day: dt.date | None = None) -> QuerySet[RoleAssignment]:
    if not getattr(user, "is_authenticated", False):
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.valid_on(day or timezone.localdate())
        .filter(user=user)
        .select_related("unit")
    )


def roles_today(user: Any) -> frozenset[str]:
    """The roles ``user`` holds today, in any unit. Kept on the user object for the rest of
    the request (the menu, the MFA check and the page all ask), so it costs one query."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    today = timezone.localdate()
    cached = getattr(user, "_egov_roles_today", None)
    if cached is not None and cached[0] == today:
        return frozenset(cached[1])
    roles = frozenset(
        str(role) for role in active_role_assignments(user).values_list("role", flat=True)
    )
    user._egov_roles_today = (today, roles)
    return roles


def is_staff_member(user: Any) -> bool:
    """Officials: anyone with admin access or an active role in a unit."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(roles_today(user))


def has_totp(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())
