from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from egov.accounts.selectors import active_role_assignments


def staff_roles(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's roles today, computed only if a template asks (the menu)."""

    def roles() -> set[str]:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return set()
        return {str(a.role) for a in active_role_assignments(user)}

    return {"staff_roles": SimpleLazyObject(roles)}
