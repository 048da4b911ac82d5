from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from egov.accounts.selectors import roles_today


def staff_roles(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's roles today, computed only if a template asks (the menu)."""

    def roles() -> frozenset[str]:
        user = getattr(request, "user", None)
        return roles_today(user) if user is not None else frozenset()

    return {"staff_roles": SimpleLazyObject(roles)}
