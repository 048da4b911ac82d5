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


def is_staff_member(user: Any) -> bool:
    """Officials: anyone with admin access or an active role in a unit."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return active_role_assignments(user).exists()


def has_totp(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())
