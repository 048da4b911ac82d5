"""Who performs a write: the typed ``actor`` every service takes.

A person — an officer, a citizen with an account, or an API client acting through its service
account — is a ``User``; a view whose login is required still passes ``request.user``, which
the type system also allows to be anonymous (such an actor holds no role anywhere). The system
acting by itself (a payment gateway's confirmation, a scheduled job) is ``SYSTEM``: it is never
authenticated, so nothing is recorded as done by a person, and services accept it only where
they say so.
"""

from __future__ import annotations

from typing import Final, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from egov.accounts.models import User


class SystemActor:
    """The system itself; one instance, ``SYSTEM``."""

    pk: Final = None
    is_authenticated: Final = False
    is_active: Final = False

    def get_username(self) -> str:
        return ""

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = SystemActor()

Actor: TypeAlias = User | AnonymousUser | SystemActor


def person(actor: Actor) -> User | None:
    """The signed-in person behind ``actor``, recorded as the one who acted (None for the
    system or an anonymous visitor)."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def signed_in(request: HttpRequest) -> User:
    """The person signed in to ``request``, for views that require signing in
    (``login_required``, the admin site): they never reach here anonymous, and if one did it
    is refused rather than passed on."""
    user = person(request.user)
    if user is None:
        raise PermissionDenied
    return user
