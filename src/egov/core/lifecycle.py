"""The two steps every lifecycle of egov takes on a transition: look the move up in the
lifecycle's own table (each app keeps its table explicit, in its ``state`` module), and append
the numbered event row (who, when, from, to) to the subject's history.

The apps resolve the actor to a user before calling (``egov.accounts`` sits above ``core``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models
from django.db.models import Max
from django.utils import timezone

EventT = TypeVar("EventT", bound=models.Model)


class IllegalTransition(ValueError):
    """A move the lifecycle's table does not allow (a programming error, not user input:
    services check ``allowed`` first and answer the user in words)."""


def next_state(
    transitions: Mapping[tuple[str, str], str], current: str, action: str, *, created: bool
) -> tuple[str, str]:
    """``(from_state, to_state)`` of ``action`` from ``current`` (``created``: from "", the
    subject's creation); ``IllegalTransition`` when the table has no such move."""
    from_state = "" if created else current
    target = transitions.get((from_state, action))
    if target is None:
        raise IllegalTransition(f"{from_state!r} --{action}-->")
    return from_state, target


def append_event(
    event_model: type[EventT],
    subject_field: str,
    subject: models.Model,
    *,
    action: str,
    from_state: str,
    to_state: str,
    by: models.Model | None,
    at: dt.datetime | None = None,
    **fields: Any,
) -> EventT:
    """Append the next numbered event of ``subject`` (``event_model.<subject_field>``); the
    caller holds the subject's row (its transaction), so numbers do not collide."""
    history = event_model._default_manager.filter(**{subject_field: subject})
    last = history.aggregate(n=Max("sequence"))["n"] or 0
    return event_model._default_manager.create(
        **{subject_field: subject},
        sequence=last + 1,
        action=str(action),
        from_state=from_state,
        to_state=to_state,
        actor=by,
        at=at or timezone.now(),
        **fields,
    )
