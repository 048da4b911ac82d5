"""The two lifecycles as data, each applied by one function that appends its event row.

Delivery: pending → delivered | failed | dead; failed → delivered | failed | dead (an attempt
each); dead → pending (a manual replay). Subscription: active ⇄ paused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from egov.accounts.actors import Actor, person
from egov.webhooks.models import (
    Delivery,
    DeliveryState,
    DeliveryStep,
    Subscription,
    SubscriptionState,
    SubscriptionStep,
)

D = DeliveryState
DELIVERY_TRANSITIONS: dict[str, frozenset[str]] = {
    D.PENDING: frozenset({D.DELIVERED, D.FAILED, D.DEAD}),
    D.FAILED: frozenset({D.DELIVERED, D.FAILED, D.DEAD}),
    D.DEAD: frozenset({D.PENDING}),
    D.DELIVERED: frozenset(),
}
S = SubscriptionState
SUBSCRIPTION_TRANSITIONS: dict[str, frozenset[str]] = {
    S.ACTIVE: frozenset({S.PAUSED}),
    S.PAUSED: frozenset({S.ACTIVE}),
}


class StateError(Exception):
    """The transition is not in the table (a programming error or a stale row)."""


@transaction.atomic(savepoint=False)
def delivery_move(
    delivery: Delivery,
    to_state: str,
    *,
    at: dt.datetime,
    actor: Actor | None = None,
    status_code: int | None = None,
    error: str = "",
    latency_ms: int | None = None,
) -> DeliveryStep:
    """Move ``delivery`` (the caller holds its row lock and saves its other fields) and append
    the step."""
    if to_state not in DELIVERY_TRANSITIONS[delivery.state]:
        raise StateError(f"delivery {delivery.pk}: {delivery.state} → {to_state}")
    last = delivery.steps.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    step = DeliveryStep.objects.create(
        delivery=delivery,
        sequence=last + 1,
        from_state=delivery.state,
        to_state=to_state,
        status_code=status_code,
        error=error[:300],
        latency_ms=latency_ms,
        actor=person(actor) if actor is not None else None,
        at=at,
    )
    delivery.state = to_state
    return step


@dataclass(frozen=True)
class Move:
    delivery: Delivery
    to_state: str
    status_code: int | None = None
    error: str = ""
    latency_ms: int | None = None


@transaction.atomic(savepoint=False)
def deliveries_move(moves: list[Move], *, at: dt.datetime) -> list[DeliveryStep]:
    """``delivery_move`` for the attempts of one worker run: the same checks, the steps
    appended with one query for their sequences and one insert (the caller holds the row
    locks and saves the deliveries)."""
    for move in moves:
        if move.to_state not in DELIVERY_TRANSITIONS[move.delivery.state]:
            raise StateError(
                f"delivery {move.delivery.pk}: {move.delivery.state} → {move.to_state}"
            )
    last = dict(
        DeliveryStep.objects.filter(delivery__in=[m.delivery.pk for m in moves])
        .values("delivery")
        .annotate(last=Max("sequence"))
        .values_list("delivery", "last")
    )
    steps = []
    for move in moves:
        sequence = last.get(move.delivery.pk, 0) + 1
        last[move.delivery.pk] = sequence
        steps.append(
            DeliveryStep(
                delivery=move.delivery,
                sequence=sequence,
                from_state=move.delivery.state,
                to_state=move.to_state,
                status_code=move.status_code,
                error=move.error[:300],
                latency_ms=move.latency_ms,
                at=at,
            )
        )
        move.delivery.state = move.to_state
    return DeliveryStep.objects.bulk_create(steps)


@transaction.atomic(savepoint=False)
def subscription_move(
    subscription: Subscription,
    to_state: str,
    *,
    at: dt.datetime,
    reason: str = "",
    actor: Actor | None = None,
) -> SubscriptionStep:
    """Move ``subscription`` (the caller holds its row lock), record the pause reason, save."""
    if to_state not in SUBSCRIPTION_TRANSITIONS[subscription.state]:
        raise StateError(f"subscription {subscription.pk}: {subscription.state} → {to_state}")
    last = subscription.steps.order_by("-sequence").values_list("sequence", flat=True).first()
    step = SubscriptionStep.objects.create(
        subscription=subscription,
        sequence=(last or 0) + 1,
        from_state=subscription.state,
        to_state=to_state,
        reason=reason,
        actor=person(actor) if actor is not None else None,
        at=at,
    )
    subscription.state = to_state
    subscription.pause_reason = reason if to_state == S.PAUSED else ""
    subscription.updated_at = at
    subscription.save(update_fields=["state", "pause_reason", "updated_at"])
    return step
